"""The sources' admin: the records items link to, with what check_sources last saw on each."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Source

SEEN = ("status", "status_detail", "status_checked_at", "final_url", "review_date_seen")


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("title", "publisher", "checked_on", "status", "status_checked_at")
    list_filter = ("status", "publisher")
    search_fields = ("title", "publisher", "url", "slug")
    prepopulated_fields = {"slug": ("publisher", "title")}
    readonly_fields = SEEN
    fieldsets = [
        (None, {"fields": ("title", "publisher", "url", "note", "slug", "checked_on")}),
        ("What the daily check (check_sources) last saw", {"fields": SEEN}),
    ]
