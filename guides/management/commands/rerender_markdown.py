from django.core.management.base import BaseCommand

from guides import page_cache
from guides.models import COPY_MODELS


class Command(BaseCommand):
    help = "Render every stored Markdown field to HTML again (run after the Markdown pipeline changes)."

    def handle(self, *args, **options):
        for model in COPY_MODELS:
            html_fields = [f"{name}_html" for name in model.markdown_fields]
            if not html_fields:  # plain-text copy (warning signs): nothing to render
                continue
            objects = list(model.objects.all())
            for obj in objects:
                obj.render_html()
            # bulk_update skips save(): no history rows or timestamps for a re-render.
            model.objects.bulk_update(objects, html_fields, batch_size=200)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {len(objects)} re-rendered")
        page_cache.content_changed()
        page_cache.rendered_again()
