from django.contrib import admin
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator

from guides.models import admin_change_url

from .models import Feedback

LIST_COMMENT_CHARS = 120  # enough to see what a comment is about; its own page shows all of it


class HasCommentFilter(admin.SimpleListFilter):
    title = "comment"
    parameter_name = "has_comment"

    def lookups(self, request, model_admin):
        return (("yes", "With a comment"), ("no", "Without a comment"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(comment="")
        if self.value() == "no":
            return queryset.filter(comment="")
        return queryset


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Every answer, newest first. Filter by item from an item's change page ("See what readers said")
    or by the kind of item here; tick answers and mark them dealt with once acted on."""

    list_display = ("created_at", "answer", "short_comment", "about", "page_link", "item_version", "dealt_with")
    list_display_links = ("created_at",)
    list_filter = (
        HasCommentFilter, "dealt_with", "helpful", ("content_type", admin.RelatedOnlyFieldListFilter), "created_at"
    )
    search_fields = ("comment", "page")
    date_hierarchy = "created_at"
    actions = ("mark_dealt_with", "mark_not_dealt_with")
    fields = ("about", "item_version", "page", "helpful", "comment", "created_at", "dealt_with")
    readonly_fields = ("about", "item_version", "page", "helpful", "comment", "created_at")
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type").prefetch_related("item")

    def has_add_permission(self, request):
        return False  # answers come from readers only

    @admin.display(description="answer", ordering="helpful")
    def answer(self, feedback):
        return "Helpful" if feedback.helpful else "Not helpful"

    @admin.display(description="comment")
    def short_comment(self, feedback):
        return Truncator(" ".join(feedback.comment.split())).chars(LIST_COMMENT_CHARS)

    @admin.display(description="page", ordering="page")
    def page_link(self, feedback):
        return format_html('<a href="{}">{}</a>', feedback.page, feedback.page)  # a local path (checked on the way in)

    @admin.display(description="about", ordering="content_type")
    def about(self, feedback):
        item = feedback.item
        if item is None:
            return "(deleted)"
        label = f"{feedback.content_type.name.capitalize()}: {item}"
        try:
            url = admin_change_url(type(item), item.pk)
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a> (<a href="{}">all its feedback</a>)', url, label, "?" + urlencode(
            {"content_type__id__exact": feedback.content_type_id, "object_id": feedback.object_id}
        ))

    @admin.action(description="Mark selected feedback as dealt with")
    def mark_dealt_with(self, request, queryset):
        updated = queryset.update(dealt_with=True)
        self.message_user(request, f"{updated} answer(s) marked as dealt with.")

    @admin.action(description="Mark selected feedback as not dealt with")
    def mark_not_dealt_with(self, request, queryset):
        updated = queryset.update(dealt_with=False)
        self.message_user(request, f"{updated} answer(s) marked as not dealt with.")
