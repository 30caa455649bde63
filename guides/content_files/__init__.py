"""Content as Markdown files with front matter: the shipped edition and backups.

One file per item (see guides/content/README.md for the format). Every way in
reads a folder with `read_content`, which checks every file and writes nothing:
`import_content` loads a folder into a database with no guide (or replaces the
guide), `load_seed` is that for the shipped edition in guides/content/, and
`update_content` brings a running site's copy up to a new edition. Rendering is
the models' own `save()`; this module never renders Markdown itself.
"""

from .export import export_content
from .files import KINDS, SEED_DIR, ContentFileError, file_fields, parse, read_file
from .load import (
    EDITION_PUBLISHED, EDITION_UPDATE, FIRST_EDITION, ContentImportError, import_content, load_seed, read_content,
)
from .update import EditionUpdate, update_content

__all__ = [
    "KINDS", "SEED_DIR", "EDITION_PUBLISHED", "EDITION_UPDATE", "FIRST_EDITION", "ContentFileError",
    "ContentImportError", "EditionUpdate", "export_content", "file_fields", "import_content", "load_seed", "parse",
    "read_content", "read_file", "update_content",
]
