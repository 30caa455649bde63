"""Reading a content folder (every file checked, nothing written) and loading it into a database."""

from collections import Counter
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from signoff import services

from ..models import Guide, LoadedFromFiles, Source, record_as
from .files import (
    KINDS, SEED_DIR, ContentFileError, _points_at_guide, _target_kind, _values, edition_hash, file_fields, kind_paths,
    read_file, values_in_files,
)

# The history reasons loading an edition writes. Whether an editor has changed an item since is the
# item's own state (LoadedFromFiles.edition_hash), not these words.
FIRST_EDITION = "First edition"
EDITION_UPDATE = "Updated to a new edition of the content files"
EDITION_PUBLISHED = "Published from a new edition WITHOUT clinical sign-off (import_content --publish)"



class ContentImportError(ValueError):
    """Every problem found in a content folder, one ContentFileError each."""

    def __init__(self, problems):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class _Item:
    kind: str
    path: Path
    obj: object
    parents: dict = dataclass_field(default_factory=dict)  # field name -> slug of the parent item
    links: dict = dataclass_field(default_factory=dict)  # many-to-many field name -> slugs


def _messages(error):
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items())
    return " ".join(error.messages)


def _read_item(kind, path):
    model = KINDS[kind].model
    meta, fields = read_file(path, kind)
    known = {f.name: f for f in file_fields(model) if not _points_at_guide(f)}
    unknown = sorted(name for name in (*meta, *fields) if name not in known)
    if unknown:
        raise ContentFileError(path, f"unknown field {', '.join(map(repr, unknown))}")
    item = _Item(kind, path, model(**_values(model, meta, fields, path)))
    for name, field in known.items():
        if field.many_to_many:
            item.links[name] = [slug.strip() for slug in meta.get(name, "").split(",") if slug.strip()]
        elif field.is_relation:
            if not meta.get(name):
                raise ContentFileError(path, f"{name!r} is missing")
            item.parents[name] = meta[name]
    excluded = [f.name for f in model._meta.fields if f.is_relation]
    try:
        item.obj.full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ContentFileError(path, _messages(error)) from None
    if KINDS[kind].markdown_fields:
        try:
            item.obj.render_html()  # what save() will do: find out now, before anything is written
        except Exception as error:  # noqa: BLE001 - whatever the renderer raises, the file is what to name
            raise ContentFileError(path, f"its Markdown cannot be rendered ({type(error).__name__})") from None
    return item


def _unique_key_sets(model):
    """The field-name tuples that must be unique across a model's items."""
    keys = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    for constraint in model._meta.constraints:
        if getattr(constraint, "fields", None) and getattr(constraint, "condition", None) is None:
            keys.append(tuple(constraint.fields))
    return keys


def _key(item, names):
    return tuple(item.parents[name] if name in item.parents else getattr(item.obj, name) for name in names)


def _check_together(items):
    """Problems that only show across files: duplicates and references to missing items."""
    problems = []
    guides = [item for item in items if item.kind == "guide"]
    slugs = {kind: {getattr(item.obj, "slug", None) for item in items if item.kind == kind} for kind in KINDS}
    for item in items:
        model = type(item.obj)
        for name, slug in item.parents.items():
            if slug not in slugs[_target_kind(model, name)]:
                problems.append(ContentFileError(item.path, f"{name} {slug!r} is not in the folder"))
        for name, wanted in item.links.items():
            missing = [slug for slug in wanted if slug not in slugs[_target_kind(model, name)]]
            if missing:
                problems.append(ContentFileError(item.path, f"{name} {', '.join(missing)} not in the folder"))
    for kind in KINDS:
        of_kind = [item for item in items if item.kind == kind]
        if not of_kind:
            continue
        model = type(of_kind[0].obj)
        for names in _unique_key_sets(model):
            # The guide is the same for every item, so it drops out of the key.
            names = [name for name in names if not _points_at_guide(model._meta.get_field(name))]
            counts = Counter(_key(item, names) for item in of_kind)
            for item in of_kind:
                if counts[_key(item, names)] > 1:
                    problems.append(ContentFileError(item.path, f"another {kind} has the same {', '.join(names)}"))
    if len(guides) != 1:
        problems.append(ContentFileError("guide.md", "a content folder must hold exactly one guide"))
    moved = {item.obj.old_path: item for item in items if item.kind == "moved"}
    problems += _redirect_loops(moved, {old: item.obj.new_path for old, item in moved.items()})
    return problems


