"""What the service worker keeps on a reader's phone, so the guide can be read offline.

The worker script (/sw.js) carries the list of pages and files it keeps and a version made
from the content. Browsers fetch the script afresh on each visit and install it again when its
bytes change: an approved change to the copy gives a new version, so the next visit online
replaces every kept page and outdated safety copy never lingers on a phone.
"""

import hashlib
import json

from django.db.models import Count, Max
from django.templatetags.static import static
from django.urls import reverse

from .illustrations import illustration_paths
from .models import COPY_MODELS, Step
from .sitemaps import public_paths

# Files every kept page uses. Illustrations are added from the shipped set.
ASSETS = ("css/site.css", "favicon.svg", "js/offline.js", "js/copy-link.js", "feedback/feedback.js")


def kept_pages():
    """Every page readers can see (as the sitemap lists them), and the page shown for any other address."""
    return [*public_paths(), reverse("guides:offline")]


def kept_files():
    """The stylesheet, icon, scripts and illustrations, at their hashed (cache-busting) addresses."""
    return [static(name) for name in ASSETS] + [static(f"guides/illustrations/{path}") for path in illustration_paths()]


def content_version():
    """Changes whenever any copy changes. Every save, delete or undo writes a history row with a
    higher id; the step-to-card links have no history of their own, so their rows are counted."""
    state = [model.history.aggregate(newest=Max("history_id"))["newest"] for model in COPY_MODELS]
    state.append(Step.care_cards.through.objects.aggregate(count=Count("pk"), newest=Max("pk")))
    return json.dumps(state, default=str, sort_keys=True)


def manifest():
    pages, files = kept_pages(), kept_files()
    version = hashlib.sha256(json.dumps([content_version(), pages, files]).encode()).hexdigest()[:16]
    return {
        "version": version,
        "pages": pages,
        "files": files,
        "offline": reverse("guides:offline"),
        "leave_alone": reverse("admin:index"),  # the admin works as if there were no worker
    }
