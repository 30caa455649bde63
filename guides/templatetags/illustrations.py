"""Illustrations drawn inline, so a page's pictures cost no extra requests.

The SVG files in static/guides/illustrations/ stay self-contained (each has its
own <style>, for viewing on its own); inline, that <style> is dropped (our CSP
allows no inline styles) and static/css/site.css styles the same classes.
"""

import functools
import re

from django import template
from django.contrib.staticfiles import finders
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

STYLE = re.compile(r"<style>.*?</style>", re.S)
ROOT = re.compile(r"<svg\b[^>]*>")
ID = re.compile(r'\bid="([^"]+)"')


@functools.lru_cache(maxsize=64)
def _drawing(path):
    """The SVG's markup without its root element's attributes or its style; ids made unique."""
    found = finders.find(f"guides/illustrations/{path}")
    if not found:
        return None
    with open(found, encoding="utf-8") as svg_file:
        svg = svg_file.read()
    viewbox = re.search(r'viewBox="([^"]+)"', svg).group(1)
    body = ROOT.sub("", STYLE.sub("", svg), count=1).replace("</svg>", "").strip()
    prefix = "il-" + re.sub(r"[^a-z0-9]+", "-", path.removesuffix(".svg").lower())
    for name in set(ID.findall(body)):
        body = body.replace(f'id="{name}"', f'id="{prefix}-{name}"').replace(f"url(#{name})", f"url(#{prefix}-{name})")
    return viewbox, body


@register.simple_tag
def illustration(path, alt="", small=False):
    """An inline SVG picture; `alt` becomes its accessible name (empty: hidden from screen readers)."""
    drawing = _drawing(path) if path else None
    if drawing is None:
        return ""
    viewbox, body = drawing
    classes = "illustration illustration--small" if small else "illustration"
    label = f'role="img" aria-label="{escape(alt)}"' if alt else 'aria-hidden="true"'
    return mark_safe(
        f'<svg class="{classes}" viewBox="{viewbox}" {label} focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )
