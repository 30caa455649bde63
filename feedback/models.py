import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.text import Truncator

from guides.models import admin_change_url

from .personal_details import remove_personal_details

FLAG_WINDOW_DAYS = 30
COMMENT_MAX_LENGTH = 500


class FeedbackQuerySet(models.QuerySet):
    def about(self, item):
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)

    def since(self, days):
        return self.filter(created_at__gte=timezone.now() - datetime.timedelta(days=days))

    def readers_flagged(self, threshold=None):
        """(item, number of "not helpful" answers) for every item that got them, not yet dealt with,
        on more days of the last FLAG_WINDOW_DAYS than the FEEDBACK_FLAG_THRESHOLD setting. Days, not
        answers: one person (or script) sending "No" four times in an afternoon flags nothing."""
        threshold = settings.FEEDBACK_FLAG_THRESHOLD if threshold is None else threshold
        counts = (
            self.since(FLAG_WINDOW_DAYS)
            .filter(helpful=False, dealt_with=False)
            .values_list("content_type", "object_id")
            .annotate(count=Count("pk"), days=Count(TruncDate("created_at"), distinct=True))
            .filter(days__gt=threshold)
            .order_by("-count")
        )
        by_type = {}
        for content_type_id, object_id, count, _ in counts:
            by_type.setdefault(content_type_id, {})[object_id] = count
        flagged = []
        for content_type_id, numbers in by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            for pk, item in model._default_manager.in_bulk(numbers).items():
                flagged.append((item, numbers[pk]))
        return sorted(flagged, key=lambda pair: -pair[1])


class Feedback(models.Model):
    """One reader's answer to "Was this page helpful?", about one item of guide content.

    The item is a generic relation, so this app names no guides model in its schema: any content
    with a `version` can take feedback, and guides never imports this app. Answers outlive a
    deleted item (the admin shows it as deleted): readers' words are not thrown away with it.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, help_text="The kind of item.")
    object_id = models.PositiveBigIntegerField(help_text="The item's number.")
    item = GenericForeignKey("content_type", "object_id")
    item_version = models.PositiveIntegerField(
        help_text="The version of the item the reader saw. It goes up each time the item is saved."
    )
    page = models.CharField(max_length=200, help_text="The address of the page the reader answered on.")
    helpful = models.BooleanField(help_text="The reader's answer to 'Was this page helpful?'")
    comment = models.TextField(
        blank=True,
        help_text="What the reader said was wrong or missing. Email addresses and phone numbers are removed.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    dealt_with = models.BooleanField(
        default=False,
        help_text="Tick once an editor has acted on this. Dealt-with answers no longer flag the item for review.",
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"
        indexes = [models.Index(fields=("content_type", "object_id", "created_at"), name="feedback_item_created")]

    def __str__(self):
        answer = "Helpful" if self.helpful else "Not helpful"
        return f"{answer}: {Truncator(self.comment).chars(60)}" if self.comment else answer

    def get_absolute_url(self):
        return admin_change_url(Feedback, self.pk)

    def save(self, *args, **kwargs):
        self.comment = remove_personal_details(self.comment.replace("\r\n", "\n").strip())
        super().save(*args, **kwargs)
