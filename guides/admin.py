import difflib
import re

from django import forms
from django.contrib import admin, messages
from django.db import router, transaction
from django.db.models import Max
from django.core.exceptions import ValidationError
from django.utils import timezone
from markdownx.admin import MarkdownxModelAdmin
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .admin_checks import ContentChecksAdminMixin
from .models import REVIEW_WARNING_DAYS, CareCard, Guide, MovedPage, Question, Step, StepItem, Tip

NOISY_FIELDS = {"version", "updated_at"}

admin.site.site_header = "Backcare editors"
admin.site.site_title = "Backcare admin"
admin.site.index_title = "Guide content and reviews"


class ReviewStatusFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("due", f"Overdue or due within {REVIEW_WARNING_DAYS} days")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=timezone.localdate())
        if self.value() == "due":
            return queryset.review_due()
        return queryset


class VersionedForm(forms.ModelForm):
    """Refuses a save made from an older version, so no editor overwrites another unseen."""

    change_reason = forms.CharField(
        label="Reason for change",
        required=False,
        max_length=100,
        help_text="A few words for the history, e.g. 'Clearer wording for step 3'.",
    )

    class Meta:
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        cleaned_data = super().clean()
        instance = self.instance
        if instance.pk is None or "version" not in cleaned_data:
            return cleaned_data
        # Lock the row until the admin's transaction commits: no save can slip in between.
        current = (
            type(instance).objects.select_for_update().filter(pk=instance.pk).values_list("version", flat=True).first()
        )
        if current is not None and cleaned_data["version"] != current:
            latest = instance.history.order_by("-history_date").first()
            who = latest.history_user.get_username() if latest and latest.history_user else "Another editor"
            when = timezone.localtime(latest.history_date).strftime("%-d %B %Y at %H:%M") if latest else "recently"
            raise ValidationError(
                "%(who)s changed this on %(when)s, after you opened it. Your text is still below and has "
                "not been saved. Open the page again in a new tab to see their version, copy your changes "
                "across, and save there.",
                code="stale",
                params={"who": who, "when": when},
            )
        return cleaned_data


class CareCardForm(VersionedForm):
    change_reason = forms.CharField(
        label="Reason for change",
        max_length=100,
        help_text="Required for safety copy. It is stored with the history, e.g. 'Added NHS 111 online'.",
    )


class DiffContextHelper(HistoricalRecordContextHelper):
    """Shows changed text as a word-by-word diff instead of two truncated copies."""

    def context_for_delta_changes(self, delta):
        changes = []
        for change in delta.changes:
            if change.field in NOISY_FIELDS or change.field.endswith("_html"):
                continue
            formatted = self.format_delta_change(change)
            changes.append({"field": formatted.field, "old": formatted.old, "new": formatted.new,
                            "diff": word_diff(change.old, change.new)})
        return changes


def word_diff(old, new):
    """A list of (kind, text) pieces, kind being 'same', 'removed' or 'added'."""
    if not isinstance(old, str) or not isinstance(new, str):
        return None
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            same = "".join(a[i1:i2])
            if len(same) > 160:  # long unchanged stretches are shortened to their ends, at word breaks
                head, tail = same[:80].rsplit(" ", 1)[0], same[-80:].split(" ", 1)[-1]
                same = f"{head} … {tail}"
            pieces.append(("same", same))
            continue
        if i2 > i1:
            pieces.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("added", "".join(b[j1:j2])))
    return pieces


