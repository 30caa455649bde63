"""Content as Markdown files with front matter: the seed edition and backups.

One file per item (see guides/content/README.md for the format). Functions here
take the model classes as arguments so the data migration can pass its
historical models and management commands the real ones.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .markdown import render_markdown

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
    main_field: str
    markdown_fields: tuple


KINDS = {
    "guide": Kind("Guide", "", "introduction", ("introduction", "conclusion", "key_points", "sources")),
    "card": Kind("CareCard", "cards", "body", ("body",)),
    "step": Kind("Step", "steps", "body", ("body",)),
    "item": Kind("StepItem", "items", "text", ("text",)),
    "question": Kind("Question", "questions", "answer", ("answer",)),
    "tip": Kind("Tip", "tips", "body", ("body",)),
}


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


def read_kind(directory, kind):
    """Yield (path, meta, fields) for every file of one kind, in name order."""
    spec = KINDS[kind]
    if kind == "guide":
        paths = [Path(directory) / "guide.md"]
    else:
        paths = sorted((Path(directory) / spec.folder).glob("*.md"))
    for path in paths:
        meta, fields = parse(path.read_text(encoding="utf-8"), path)
        fields[spec.main_field] = fields.pop("")
        yield path, meta, fields


def _values(model, meta, fields, path):
    names = {f.name: f for f in model._meta.concrete_fields}
    values = {}
    for key, raw in {**meta, **fields}.items():
        field = names.get(key)
        if field is None or key.endswith("_html") or field.is_relation:
            continue
        internal = field.get_internal_type()
        try:
            if internal == "DateField":
                values[key] = datetime.date.fromisoformat(raw)
            elif internal in {"PositiveSmallIntegerField", "IntegerField", "PositiveIntegerField"}:
                values[key] = int(raw)
            elif internal == "BooleanField":
                values[key] = raw.lower() in {"1", "true", "yes"}
            else:
                values[key] = raw
        except ValueError:
            raise ContentFileError(path, f"{key!r} has the bad value {raw!r}") from None
    return values


def _build(model, kind, meta, fields, path, **relations):
    obj = model(**_values(model, meta, fields, path), **relations)
    for name in KINDS[kind].markdown_fields:
        setattr(obj, f"{name}_html", render_markdown(getattr(obj, name)))
    return obj


def load_seed(models, directory=SEED_DIR):
    """Create the guide from the seed files, once.

    If the guide already exists, nothing is touched: editors own the copy from
    then on (including items they deleted on purpose). Returns True if it loaded.
    """
    Guide = models["Guide"]
    (path, meta, fields), = read_kind(directory, "guide")
    if Guide.objects.filter(slug=meta.get("slug")).exists():
        return False
    with transaction.atomic():
        guide = _build(Guide, "guide", meta, fields, path)
        guide.save()
        cards = {}
        for path, meta, fields in read_kind(directory, "card"):
            card = _build(models["CareCard"], "card", meta, fields, path, guide=guide)
            card.save()
            cards[card.slug] = card
        steps = {}
        for path, meta, fields in read_kind(directory, "step"):
            step = _build(models["Step"], "step", meta, fields, path, guide=guide)
            step.save()
            wanted = [s.strip() for s in meta.get("care_cards", "").split(",") if s.strip()]
            step.care_cards.set(cards[s] for s in wanted)
            steps[step.slug] = step
        for path, meta, fields in read_kind(directory, "item"):
            _build(models["StepItem"], "item", meta, fields, path, step=steps[meta["step"]]).save()
        for kind in ("question", "tip"):
            for path, meta, fields in read_kind(directory, kind):
                _build(models[KINDS[kind].model], kind, meta, fields, path, guide=guide).save()
    return True
