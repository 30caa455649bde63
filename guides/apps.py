from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from simple_history.signals import pre_create_historical_record


class GuidesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guides"
    verbose_name = "Guide content"

    def ready(self):
        from . import models, page_cache, publishing

        for model in models.COPY_MODELS:
            post_save.connect(page_cache.content_changed, sender=model)
            post_delete.connect(page_cache.content_changed, sender=model)
        for page_model in (models.Step, models.Topic):
            m2m_changed.connect(page_cache.content_changed, sender=page_model.care_cards.through)
            m2m_changed.connect(publishing.refuse_unapproved_cards, sender=page_model.care_cards.through)
        for model in (models.Guide, models.WarningSign, models.Topic):
            m2m_changed.connect(page_cache.content_changed, sender=model.sources.through)
            m2m_changed.connect(publishing.refuse_unapproved_cards, sender=model.sources.through)
        post_save.connect(page_cache.content_changed, sender=models.Source)
        post_delete.connect(page_cache.content_changed, sender=models.Source)
        for model in (*models.COPY_MODELS, models.Source):
            pre_delete.connect(publishing.refuse_unapproved_delete, sender=model)
        pre_create_historical_record.connect(models.fit_history_reason, dispatch_uid="guides.fit_history_reason")
