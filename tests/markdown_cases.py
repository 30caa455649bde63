"""Markdown an editor could type that is hard on a parser: each case is MAX_LENGTH characters or
just under; and the renderer as it was before, to compare with. Shared by the tests and `make bench`."""

from pathlib import Path

import markdown
import nh3

from guides import markdown as pipeline
from guides.markdown import MAX_LENGTH

SEED = Path(pipeline.__file__).parent / "content"


def repeated(unit, tail=""):
    return unit * ((MAX_LENGTH - len(tail)) // len(unit)) + tail


HOSTILE_MARKDOWN = {
    "nested list markers": repeated("- ", "x"),
    "nested numbered lists": repeated("1. ", "x"),
    "nested quotes": repeated("> ", "x"),
    "open brackets": repeated("["),
    "open image brackets": repeated("!["),
    "unfinished links": repeated("[a]("),
    "brackets in brackets": repeated("[[]]("),
    "emphasis runs": repeated("*a"),
    "strong runs": repeated("a**"),
    "underscores": repeated("_a"),
    "backticks": repeated("`a"),
    "angle brackets": repeated("<a"),
    "entities": repeated("&#"),
    "backslashes": repeated("\\"),
    "link definitions": repeated("[a]: b\n"),
    "setext headings": repeated("a\n=\n"),
    "raw html": repeated("<div onclick=x>\n"),
    "one long line": repeated("a"),
}


def python_markdown_pipeline(text):
    """render_markdown as it was before markdown-it-py: python-markdown with sane_lists, then nh3."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=pipeline.ALLOWED_TAGS,
        attributes=pipeline.ALLOWED_ATTRIBUTES,
        url_schemes=pipeline.ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def seed_fields():
    """(name, Markdown) for every Markdown field of the shipped content (needs Django set up)."""
    from guides.content_files import parse

    for path in sorted(SEED.rglob("*.md")):
        if path.name != "README.md":
            _, fields = parse(path.read_text(), path)
            for name, text in fields.items():
                yield f"{path.relative_to(SEED)}:{name or 'body'}", text
