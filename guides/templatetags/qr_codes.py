"""QR codes drawn inline as SVG (segno), so a printed page leads back to the site."""

import segno
from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def qr_code(context, url_name, label):
    """A QR code of a page's full address, black on white (scannable on a dark screen too)."""
    address = context["request"].build_absolute_uri(reverse(url_name))
    code = segno.make(address, error="m")
    svg = code.svg_inline(dark="#000", light="#fff", border=4, svgclass="qr-code", omitsize=True)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
