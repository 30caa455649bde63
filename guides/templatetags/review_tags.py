from django import template
from django.urls import reverse

from guides.models import REVIEW_WARNING_DAYS, content_due_for_review, content_flagged_for_review

register = template.Library()


@register.inclusion_tag("admin/guides/reviews_due.html")
def reviews_due():
    rows, flags = [], content_flagged_for_review()
    due = content_due_for_review()
    for item in due + [item for item in flags if item not in due]:
        opts = item._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
        rows.append({"item": item, "kind": opts.verbose_name, "status": item.review_status(), "url": url,
                     "flags": flags.get(item, [])})
    return {"rows": rows, "window": REVIEW_WARNING_DAYS}
