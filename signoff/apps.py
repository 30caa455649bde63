from django.apps import AppConfig


class SignoffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "signoff"
    verbose_name = "Clinical sign-off"

    def preview(self, pk):
        """The open proposal `pk` as guides' reader pages show it to staff, or None. Guides looks
        this method up in the app registry (as review_flags()), so it never imports signoff."""
        from .preview import Preview

        return Preview.of(pk)
