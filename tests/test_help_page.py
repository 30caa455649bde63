"""/help/ ("When to get help"): every care card, the most urgent first, linked from every page."""

import gzip
import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.html import escape

from guides.markdown import link_help_numbers
from guides.models import CareCard

pytestmark = pytest.mark.django_db

HEADERS_PER_RESPONSE = 500  # at least: the status line and headers of each response, uncompressed


def cards_in_page_order(html):
    return re.findall(r'<div class="care-card care-card--([a-z-]+)" id="([a-z0-9-]+)">', html)


def test_help_page_shows_every_card_most_urgent_first_each_under_its_slug(client, guide):
    response = client.get(reverse("guides:help"))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert cards_in_page_order(html) == [
        ("emergency", "emergency"),
        ("a-and-e", "a-and-e"),
        ("urgent", "urgent"),
        ("non-urgent", "non-urgent"),
    ]
    for card in CareCard.objects.all():
        assert unescape(link_help_numbers(escape(card.heading))) in html
        assert card.body_html in response.content.decode()
        for sign in card.signs.all():
            assert html.count(f'id="sign-{sign.slug}"') == 1, sign.slug


@pytest.mark.published_directly
def test_a_new_card_takes_its_place_by_urgency_not_by_its_order_number(client, guide):
    CareCard.objects.create(
        guide=guide, order=0, level=CareCard.Level.URGENT, heading="Get help today if:", slug="today",
        body="- a new sign", last_reviewed=guide.last_reviewed, reviewed_by="Dr Rao",
        next_review_due=guide.next_review_due,
    )
    html = client.get(reverse("guides:help")).content.decode()
    assert [anchor for _, anchor in cards_in_page_order(html)] == ["emergency", "a-and-e", "today", "urgent", "non-urgent"]


def test_an_unpublished_card_is_left_off_the_help_page(client, guide):
    CareCard.objects.filter(slug="urgent").update(is_published=False)
    html = client.get(reverse("guides:help")).content.decode()
    assert [anchor for _, anchor in cards_in_page_order(html)] == ["emergency", "a-and-e", "non-urgent"]


def test_a_card_addresses_its_place_on_the_help_page():
    assert CareCard(slug="emergency").get_absolute_url() == "/help/#emergency"


def test_help_page_has_its_own_title_description_and_sharing_tags(client, guide):
    html = unescape(client.get("/help/").content.decode())
    assert "<title>When to get help – Backcare</title>" in html
    assert re.search(r'<meta name="description" content="The signs that mean you should call 999[^"]+">', html)
    assert '<meta property="og:title" content="When to get help">' in html
    assert '<meta property="og:url" content="http://testserver/help/">' in html
    assert re.search(r"<h1>When to get help</h1>", html)


def test_help_page_carries_medical_web_page_data_with_the_cards_review_record(client, guide):
    CareCard.objects.filter(slug="urgent").update(reviewed_by="Dr Rao")
    html = client.get("/help/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == "When to get help"
    assert data["url"] == "http://testserver/help/"
    assert "Dr Rao" in data["reviewedBy"]["name"]


def test_help_page_is_in_the_sitemap_dated_by_its_latest_card(client, guide):
    card = CareCard.objects.get(slug="non-urgent")
    card.save()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.find("s:loc", ns).text: url.find("s:lastmod", ns).text
        for url in ET.fromstring(client.get("/sitemap.xml").content).findall("s:url", ns)
    }
    card.refresh_from_db()
    assert entries["http://testserver/help/"].startswith(card.updated_at.date().isoformat())


def test_help_page_takes_three_queries_and_none_once_cached(client, guide, django_assert_max_num_queries,
                                                             django_assert_num_queries):
    with django_assert_max_num_queries(3):  # the guide, its cards, their signs
        first = client.get("/help/")
    with django_assert_num_queries(0):
        again = client.get("/help/")
    assert again.content == first.content


@pytest.mark.published_directly
def test_help_page_is_not_found_before_the_guide_is_published(client, guide):
    guide.is_published = False
    guide.save()
    assert client.get("/help/").status_code == 404


def test_every_public_page_and_the_404_page_lead_first_to_the_999_signs(client, public_urls):
    link = f'<a class="urgent-link" href="{reverse("guides:help")}#emergency">'
    for url in [*public_urls, "/no-such-page/"]:
        html = client.get(url).content.decode()
        assert link in html, url
        # Nothing can be focused between the skip link and the urgent-help link.
        between = html[html.index('class="skip-link"'):html.index(link)]
        assert "<a " not in between and "<button" not in between, url


def test_every_public_page_arrives_in_one_round_trip_on_a_phone(client, public_urls):
    """The page, its stylesheets, scripts and icon, compressed as a phone's browser asks for them
    (Brotli: the page by ReaderPageCompression, static files by whitenoise at quality 11), fit the
    first 14 KB a new connection may send, with room for each response's headers (make bench
    measures them: 550 to 850 bytes)."""
    for url in public_urls:
        response = client.get(url, headers={"accept-encoding": "gzip, deflate, br, zstd"})
        assert response["Content-Encoding"] == "br", url
        html = brotli.decompress(response.content).decode()
        files = re.findall(r'<(?:link rel="(?:stylesheet|icon)"|script) [^>]*?(?:href|src)="([^"]+)"', html)
        files = [name for name in files if not name.startswith("data:")]  # the icon is in the page itself
        assert any(name.endswith(".css") for name in files), url
        sizes = {name: len(brotli.compress(Path(finders.find(name.removeprefix(settings.STATIC_URL))).read_bytes()))
                 for name in files}
        total = len(response.content) + sum(sizes.values()) + HEADERS_PER_RESPONSE * (1 + len(files))
        assert total <= 14 * 1024, (url, len(response.content), sizes)


def test_a_browser_without_brotli_gets_gzip_and_without_either_plain_text(client):
    gzipped = client.get("/guide/all/", headers={"accept-encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip"
    plain = client.get("/guide/all/", headers={"accept-encoding": "identity"})
    assert not plain.has_header("Content-Encoding")
    assert gzip.decompress(gzipped.content) == plain.content
    assert "Accept-Encoding" in gzipped["Vary"] and "Accept-Encoding" in plain["Vary"]


def test_the_admin_is_never_sent_in_brotli(admin_client):
    # Admin pages carry a CSRF token: they keep gzip with Django's random padding (BREACH).
    response = admin_client.get("/admin/", headers={"accept-encoding": "br, gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
