from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from .models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Every answer, newest first. Filter by item from an item's change page ("See what readers said")
    or by the kind of item here; tick answers and mark them dealt with once acted on."""

    list_display = ("created_at", "helpful", "comment", "about", "item_version", "page", "dealt_with")
    list_display_links = ("created_at",)
    list_filter = ("dealt_with", "helpful", ("content_type", admin.RelatedOnlyFieldListFilter), "created_at")
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

    @admin.display(description="about", ordering="content_type")
    def about(self, feedback):
        item = feedback.item
        if item is None:
            return "(deleted)"
        label = f"{feedback.content_type.name.capitalize()}: {item}"
        try:
            url = reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
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
