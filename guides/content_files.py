"""Content as Markdown files with front matter: the seed edition and backups.

One file per item (see guides/content/README.md for the format). The seed
edition is loaded by `load_guide` through the same import path as backups.
"""

import re
from collections import Counter
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify


SEED_DIR = Path(__file__).resolve().parent / "content"
FIELD_MARKER = re.compile(r"^<!-- field: ([a-z_]+) -->$", re.MULTILINE)


class ContentFileError(ValueError):
    def __init__(self, path, problem):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class Kind:
    model: str
    folder: str
    main_field: str  # the Markdown field that is the file's body; "" for a kind without one
    markdown_fields: tuple


KINDS = {
    "guide": Kind("Guide", "", "introduction", ("introduction", "conclusion", "key_points", "sources")),
    "card": Kind("CareCard", "cards", "body", ("body",)),
    "step": Kind("Step", "steps", "body", ("body",)),
    "item": Kind("StepItem", "items", "text", ("text",)),
    "question": Kind("Question", "questions", "answer", ("answer",)),
    "tip": Kind("Tip", "tips", "body", ("body",)),
    "moved": Kind("MovedPage", "moved", "", ()),
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


def load_seed(models, directory=SEED_DIR):
    """Create the guide from the seed files, once.

    If the guide already exists, nothing is touched: editors own the copy from
    then on (including items they deleted on purpose). Returns True if it loaded.
    Each item's first history entry says "First edition", so an editor's first
    change can be undone.
    """
    if models["Guide"].objects.exists():  # editors may have renamed it; either way it is theirs now
        return False
    import_content(models, directory, change_reason="First edition")
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
    return not field.is_relation and field.get_internal_type() == "TextField"


def _points_at_guide(field):
    # Every item belongs to the folder's one guide, so files do not name it.
    return field.is_relation and field.related_model._meta.model_name == "guide"


def _target_kind(model, name):
    return KIND_OF_MODEL[model._meta.get_field(name).related_model.__name__]


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


def export_content(models, directory):
    """Write every content item into `directory` (which must be new or empty). Returns the paths."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ContentFileError(directory, "is not empty; export into a new folder so no stale file is left in it")
    guides = list(models["Guide"].objects.all())
    if len(guides) != 1:
        raise ContentFileError(directory, f"a content folder holds one guide, and the database has {len(guides)}")
    files = {"guide.md": (guides[0], "guide")}
    for kind, spec in KINDS.items():
        if kind == "guide":
            continue
        objects = list(models[spec.model].objects.all())
        parents = [f for f in file_fields(models[spec.model]) if f.many_to_one and not _points_at_guide(f)]
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


def _read_item(models, kind, path):
    model = models[KINDS[kind].model]
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
    return problems


def read_content(models, directory):
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
                items.append(_read_item(models, kind, path))
            except ContentFileError as problem:
                problems.append(problem)
    if not problems:
        problems = _check_together(items)
    if problems:
        raise ContentImportError(problems)
    return items


def import_content(models, directory, replace=False, change_reason=None):
    """Load a content folder in one transaction, after checking every file.

    With `replace`, the current content is deleted first (in the same
    transaction); without it, a database that already has a guide is refused.
    Nothing is written if any file is bad.
    """
    items = read_content(models, directory)
    with transaction.atomic():
        if models["Guide"].objects.exists():
            if not replace:
                raise ContentImportError(
                    [ContentFileError(directory, "the database already has a guide (replace it with --replace)")]
                )
            for spec in reversed(KINDS.values()):
                models[spec.model].objects.all().delete()
        saved = {kind: {} for kind in KINDS}
        guide = None
        for item in items:
            obj, model = item.obj, type(item.obj)
            for field in model._meta.fields:
                if _points_at_guide(field):
                    setattr(obj, field.name, guide)
            for name, slug in item.parents.items():
                setattr(obj, name, saved[_target_kind(model, name)][slug])
            try:
                # Now with the parents saved, this also checks uniqueness against the database.
                obj.full_clean()
            except ValidationError as error:
                raise ContentImportError([ContentFileError(item.path, _messages(error))]) from None
            if change_reason:
                obj._change_reason = change_reason  # read by django-simple-history
            obj.save()
            for name, slugs in item.links.items():
                getattr(obj, name).set([saved[_target_kind(model, name)][slug] for slug in slugs])
            saved[item.kind][getattr(obj, "slug", None)] = obj
            if item.kind == "guide":
                guide = obj
    return items
