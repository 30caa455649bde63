"""The content file format: one item a file, front matter then Markdown fields; which fields a
file carries, read from the models."""

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import slugify

from ..models import CareCard, Guide, MovedPage, Question, Source, Step, StepItem, Tip, Topic, WarningSign

SEED_DIR = Path(__file__).resolve().parent.parent / "content"
FIELD_MARKER = re.compile(r"^<!-- field: ([a-z_]+) -->$", re.MULTILINE)
MAX_FILE_BYTES = 256 * 1024  # the longest shipped file is about 3 KB
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
    "source": Kind(Source, "sources"),  # first: the guide, signs and topics link to them
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


# Export and import: every content item as a file, for backups and moving content between sites.


def file_fields(model):
    """The fields a content file carries: every editable field but the key and the rendered HTML.

    Read from the model, so a field added later is exported and imported without
    changes here. Timestamps such as `updated_at` are not editable and stay out, and so do
    links to user accounts (an item's review owner and deputy): they are people in one
    database, not content another site could load.
    """
    return [
        field
        for field in (*model._meta.concrete_fields, *model._meta.many_to_many)
        if field.editable and not field.primary_key and not field.name.endswith("_html")
        and not (field.is_relation and field.related_model is get_user_model())
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


def _name(obj):
    """An item's name in file names: its slug, or else its first unique field (a moved page's old path)."""
    if hasattr(obj, "slug"):
        return obj.slug
    unique = next(f for f in obj._meta.concrete_fields if f.unique and not f.primary_key)
    return slugify(str(unique.value_from_object(obj)).replace("/", " "))


def values_in_files(item, saved):
    """What the edition says about an item; related items as the keys of their database copies."""
    model = type(item.obj)
    values = _said(item.obj)
    for name, slug in item.parents.items():
        values[name] = saved[_target_kind(model, name)][slug].pk
    for name, slugs in item.links.items():
        values[name] = sorted(saved[_target_kind(model, name)][slug].pk for slug in slugs)
    return values


def values_in_database(obj, item):
    """What the database says about an item, in the terms of values_in_files."""
    values = _said(obj)
    values.update({name: getattr(obj, f"{name}_id") for name in item.parents})
    values.update({name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in item.links})
    return values


def _said(obj):
    """An item's own values that say something: not the version (it counts saves), and not a field
    at its default, so a field added later (with a default) leaves every fingerprint as it was."""
    fields = [f for f in file_fields(type(obj)) if not f.is_relation and f.name != "version"]
    return {f.name: value for f in fields if (value := getattr(obj, f.name)) != f.get_default()}


def edition_hash(values):
    """The fingerprint of an item's values (values_in_files or values_in_database) that the item keeps
    in `edition_hash` when an edition loads it."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()
