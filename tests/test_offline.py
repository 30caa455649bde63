"""What the offline service worker is given: /sw.js with the list of what it keeps and a version
that follows the content, the offline page, and a policy that lets only this site run workers."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from guides.models import CareCard, Question, Step, Tip
from guides.sitemaps import public_paths

pytestmark = pytest.mark.django_db
WORKER = "/sw.js"


def manifest(client):
    response = client.get(WORKER)
    assert response.status_code == 200
    found = re.search(r"^const MANIFEST = (\{.*?\n\});$", response.content.decode(), re.MULTILINE | re.DOTALL)
    return json.loads(found.group(1))


def test_the_worker_is_a_script_at_the_root_so_it_can_keep_every_page(client):
    response = client.get(WORKER)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert reverse("guides:service_worker") == WORKER  # scope "/" needs the script at the root


def test_the_worker_keeps_every_page_readers_can_see_and_the_offline_page(client, guide):
    kept = manifest(client)

    assert kept["pages"] == [*public_paths(), "/offline/"]
    for step in Step.objects.published():
        assert step.get_absolute_url() in kept["pages"]
    assert {"/help/", "/faq/", "/tips/", "/guide/exercises/"} <= set(kept["pages"])
    assert kept["offline"] == "/offline/"


def test_the_worker_keeps_the_stylesheet_icon_scripts_and_every_illustration_the_pages_use(client, guide):
    kept = manifest(client)["files"]

    for path in public_paths():
        html = client.get(path).content.decode()
        for address in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
            assert address in kept, f"{path} uses {address}, which is not kept"
    assert "/static/css/site.css" in kept and "/static/js/offline.js" in kept


@pytest.mark.published_directly
def test_the_worker_never_lists_a_draft_or_an_admin_page(client, guide):
    step = Step.objects.get(slug="gentle-pressure")
    step.is_published = False
    step.save()

    pages = manifest(client)["pages"]

    assert step.get_absolute_url() not in pages
    assert not [page for page in pages if page.startswith("/admin/")]
    assert manifest(client)["leave_alone"] == "/admin/"  # admin pages are not even looked at


@pytest.mark.parametrize("published", [True, False], ids=["guide published", "guide withdrawn"])
@pytest.mark.published_directly
def test_every_address_the_worker_keeps_answers_200_to_a_request_without_cookies(client, guide, published):
    guide.is_published = published
    guide.save()

    kept = manifest(client)
    for address in kept["pages"]:
        response = client.get(f"{address}?v={kept['version']}")  # as the worker asks for pages
        assert response.status_code == 200, address
        assert "private" not in response.get("Cache-Control", ""), address
    for address in kept["files"]:
        assert finders.find(address.removeprefix(settings.STATIC_URL)), address
    if not published:
        assert kept["pages"] == ["/offline/"]


@pytest.mark.parametrize(
    "change", ["edit an answer", "delete a tip", "unpublish a step", "unlink a care card", "re-render the Markdown"]
)
@pytest.mark.published_directly
def test_any_change_to_the_copy_gives_the_worker_a_new_version(client, guide, change):
    before = manifest(client)["version"]
    assert manifest(client)["version"] == before  # the same copy, the same version
    if change == "edit an answer":
        question = Question.objects.first()
        question.answer += "\n\nAsk a pharmacist about pain relief."
        question.save()
    elif change == "delete a tip":
        Tip.objects.first().delete()
    elif change == "unpublish a step":
        step = Step.objects.get(slug="warm-up")
        step.is_published = False
        step.save()
    elif change == "unlink a care card":
        step = Step.objects.filter(care_cards__isnull=False).first()
        step.care_cards.remove(step.care_cards.first())
    else:  # after an upgrade of the renderer: no history rows, a new page-cache generation
        call_command("rerender_markdown", verbosity=0)

    assert manifest(client)["version"] != before


def test_browsers_ask_for_the_worker_afresh_and_the_server_answers_from_its_cache(client, guide, django_assert_num_queries):
    first = client.get(WORKER)
    with django_assert_num_queries(0):
        again = client.get(WORKER)

    assert again.content == first.content
    assert "max-age=0" in again["Cache-Control"]


def test_every_reader_page_registers_the_worker_from_a_script_file_once_the_page_has_loaded(client, guide):
    for path in public_paths():
        html = client.get(path).content.decode()
        tags = re.findall(r"<script [^>]*offline\.js[^>]*>", html)
        assert len(tags) == 1, path
        assert f'data-service-worker="{WORKER}"' in tags[0] and " defer" in tags[0], path


def test_the_offline_page_says_how_to_get_help_in_an_emergency_and_is_not_indexed(client, guide):
    response = client.get(reverse("guides:offline"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in html
    assert "call 999" in html and "NHS 111" in html
    emergency = CareCard.objects.get(level=CareCard.Level.EMERGENCY)
    assert emergency.body_html in html  # the whole emergency card, not a summary
    assert "/offline/" not in public_paths()
