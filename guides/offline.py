"""What the service worker keeps on a reader's phone, so the guide can be read offline.

The worker script (/sw.js) carries the list of pages and files it keeps and a version made
from the content. Browsers fetch the script afresh on each visit and install it again when its
bytes change: an approved change to the copy gives a new version, so the next visit online
replaces every kept page and outdated safety copy never lingers on a phone.
"""

import functools
import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max
from django.templatetags.static import static
from django.urls import reverse

from . import page_cache
from .illustrations import illustration_paths
from .models import COPY_MODELS, Source, Step
from .sitemaps import public_paths

# Files every kept page uses. Illustrations are added from the shipped set.
ASSETS = (
    "css/site.css", "css/sheet-print.css", "js/offline.js", "js/copy-link.js", "js/print.js",
    "feedback/feedback.js", "css/appointment.css", "js/appointment.js",
    "css/plan.css", "css/plan-no-script.css", "js/plan.js", "js/plan-add.js",
)


def kept_pages():
    """Every page readers can see (as the sitemap lists them), and the page shown for any other address."""
    return [*public_paths(), reverse("guides:offline")]


def kept_files():
    """The stylesheet, icon, scripts and illustrations, at their hashed (cache-busting) addresses."""
    return [static(name) for name in ASSETS] + [static(f"guides/illustrations/{path}") for path in illustration_paths()]


def content_version():
    """Changes whenever any copy changes. Every save, delete or undo writes a history row (counted,
    as rows may commit out of id order); the step-to-card links have no history, so their rows are
    counted; and a bulk re-render starts a new render generation (page_cache.render_generation,
    which an outage of the shared cache leaves as it was)."""
    state = [model.history.aggregate(rows=Count("pk"), newest=Max("history_id")) for model in (*COPY_MODELS, Source)]
    state.append(Step.care_cards.through.objects.aggregate(rows=Count("pk"), newest=Max("pk")))
    state.append(page_cache.render_generation())
    return json.dumps(state, default=str, sort_keys=True)


@functools.cache
def templates_version():
    """The words around the copy (the emergency numbers in base.html, the offline page) are in the
    project's templates: a release that changes them is a new version too."""
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(apps.get_app_config(label).path) / "templates" for label in ("guides", "feedback")]
    digest = hashlib.sha256()
    for path in sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def manifest():
    pages, files = kept_pages(), kept_files()
    state = [content_version(), templates_version(), pages, files]
    return {
        "version": hashlib.sha256(json.dumps(state).encode()).hexdigest()[:16],
        "pages": pages,
        "files": files,
        "offline": reverse("guides:offline"),
        "leave_alone": reverse("admin:index"),  # the admin works as if there were no worker
    }