def _redirect_loops(moved, redirects):
    """A problem for each moved page in `moved` ({old path: item}) that `redirects` would send round in a circle."""
    problems = []
    for old, item in moved.items():
        seen, path = [old], redirects[old]
        while path in redirects and path not in seen:
            seen.append(path)
            path = redirects[path]
        if path == old:
            problems.append(ContentFileError(item.path, f"the moved pages loop: {' → '.join([*seen, old])}"))
    return problems


def read_content(directory):
    """Read and check every file in a content folder, writing nothing.

    Returns the unsaved items, parents before children. Raises ContentImportError
    listing every problem (each names its file) if any file is bad.
    """
    directory = Path(directory)
    if not (directory / "guide.md").is_file():
        raise ContentImportError([ContentFileError(directory / "guide.md", "is missing")])
    items, problems = [], []
    for kind in KINDS:
        for path in kind_paths(directory, kind):
            try:
                items.append(_read_item(kind, path))
            except ContentFileError as problem:
                problems.append(problem)
    if not problems:
        problems = _check_together(items)
    if problems:
        raise ContentImportError(problems)
    return items


def import_content(directory, replace=False, change_reason=None):
    """Load a content folder in one transaction, after checking every file.

    With `replace`, the current content is deleted first (in the same
    transaction); without it, a database that already has a guide is refused.
    Nothing is written if any file is bad.
    """
    items = read_content(directory)
    with transaction.atomic():
        if Guide.objects.exists():
            if not replace:
                raise ContentImportError(
                    [ContentFileError(directory, "the database already has a guide (replace it with --replace)")]
                )
            services.remove_for_edition([spec.model for spec in reversed(KINDS.values())])
        else:
            # Sources hang from no guide, so deleting the guide leaves them: those nothing cites go too.
            Source.objects.filter(guides=None, signs=None, topics=None).delete()
        saved = {kind: {} for kind in KINDS}
        for item in items:
            _save(item, saved, change_reason, approved=True)  # a first edition is signed off as a whole
    return items


def _save(item, saved, change_reason, user=None, approved=False):
    """Save one checked item, pointing it at its guide and parents in `saved` ({kind: {slug: object}}).
    `approved`: the edition was signed off as a whole, so it is published through the sign-off
    service; otherwise the item is a draft or a moved page (published copy is proposed instead)."""
    obj, model = item.obj, type(item.obj)
    for field in model._meta.fields:
        if _points_at_guide(field):
            setattr(obj, field.name, next(iter(saved["guide"].values())))
    for name, slug in item.parents.items():
        setattr(obj, name, saved[_target_kind(model, name)][slug])
    try:
        # Now with the parents saved, this also checks uniqueness against the database.
        obj.full_clean()
    except ValidationError as error:
        raise ContentImportError([ContentFileError(item.path, _messages(error))]) from None
    record_as(obj, user, change_reason)
    if isinstance(obj, LoadedFromFiles):
        obj.edition_hash = edition_hash(values_in_files(item, saved))
    links = {name: [saved[_target_kind(model, name)][slug] for slug in slugs] for name, slugs in item.links.items()}
    if approved:
        services.publish_from_files(obj, links)
    else:
        obj.save()
        for name, targets in links.items():
            getattr(obj, name).set(targets)
    saved[item.kind][getattr(obj, "slug", None)] = obj


def load_seed(directory=SEED_DIR):
    """Create the guide from the seed files, once.

    If the guide already exists, nothing is touched: editors own the copy from
    then on (including items they deleted on purpose). Returns True if it loaded.
    Each item's first history entry says "First edition", so an editor's first
    change can be undone.
    """
    if Guide.objects.exists():  # editors may have renamed it; either way it is theirs now
        return False
    import_content(directory, change_reason=FIRST_EDITION)
    return True
