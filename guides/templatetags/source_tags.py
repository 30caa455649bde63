from django import template

from guides.models import Source, admin_change_url

register = template.Library()


@register.simple_tag
def sources_with_problems():
    """The sources check_sources last found broken, moved or reviewed again, each with the items that
    cite it (and their admin pages), for the admin home."""
    rows = []
    for source in Source.objects.with_problems():
        citing = [(item, admin_change_url(type(item), item.pk)) for item in source.cited_by()]
        rows.append({"source": source, "url": admin_change_url(Source, source.pk), "citing": citing})
    return rows
