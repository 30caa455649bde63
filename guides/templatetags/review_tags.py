from django import template

from guides.models import REVIEW_WARNING_DAYS, admin_change_url, content_due_for_review, content_flagged_for_review

register = template.Library()


@register.inclusion_tag("admin/guides/reviews_due.html")
def reviews_due():
    rows, flags = [], content_flagged_for_review()
    due = content_due_for_review()
    for item in due + [item for item in flags if item not in due]:
        url = admin_change_url(type(item), item.pk)
        rows.append({"item": item, "kind": item._meta.verbose_name, "status": item.review_status(), "url": url,
                     "flags": flags.get(item, [])})
    return {"rows": rows, "window": REVIEW_WARNING_DAYS}
