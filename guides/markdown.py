"""Markdown in, sanitized HTML out. Pure: imports nothing of ours.

Pages store the result on save; the admin's live preview calls the same
function (MARKDOWNX_MARKDOWNIFY_FUNCTION), so preview and page always match.

The parser is markdown-it-py with the CommonMark rules: it runs in time that grows
with the length of the text and caps nesting, where python-markdown raised
RecursionError on 500 nested list markers and took seconds on a few thousand `[`
(bench/RESULTS.md has the figures). Editors' fields are limited to MAX_LENGTH
characters; render_markdown still answers for longer text, and never raises.
"""

import functools
import html
import re

import nh3
from markdown_it import MarkdownIt

MAX_LENGTH = 20_000  # characters in one Markdown field; the worst input this long renders well under 1 s

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr",
    "li", "ol", "p", "pre", "strong", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")

# Raw HTML is parsed (then nh3 drops what is not allowed), as python-markdown did before.
_parser = MarkdownIt("commonmark")


def stored_text(text):
    """Text as it is stored and counted: LF line ends (browsers send a textarea's with CRLF)."""
    return (text or "").replace("\r\n", "\n")


def render_markdown(text):
    """Return safe HTML for editor-written Markdown.

    Raw HTML in the Markdown is escaped or dropped by nh3's allow-list: scripts,
    styles, frames, event handlers and javascript:/data: links never survive.
    Text longer than MAX_LENGTH (forms refuse it; this is the last guard) is shown
    as plain paragraphs, as is anything the parser fails on.
    """
    text = text or ""
    if len(text) > MAX_LENGTH:
        return plain_paragraphs(text)
    return render_within_limit(text)


# A save renders each field twice (the admin's content checks, then save()): the second is a lookup.
@functools.lru_cache(maxsize=64)
def render_within_limit(text):
    try:
        html_out = _parser.render(text)
    except Exception:  # a parser bug must not cost an editor their save or a reader the page
        return plain_paragraphs(text)
    return nh3.clean(
        html_out.rstrip("\n"),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_paragraphs(text):
    """The text escaped, a paragraph per blank-line-separated block: linear in its length, and
    safe without nh3 (html.escape leaves no tag or attribute of the text's own)."""
    text = stored_text(text).strip()
    return f"<p>{BLANK_LINES.sub('</p>\\n<p>', html.escape(text))}</p>" if text else ""
