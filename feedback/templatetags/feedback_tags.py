import datetime

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from ..forms import ITEM_MODELS
from ..models import FLAG_WINDOW_DAYS, Feedback

register = template.Library()


@register.inclusion_tag("feedback/form.html", takes_context=True)
def feedback_form(context, item):
    """'Was this page helpful?' about one item. It holds only the item, its version and the page
    address, the same for every reader, so the page around it stays in the page cache."""
    return {"item": item, "item_label": item._meta.label_lower, "page": context["request"].path}


@register.inclusion_tag("feedback/admin_counts.html")
def feedback_counts(item):
    """For an item's admin change page: how readers answered, with a link to their answers."""
    if item is None or item._meta.label_lower not in ITEM_MODELS:
        return {}
    content_type = ContentType.objects.get_for_model(item)
    recent = Q(created_at__gte=timezone.now() - datetime.timedelta(days=FLAG_WINDOW_DAYS))
    counts = Feedback.objects.filter(content_type=content_type, object_id=item.pk).aggregate(
        all_helpful=Count("pk", filter=Q(helpful=True)),
        all_not_helpful=Count("pk", filter=Q(helpful=False)),
        recent_helpful=Count("pk", filter=Q(helpful=True) & recent),
        recent_not_helpful=Count("pk", filter=Q(helpful=False) & recent),
        to_deal_with=Count("pk", filter=Q(helpful=False, dealt_with=False)),
    )
    query = urlencode({"content_type__id__exact": content_type.pk, "object_id": item.pk})
    return {"counts": counts, "days": FLAG_WINDOW_DAYS, "url": f"{reverse('admin:feedback_feedback_changelist')}?{query}"}
