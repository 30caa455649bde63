"""Every content item written out as a file, for backups and moving content between sites."""

from pathlib import Path

from ..models import Guide
from .files import FIELD_MARKER, KINDS, ContentFileError, _in_file_order, _is_markdown, _name, _points_at_guide, file_fields


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
