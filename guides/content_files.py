"""Content as Markdown files with front matter: the shipped edition and backups.

One file per item (see guides/content/README.md for the format). Every way in
reads a folder with `read_content`, which checks every file and writes nothing:
`import_content` loads a folder into a database with no guide (or replaces the
guide), `load_seed` is that for the shipped edition in guides/content/, and
`update_content` brings a running site's copy up to a new edition. Rendering is
the models' own `save()`; this module never renders Markdown itself.
"""

import re
from collections import Counter
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify


from signoff import proposals, services

from .models import CareCard, Guide, MovedPage, Question, Step, StepItem, Tip, Topic, WarningSign, record_as

SEED_DIR = Path(__file__).resolve().parent / "content"
FIELD_MARKER = re.compile(r"^<!-- field: ([a-z_]+) -->$", re.MULTILINE)
MAX_FILE_BYTES = 256 * 1024  # the longest shipped file is about 3 KB
# History reasons written by loading an edition: an item whose newest history entry has one of
# these has not been changed by an editor since, so a new edition may replace it.
FIRST_EDITION = "First edition"
EDITION_UPDATE = "Updated to a new edition of the content files"
EDITION_PUBLISHED = "Published from a new edition WITHOUT clinical sign-off (import_content --publish)"
EDITION_REASONS = (FIRST_EDITION, EDITION_UPDATE, EDITION_PUBLISHED)


class ContentFileError(ValueError):
    def __init__(self, path, problem):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class Kind:
    model: type
    folder: str

    @property
    def markdown_fields(self):
        return getattr(self.model, "markdown_fields", ())

    @property
    def main_field(self):
        """The Markdown field that is the file's body (the model's first); "" for a kind without one."""
        return self.markdown_fields[0] if self.markdown_fields else ""


# Parents before children: that is the order folders are read and items saved in.
KINDS = {
    "guide": Kind(Guide, ""),
    "card": Kind(CareCard, "cards"),
    "sign": Kind(WarningSign, "signs"),
    "step": Kind(Step, "steps"),
    "item": Kind(StepItem, "items"),
    "question": Kind(Question, "questions"),
    "tip": Kind(Tip, "tips"),
    "topic": Kind(Topic, "topics"),
    "moved": Kind(MovedPage, "moved"),
}
KIND_OF_MODEL = {spec.model: kind for kind, spec in KINDS.items()}


def parse(text, path="<text>"):
    """Split a content file into its front matter and its Markdown fields."""
    if not text.startswith("---\n"):
        raise ContentFileError(path, "must start with a '---' line")
    try:
        head, body = text[4:].split("\n---\n", 1)
    except ValueError:
        raise ContentFileError(path, "front matter has no closing '---' line") from None
    meta = {}
    for number, line in enumerate(head.splitlines(), start=2):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep or not re.fullmatch(r"[a-z_]+", key.strip()):
            raise ContentFileError(path, f"line {number} is not 'key: value'")
        meta[key.strip()] = value.strip()
    parts = FIELD_MARKER.split(body)
    fields = {"": parts[0].strip("\n")}
    for name, value in zip(parts[1::2], parts[2::2]):
        fields[name] = value.strip("\n")
    return meta, fields


def kind_paths(directory, kind):
    """The files of one kind in a content folder, in name order."""
    if kind == "guide":
        return [Path(directory) / "guide.md"]
    return sorted((Path(directory) / KINDS[kind].folder).glob("*.md"))


