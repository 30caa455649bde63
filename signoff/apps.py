from django.apps import AppConfig


class SignoffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "signoff"
    verbose_name = "Clinical sign-off"
