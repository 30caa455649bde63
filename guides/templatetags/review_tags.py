from django import template

from guides.models import REVIEW_WARNING_DAYS, admin_change_url, content_due_for_review, content_flagged_for_review

register = template.Library()


@register.simple_tag
def reviews_due(today=None):
    """The admin home's "Due for review": overdue and due-soon copy with its owner, and what readers flagged."""
    flags = content_flagged_for_review()
    due = content_due_for_review(today)
    groups = {"overdue": [], "due soon": [], "ok": []}
    for item in due + [item for item in flags if item not in due]:
        groups[item.review_status(today)].append({
            "item": item, "kind": item._meta.verbose_name, "url": admin_change_url(type(item), item.pk),
            "owner": item.owner, "deputy": item.deputy, "flags": flags.get(item, []),
        })
    captions = {
        "overdue": "Overdue: readers still see these, with their review date",
        "due soon": f"Due in the next {REVIEW_WARNING_DAYS} days",
        "ok": "Flagged by readers",
    }
    shown = [(captions[name], rows) for name, rows in groups.items() if rows]
    return {"groups": shown, "window": REVIEW_WARNING_DAYS}
