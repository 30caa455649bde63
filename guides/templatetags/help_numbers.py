from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ..markdown import link_help_numbers

register = template.Library()


@register.filter
def help_links(text):
    """Plain text (a card's heading, a sign) with 999, 111 and 111 online as links, as in the copy."""
    return mark_safe(link_help_numbers(str(conditional_escape(text))))
