"""The sources' admin: the records items link to, with what check_sources last saw on each."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Source

CITED_HELP = (
    "Published pages cite this source (or a change waiting for sign-off is to cite it), so its title, "
    "publisher, address and note change only with a clinical reviewer's approval. To point readers at a new address, add a new source, then change the "
    "sources of each page that cites this one: those changes go to a reviewer. You can still record the "
    "date you checked it."
)
SEEN = ("status", "status_detail", "status_checked_at", "final_url", "review_date_seen")


def is_guarded(obj):
    """Whether readers see this source (or a waiting change is to show it), asked once per admin
    request: the form, its fieldsets, prepopulated fields and delete permission all need it."""
    if obj is None:
        return False
    if not hasattr(obj, "_guarded"):
        obj._guarded = obj.seen_by_readers()
    return obj._guarded


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

    def get_readonly_fields(self, request, obj=None):
        # Cited by published copy, what readers see of a source changes only through the sign-off.
        if is_guarded(obj):
            return (*obj.READER_FIELDS, *SEEN)
        return SEEN

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if is_guarded(obj):
            name, options = fieldsets[0]
            fieldsets = [(name, {**options, "description": CITED_HELP}), *fieldsets[1:]]
        return fieldsets

    def get_prepopulated_fields(self, request, obj=None):
        return {} if is_guarded(obj) else super().get_prepopulated_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A cited source goes when no published page cites it any more (a change a reviewer approves).
        return super().has_delete_permission(request, obj) and not is_guarded(obj)
