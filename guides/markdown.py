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
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "sms", "tel"}
BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")

# The UK's help numbers and services, linked wherever copy names them (outside links of its own):
# one tap calls from a phone. Longer names first, so "111 online" is not read as the number 111.
HELP_LINKS = [
    (re.compile(r"\b999 BSL\b"), "https://www.999bsl.co.uk/"),
    (re.compile(r"\b111 online\b"), "https://111.nhs.uk/"),
    (re.compile(r"(?<![\d.,/])(?<!\d )\b999\b(?![.,/]?\d)"), "tel:999"),
    (re.compile(r"(?<![\d.,/])(?<!\d )\b111\b(?![.,/]?\d)"), "tel:111"),
]
HELP_LINK = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in HELP_LINKS))
TAG = re.compile(r"(<[^>]*>)")


def _help_link(match):
    text = match.group(0)
    href = next(href for pattern, href in HELP_LINKS if pattern.fullmatch(text))
    return f'<a href="{href}">{text}</a>'


def link_help_numbers(safe_html):
    """Make each mention of 999, 111, 111 online and 999 BSL in already-safe HTML a
    link (tel: for the numbers), except inside a link of its own. Pure string work, linear in length."""
    parts, depth = TAG.split(safe_html), 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            if name == "a":
                depth += -1 if part.startswith("</") else 1
        elif depth <= 0 and part:
            parts[index] = HELP_LINK.sub(_help_link, part)
    return "".join(parts)


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
    return link_help_numbers(nh3.clean(
        html_out.rstrip("\n"),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ))


def plain_paragraphs(text):
    """The text escaped, a paragraph per blank-line-separated block: linear in its length, and
    safe without nh3 (html.escape leaves no tag or attribute of the text's own)."""
    text = stored_text(text).strip()
    return f"<p>{BLANK_LINES.sub('</p>\\n<p>', html.escape(text))}</p>" if text else ""