def read_file(path, kind):
    """Parse one file of a kind into (meta, fields), its body under the kind's main field."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentFileError(path, f"is {size:,} bytes; a content file may be at most {MAX_FILE_BYTES:,}")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentFileError(path, f"cannot be read ({error})") from None
    meta, fields = parse(text, path)
    body = fields.pop("")
    if KINDS[kind].main_field:
        fields[KINDS[kind].main_field] = body
    elif body.strip():
        raise ContentFileError(path, f"a {kind} file has front matter only, and this one has text after it")
    return meta, fields


def read_kind(directory, kind):
    """Yield (path, meta, fields) for every file of one kind, in name order."""
    for path in kind_paths(directory, kind):
        yield (path, *read_file(path, kind))


BOOLEAN_WORDS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _python_value(field, raw):
    if raw == "" and field.null:
        return None
    if field.get_internal_type() == "BooleanField":
        if raw.lower() not in BOOLEAN_WORDS:
            raise ValidationError("not a yes/no value")
        return BOOLEAN_WORDS[raw.lower()]
    return field.to_python(raw)


def _values(model, meta, fields, path):
    names = {f.name: f for f in model._meta.concrete_fields}
    values = {}
    for key, raw in {**meta, **fields}.items():
        field = names.get(key)
        if field is None or key.endswith("_html") or field.is_relation:
            continue
        try:
            values[key] = _python_value(field, raw)
        except ValidationError:
            raise ContentFileError(path, f"{key!r} has the bad value {raw!r}") from None
    return values


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


# Export and import: every content item as a file, for backups and moving content between sites.


def file_fields(model):
    """The fields a content file carries: every editable field but the key and the rendered HTML.

    Read from the model, so a field added later is exported and imported without
    changes here. Timestamps such as `updated_at` are not editable and stay out.
    """
    return [
        field
        for field in (*model._meta.concrete_fields, *model._meta.many_to_many)
        if field.editable and not field.primary_key and not field.name.endswith("_html")
    ]


def _in_file_order(model):
    # The model's own fields first, then those it inherits (publishing and review), as in the seed files.
    inherited = {
        field.name
        for base in model.__mro__[1:]
        if getattr(getattr(base, "_meta", None), "abstract", False)
        for field in base._meta.local_fields
    }
    fields = file_fields(model)
    return [f for f in fields if f.name not in inherited] + [f for f in fields if f.name in inherited]


def _is_markdown(field):
    return field.name in KINDS[KIND_OF_MODEL[field.model]].markdown_fields


def _points_at_guide(field):
    # Every item belongs to the folder's one guide, so files do not name it.
    return field.is_relation and field.related_model is Guide


def _target_kind(model, name):
    return KIND_OF_MODEL[model._meta.get_field(name).related_model]


def _file_text(obj, kind):
    """One item as a content file: front matter, then its Markdown fields."""
    front, sections, item = [], {}, f"{kind} {_name(obj)!r}"
    for field in _in_file_order(type(obj)):
        if field.many_to_many:
            value = ",".join(related.slug for related in getattr(obj, field.name).all())
        elif _points_at_guide(field):
            continue
        elif field.is_relation:
            value = getattr(obj, field.name).slug
        elif _is_markdown(field):
            text = getattr(obj, field.name).replace("\r\n", "\n").replace("\r", "\n")
            if FIELD_MARKER.search(text):
                raise ContentFileError(item, f"{field.name} contains a line that looks like a field marker")
            sections[field.name] = text.strip("\n")
            continue
        else:
            value = field.value_from_object(obj)
            if value is None:
                value = ""
            elif isinstance(value, bool):
                value = "true" if value else "false"
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            value = str(value)
            if "\n" in value or "\r" in value or value != value.strip():
                raise ContentFileError(item, f"{field.name} has line breaks or spaces at its ends")
        front.append(f"{field.name}: {value}".rstrip())
    lines = ["---", *front, "---", sections.pop(KINDS[kind].main_field, "")]
    for name, text in sections.items():
        lines += [f"<!-- field: {name} -->", text]
    return "\n".join(lines) + "\n"


def _name(obj):
    """An item's name in file names: its slug, or else its first unique field (a moved page's old path)."""
    if hasattr(obj, "slug"):
        return obj.slug
    unique = next(f for f in obj._meta.concrete_fields if f.unique and not f.primary_key)
    return slugify(str(unique.value_from_object(obj)).replace("/", " "))


def _numbered(objects, prefix=""):
    # Numbers follow the model's ordering, so reading the files in name order keeps ties in order.
    width = max(2, len(str(len(objects))))
    return [(f"{prefix}{number:0{width}d}-{_name(obj)}.md", obj) for number, obj in enumerate(objects, 1)]


def export_content(directory):
    """Write every content item into `directory` (which must be new or empty). Returns the paths."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ContentFileError(directory, "is not empty; export into a new folder so no stale file is left in it")
    guides = list(Guide.objects.all())
    if len(guides) != 1:
        raise ContentFileError(directory, f"a content folder holds one guide, and the database has {len(guides)}")
    files = {"guide.md": (guides[0], "guide")}
    for kind, spec in KINDS.items():
        if kind == "guide":
            continue
        objects = list(spec.model.objects.all())
        parents = [f for f in file_fields(spec.model) if f.many_to_one and not _points_at_guide(f)]
        if parents:
            # Items are numbered within their parent (a step) and named after it.
            parent = parents[0].name
            for slug in dict.fromkeys(getattr(obj, parent).slug for obj in objects):
                children = [obj for obj in objects if getattr(obj, parent).slug == slug]
                for name, obj in _numbered(children, f"{slug}--"):
                    files[f"{spec.folder}/{name}"] = (obj, kind)
        else:
            for name, obj in _numbered(objects):
                files[f"{spec.folder}/{name}"] = (obj, kind)
    texts = {name: _file_text(obj, kind) for name, (obj, kind) in files.items()}
    written = []
    for name, text in texts.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


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
    links = {name: [saved[_target_kind(model, name)][slug] for slug in slugs] for name, slugs in item.links.items()}
    if approved:
        services.publish_from_files(obj, links)
    else:
        obj.save()
        for name, targets in links.items():
            getattr(obj, name).set(targets)
    saved[item.kind][getattr(obj, "slug", None)] = obj


