"""JSON-LD for search engines, built from what the page shows.

/faq/ marks up its questions and answers in place (microdata), so they are not sent twice."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The escapes of django.utils.html.json_script: nothing in the data can close the element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _reviewer(name):
    """A clinical reviewer signs as "Name, Role" (a Person); the first edition's team is an Organization."""
    person, _, role = name.partition(", ")
    if not role:
        return {"@type": "Organization", "name": name}
    return {"@type": "Person", "name": person, "jobTitle": role}


def _reviewers(item):
    """One reviewer as themselves; copy checked by several, under all their names together."""
    names = getattr(item, "reviewers", None) or (item.reviewed_by,)
    return _reviewer(names[0]) if len(names) == 1 else {"@type": "Organization", "name": item.reviewed_by}


def _web_page(context, page_type, item, title, description, **more):
    request = context["request"]
    return ld_json(
        {
            "@context": "https://schema.org",
            "@type": page_type,
            "name": title,
            "description": description,
            "url": request.build_absolute_uri(request.path),
            "inLanguage": "en-GB",
            "lastReviewed": item.last_reviewed.isoformat(),
            "reviewedBy": _reviewers(item),
            **more,
        }
    )


def _citation(source):
    return {
        "@type": "CreativeWork",
        "name": source.title,
        "url": source.url,
        "publisher": {"@type": "Organization", "name": source.publisher},
    }


@register.simple_tag(takes_context=True)
def medical_web_page(context, item, title, description, sources=()):
    """A MedicalWebPage with the review record of the item the page is about, and the sources the
    page lists (the records, as its sources list shows them) as its `citation`."""
    more = {"citation": [_citation(source) for source in sources]} if sources else {}
    return _web_page(
        context, "MedicalWebPage", item, title, description,
        about={"@type": "MedicalCondition", "name": "Low back pain"}, **more,
    )


@register.simple_tag(takes_context=True)
def about_page(context, item, title, description):
    """An AboutPage: what the site is, who checks it and when it was last checked."""
    return _web_page(context, "AboutPage", item, title, description)