class ContentAdmin(ContentChecksAdminMixin, SimpleHistoryAdmin, MarkdownxModelAdmin):
    """Every change goes through the versioned form (no list_editable: it would skip the check)."""

    form = VersionedForm
    list_filter = ("is_published", ReviewStatusFilter)
    actions = ["move_up", "move_down"]

    def get_fieldsets(self, request, obj=None):
        """The copy first; publishing and review dates after it; the reason for the change last."""
        review = ["is_published", "last_reviewed", "reviewed_by", "next_review_due"]
        last = ["change_reason", "version"]
        copy = [name for name in self.get_fields(request, obj) if name not in review + last]
        return [(None, {"fields": copy}), ("Publishing and review", {"fields": review}), (None, {"fields": last})]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # One transaction, as in the change view: the stale-save check locks the row (PostgreSQL
        # refuses select_for_update outside a transaction).
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.action(description="Move selected items up one place", permissions=["change"])
    def move_up(self, request, queryset):
        self.move(request, queryset, "up")

    @admin.action(description="Move selected items down one place", permissions=["change"])
    def move_down(self, request, queryset):
        self.move(request, queryset, "down")

    def move(self, request, queryset, direction):
        """Swap each selected item with its neighbour in the guide, recording both in the history."""
        moved = 0
        with transaction.atomic(using=router.db_for_write(self.model)):
            for item in queryset.order_by("order" if direction == "up" else "-order"):
                item.refresh_from_db()
                siblings = self.model.objects.filter(guide=item.guide_id)
                if direction == "up":
                    neighbour = siblings.filter(order__lt=item.order).order_by("-order").first()
                else:
                    neighbour = siblings.filter(order__gt=item.order).order_by("order").first()
                if neighbour is None:
                    continue
                mine, theirs = item.order, neighbour.order
                # Park the item on a free number first: the order is unique within the guide.
                spare = (siblings.aggregate(Max("order"))["order__max"] or 0) + 1
                self.model.objects.filter(pk=item.pk).update(order=spare)
                for obj, order in ((neighbour, mine), (item, theirs)):
                    obj.refresh_from_db(fields=["order", "version"])
                    obj.order = order
                    obj._history_user = request.user
                    obj._change_reason = f"Moved {direction} in the list"
                    obj.save()
                moved += 1
        self.message_user(request, f"Moved {moved} item(s) {direction}.", messages.SUCCESS)

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and obj.pk:
            # A revert form starts from an old version; the save must be checked against today's.
            obj.version = type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).first() or obj.version
        return super().get_form(request, obj, **kwargs)

    def get_historical_record_context_helper(self, request, historical_record):
        return DiffContextHelper(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason") or None
        super().save_model(request, obj, form, change)

    @admin.display(description="review")
    def review_state(self, obj):
        return obj.review_status()


class StepItemInline(admin.StackedInline):
    model = StepItem
    extra = 0
    fieldsets = [
        (None, {"fields": ["order", "title", "slug", "text", "illustration", "illustration_alt"]}),
        ("Dose: how much, how often, when to stop (leave empty for a position)", {"fields": [
            "repetitions", ("hold_seconds", "hold_seconds_up_to"), ("minutes", "minutes_up_to"),
            ("times_a_day", "times_a_day_up_to"), "each_side", "stop_if",
        ]}),
    ]
    prepopulated_fields = {"slug": ("title",)}
    formfield_overrides = MarkdownxModelAdmin.formfield_overrides


@admin.register(Guide)
class GuideAdmin(ContentAdmin):
    list_display = ("title", "is_published", "last_reviewed", "next_review_due", "review_state")
    actions = []
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "summary", "introduction", "conclusion", "key_points")


@admin.register(Step)
class StepAdmin(ContentAdmin):
    list_display = ("title", "order", "is_published", "last_reviewed", "next_review_due", "review_state")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "summary", "body")
    filter_horizontal = ("care_cards",)
    inlines = [StepItemInline]


@admin.register(Question)
class QuestionAdmin(ContentAdmin):
    list_display = ("question", "order", "is_published", "last_reviewed", "next_review_due", "review_state")
    prepopulated_fields = {"slug": ("question",)}
    search_fields = ("question", "answer")


@admin.register(Tip)
class TipAdmin(ContentAdmin):
    list_display = ("title", "order", "is_published", "last_reviewed", "next_review_due", "review_state")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "body")


@admin.register(CareCard)
class CareCardAdmin(ContentAdmin):
    form = CareCardForm
    list_display = ("heading", "level", "order", "is_published", "last_reviewed", "next_review_due", "review_state")
    list_filter = ("level", "is_published", ReviewStatusFilter)
    prepopulated_fields = {"slug": ("heading",)}
    search_fields = ("heading", "body")
    change_form_template = "admin/guides/carecard/change_form.html"


@admin.register(MovedPage)
class MovedPageAdmin(admin.ModelAdmin):
    """Made automatically when a published page's slug changes; editors may tidy them."""

    list_display = ("old_path", "new_path", "moved_at")
    search_fields = ("old_path", "new_path")