# Updating a running site to a new edition.


@dataclass
class EditionUpdate:
    """What `update_content` did with each file of the new edition."""

    added: list = dataclass_field(default_factory=list)
    updated: list = dataclass_field(default_factory=list)
    proposed: list = dataclass_field(default_factory=list)  # waiting for a clinical reviewer's sign-off
    waiting: list = dataclass_field(default_factory=list)  # proposed by an earlier update, still waiting
    unchanged: list = dataclass_field(default_factory=list)
    left_alone: list = dataclass_field(default_factory=list)  # (item, why): for an editor to merge by hand
    published: bool = False  # published without sign-off (--publish)


def update_content(directory, user=None, publish=False):
    """Bring the database's copy up to a new edition of the content files, in one transaction.

    Items new in the edition are added. An item the edition changes is updated only if
    no editor has changed it since an edition was loaded (its newest history entry is
    one that loading wrote); otherwise it is left alone and reported, as is an item
    that an editor deleted. Items that are only in the database stay as they are.

    Readers see nothing new until a clinical reviewer approves it: a change to published copy
    (or a new item to publish, added as a draft) is proposed for sign-off in `user`'s name, as
    an editor's change in the admin is. Drafts and moved pages change at once. With `publish`
    (a first install or an emergency) everything is published directly and its history says so.
    """
    items = read_content(directory)
    report = EditionUpdate(published=publish)
    reason = EDITION_PUBLISHED if publish else EDITION_UPDATE
    with transaction.atomic():
        if not Guide.objects.exists():
            import_content(directory, change_reason=FIRST_EDITION)
            report.added = items
            return report
        moved_now = dict(MovedPage.objects.values_list("old_path", "new_path"))
        new_moves = {item.obj.old_path: item for item in items if item.kind == "moved"}
        problems = _redirect_loops(new_moves, {**moved_now, **{old: i.obj.new_path for old, i in new_moves.items()}})
        if problems:
            raise ContentImportError(problems)
        saved = {kind: {} for kind in KINDS}
        proposals = _EditionProposals()
        for item in items:
            model = type(item.obj)
            named = [(name, slug) for name, slug in item.parents.items()]
            named += [(name, slug) for name, slugs in item.links.items() for slug in slugs]
            gone = [slug for name, slug in named if slug not in saved[_target_kind(model, name)]]
            if gone:
                report.left_alone.append((item, f"it belongs to {', '.join(gone)}, which is left alone too"))
                continue
            current, why = _in_database(item, saved)
            if current is None and why is None:
                waits = not publish and _waits_for_sign_off(item, None, saved)
                if waits and model is not StepItem:
                    item.obj.is_published = False  # a draft until a reviewer approves publishing it
                if not (waits and model is StepItem):  # a published step's new exercise comes with the step
                    _save(item, saved, reason, user, approved=publish)
                if waits:
                    proposals.add(item, item.obj, saved, publish=True)
                report.added.append(item)
                continue
            if current is not None:  # the edition's other files name it by the edition's slug
                saved[item.kind][getattr(item.obj, "slug", None)] = current
            if why is None and _file_values(item, saved) == _values_now(current, item):
                report.unchanged.append(item)
            elif why is None and _untouched_since_loaded(current):
                if not publish and _waits_for_sign_off(item, current, saved):
                    proposals.add(item, current, saved)
                    continue
                item.obj.pk, item.obj._state.adding = current.pk, False
                _save(item, saved, reason, user, approved=publish)
                report.updated.append(item)
            elif why is None and _same_as_when_loaded(item, current, saved):
                report.unchanged.append(item)  # the editor's copy stays; the edition has nothing new for it
            else:
                report.left_alone.append((item, why or _who_changed(current)))
        proposals.propose(user, report)
    return report


def _waits_for_sign_off(item, current, saved):
    """Whether readers would see the change: published copy changes, or copy is to be published."""
    if isinstance(item.obj, StepItem):
        return saved["step"][item.parents["step"]].is_published
    if not hasattr(item.obj, "is_published"):
        return False  # moved pages are not copy
    return bool(current is not None and current.is_published) or item.obj.is_published


