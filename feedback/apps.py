from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"
    verbose_name = "Reader feedback"

    def review_flags(self):
        """(item, reason) pairs for guides' review list and review_status, which look for this method."""
        from .models import FLAG_WINDOW_DAYS, Feedback

        return [
            (item, f"Readers flagged: {count} said it was not helpful in {FLAG_WINDOW_DAYS} days")
            for item, count in Feedback.objects.readers_flagged()
        ]
