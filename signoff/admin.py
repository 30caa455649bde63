from django.contrib import admin

from .models import ReviewerProfile


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    """How each clinical reviewer signs their approvals, as readers see it."""

    list_display = ("public_name", "role", "user")
    search_fields = ("public_name", "role", "user__username")