class _EditionProposals:
    """The edition's changes to published copy, gathered per item (a step with its exercises),
    then proposed for sign-off as an editor's change in the admin is."""

    def __init__(self):
        self.changes = {}  # (model, pk): [live item, proposed values, files]

    def _entry(self, target):
        key = (type(target), target.pk)
        if key not in self.changes:
            self.changes[key] = [target, proposals.values_of(target), []]
        return self.changes[key]

    def add(self, item, current, saved, publish=False):
        obj = item.obj
        if isinstance(obj, StepItem):
            step = saved["step"][item.parents["step"]]
            entry = self._entry(step)
            obj.step, obj.pk = step, current.pk if current is not None else None
            child = proposals.child_values(obj, "step")
            kept = [other for other in entry[1]["items"] if child["id"] is None or other["id"] != child["id"]]
            entry[1]["items"] = sorted([*kept, child], key=lambda other: other.get("order") or 0)
        else:
            entry = self._entry(current)
            obj.pk, obj._state.adding = current.pk, False
            for field in obj._meta.fields:
                if _points_at_guide(field):
                    setattr(obj, field.attname, getattr(current, field.attname))
            for name, slug in item.parents.items():
                setattr(obj, name, saved[_target_kind(type(obj), name)][slug])
            many = {name: [saved[_target_kind(type(obj), name)][slug].pk for slug in slugs]
                    for name, slugs in item.links.items()}
            try:
                obj.full_clean(exclude=list(many))  # e.g. two questions on one number: refused now, not at approval
            except ValidationError as error:
                raise ContentImportError([ContentFileError(item.path, _messages(error))]) from None
            entry[1].update(proposals.values_from(obj, many))
            if publish:
                entry[1]["is_published"] = True
        entry[2].append(item)

    def propose(self, user, report):
        for target, values, files in self.changes.values():
            proposal = proposals.open_proposal(target)
            if proposal is not None:
                if proposal.reason == EDITION_UPDATE and proposals.same_values(proposal.proposed, values):
                    report.waiting += files
                else:
                    who = ", ".join(author.get_username() for author in proposal.authors.all())
                    why = f"a change by {who} is waiting for sign-off; merge by hand once a reviewer has decided it"
                    report.left_alone += [(item, why) for item in files]
            elif proposals.same_values(values, proposals.values_of(target)):
                report.unchanged += files
            else:
                services.propose(target, values, user, reason=EDITION_UPDATE)
                report.proposed += files


def _in_database(item, saved):
    """(the database's copy of an edition item, None), or (None, why it is not to be added), or (None, None)."""
    model = type(item.obj)
    if item.kind == "guide":
        return Guide.objects.get(), None  # editors may have renamed it; it is still the one guide
    key = "slug" if hasattr(item.obj, "slug") else "old_path"
    parents = {name: saved[_target_kind(model, name)][slug] for name, slug in item.parents.items()}
    current = model.objects.filter(**{key: getattr(item.obj, key)}, **parents).first()
    if current is not None or not hasattr(model, "history"):
        return current, None
    # Not there by its name: an editor may have renamed or deleted it since it was loaded.
    lookup = {key: getattr(item.obj, key), **{f"{name}_id": parent.pk for name, parent in parents.items()}}
    earlier = model.history.filter(**lookup).values_list("id", flat=True).first()
    if earlier is None:
        return None, None
    current = model.objects.filter(pk=earlier).first()
    if current is None:
        return None, "an editor deleted it; add it again by hand if it is wanted"
    return current, f"an editor renamed it to {current.slug!r}"


def _file_values(item, saved):
    """What the edition says about an item; related items as the keys of their database copies."""
    model = type(item.obj)
    values = {f.name: getattr(item.obj, f.name) for f in _compared_fields(model)}
    for name, slug in item.parents.items():
        values[name] = saved[_target_kind(model, name)][slug].pk
    for name, slugs in item.links.items():
        values[name] = sorted(saved[_target_kind(model, name)][slug].pk for slug in slugs)
    return values


def _values_now(obj, item):
    """What the database says about an item, in the terms of _file_values."""
    values = {f.name: getattr(obj, f.name) for f in _compared_fields(type(obj))}
    values.update({name: getattr(obj, f"{name}_id") for name in item.parents})
    values.update({name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in item.links})
    return values


def _compared_fields(model):
    # The version counts saves; it says nothing about the copy.
    return [f for f in file_fields(model) if not f.is_relation and f.name != "version"]


def _same_as_when_loaded(item, current, saved):
    """Whether the edition says what the edition loaded last said about this item."""
    if not hasattr(current, "history"):
        return False
    loaded = current.history.filter(history_change_reason__in=EDITION_REASONS).first()
    if loaded is None:
        return False
    then = {f.name: getattr(loaded, f.name) for f in _compared_fields(type(current))}
    now = _values_now(current, item)
    return all(then.get(name, now.get(name)) == value for name, value in _file_values(item, saved).items())


def _untouched_since_loaded(obj):
    newest = obj.history.first() if hasattr(obj, "history") else None
    return newest is not None and newest.history_change_reason in EDITION_REASONS


def _who_changed(obj):
    newest = obj.history.first() if hasattr(obj, "history") else None
    if newest is None:
        return "it was made or changed in the database"
    who = newest.history_user.get_username() if newest.history_user else "someone"
    return f"{who} changed it on {newest.history_date:%Y-%m-%d}"
