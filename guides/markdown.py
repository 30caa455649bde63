"""Markdown in, sanitized HTML out. Pure: imports nothing of ours.

Pages store the result on save; the admin's live preview calls the same
function (MARKDOWNX_MARKDOWNIFY_FUNCTION), so preview and page always match.
"""

import markdown
import nh3

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


def render_markdown(text):
    """Return safe HTML for editor-written Markdown.

    Raw HTML in the Markdown is escaped or dropped by nh3's allow-list: scripts,
    styles, frames, event handlers and javascript:/data: links never survive.
    """
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
