import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from guides.models import Question, Step, Tip, Topic

pytestmark = pytest.mark.django_db


def ld_json(response):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_a_cached_public_page_is_served_without_any_sql(client, public_urls, django_assert_num_queries):
    for url in public_urls:
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content, url


def test_public_pages_allow_shared_caches_a_short_max_age(client):
    response = client.get("/")
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


def test_admin_pages_are_private_and_never_stored(admin_client):
    response = admin_client.get(reverse("admin:guides_step_changelist"))
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_an_unchanged_page_answers_304_to_a_conditional_get(client):
    response = client.get("/faq/")
    etag = response["ETag"]
    again = client.get("/faq/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_an_approved_change_shows_at_once_to_readers(client, make_editor, change_form_data, approve):
    step = Step.objects.get(slug="warm-up")
    assert "Freshly edited" not in client.get(step.get_absolute_url()).content.decode()  # now cached

    staff = client.__class__()
    staff.force_login(make_editor("ed"))
    url, data = change_form_data(staff, step)
    data["body"] = "Freshly edited."
    assert staff.post(url, data).status_code == 302
    assert "Freshly edited" not in client.get(step.get_absolute_url()).content.decode()  # waiting for sign-off

    approve(step)
    assert "Freshly edited." in client.get(step.get_absolute_url()).content.decode()


@pytest.mark.published_directly
def test_deleting_content_empties_the_cache_too(client):
    tip = Tip.objects.get(slug="use-your-core")
    assert tip.title in unescape(client.get("/tips/").content.decode())
    tip.delete()
    assert tip.title not in unescape(client.get("/tips/").content.decode())


def test_signed_in_staff_are_never_served_the_readers_cache(admin_client, client):
    client.get("/")  # cache the reader's page
    Step.objects.filter(slug="warm-up").update(is_published=False)  # no signal: the cache is stale
    assert "/guide/warm-up/" in admin_client.get("/").content.decode()
    assert "private" in admin_client.get("/").headers["Cache-Control"]


def test_sitemap_lists_every_published_page_with_its_last_change(client):
    Question.objects.filter(slug="best-position").update(is_published=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.find("s:loc", ns).text: url.find("s:lastmod", ns).text
        for url in ET.fromstring(response.content).findall("s:url", ns)
    }
    expected = {
        f"http://testserver{path}"
        for path in ("/", "/help/", "/sources/", "/about/", "/guide/all/", "/guide/exercises/", "/faq/", "/tips/",
                     "/topics/", "/appointment/", "/my-plan/")
    }
    expected |= {f"http://testserver{s.get_absolute_url()}" for s in Step.objects.published()}
    expected |= {f"http://testserver{q.get_absolute_url()}" for q in Question.objects.published()}
    expected |= {f"http://testserver{t.get_absolute_url()}" for t in Topic.objects.published()}
    assert set(entries) == expected
    assert "http://testserver/faq/best-position/" not in entries
    step = Step.objects.get(slug="get-help")
    assert entries[f"http://testserver{step.get_absolute_url()}"].startswith(step.updated_at.date().isoformat())


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_guide_pages_carry_medical_web_page_data_with_the_review_record(client, steps):
    step = steps[4]
    data = ld_json(client.get(step.get_absolute_url()))
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == step.title
    assert data["lastReviewed"] == step.last_reviewed.isoformat()
    assert data["reviewedBy"]["name"] == step.reviewed_by
    assert data["url"] == f"http://testserver{step.get_absolute_url()}"
    home = ld_json(client.get("/"))
    assert home["@type"] == "MedicalWebPage" and home["lastReviewed"]


class Microdata(HTMLParser):
    """schema.org microdata as search engines read it: items with their type and properties."""

    VOID = {"meta", "link", "br", "img", "input", "hr"}

    def __init__(self, html):
        super().__init__()
        self.items, self.open = [], []  # open: per element, the item it starts and the property it collects
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        item = {"type": attrs.get("itemtype"), "properties": {}} if "itemscope" in attrs else None
        owner = next((open_item for open_item, _ in reversed(self.open) if open_item), None)
        value = item if item else [] if "itemprop" in attrs else None  # a property's value: an item or its text
        if "itemprop" in attrs and owner:
            owner["properties"].setdefault(attrs["itemprop"], []).append(value)
        elif item:
            self.items.append(item)
        if tag not in self.VOID:
            self.open.append((item, None if item else value))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()

    def handle_data(self, data):
        for _, text in self.open:
            if text is not None:
                text.append(data)


def test_faq_page_marks_up_the_questions_and_answers_it_shows_once(client):
    html = client.get("/faq/").content.decode()
    assert "application/ld+json" not in html  # the answers are not sent a second time in the head
    faq, = Microdata(html).items
    assert faq["type"] == "https://schema.org/FAQPage"
    questions = list(Question.objects.published())
    marked = faq["properties"]["mainEntity"]
    assert [q["type"] for q in marked] == ["https://schema.org/Question"] * len(questions)
    for entry, question in zip(marked, questions):
        assert "".join(entry["properties"]["name"][0]) == question.question
        answer, = entry["properties"]["acceptedAnswer"]
        assert answer["type"] == "https://schema.org/Answer"
        shown = "".join(answer["properties"]["text"][0])
        assert shown == unescape(strip_tags(question.answer_html)), question.slug
        assert question.answer_html in html


@pytest.mark.published_directly
def test_structured_data_cannot_be_broken_out_of_by_content(client):
    question = Question.objects.get(slug="best-position")
    question.question = "Is </script><script>alert(1)</script> safe?"
    question.save()
    html = client.get(question.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert "</script><script>alert(1)" not in html
    assert "</script><script>alert(1)" not in client.get("/faq/").content.decode()


def test_every_page_has_a_canonical_url_description_and_sharing_tags(client, public_urls):
    for url in public_urls:
        html = client.get(url).content.decode()
        assert f'<link rel="canonical" href="http://testserver{url}">' in html, url
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html), url
        assert re.search(r'<meta property="og:title" content="[^"]+">', html), url
        assert re.search(r'<meta name="twitter:card" content="summary(_large_image)?">', html), url


def test_readers_still_get_pages_when_the_shared_cache_is_down(client, monkeypatch, caplog):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache server unreachable")

    monkeypatch.setattr(cache, "get_or_set", broken)
    monkeypatch.setattr(cache, "get", broken)
    response = client.get("/faq/")
    assert response.status_code == 200
    assert "Common questions" in response.content.decode()
    assert "Shared cache unreachable" in caplog.text


def test_a_change_starts_another_content_generation_when_it_commits(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from guides.page_cache import GENERATION_KEY

    step = Step.objects.get(slug="warm-up")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        step.save()
        # A reader's page rendered now, before the commit, is stored under this generation...
        before_commit = cache.get(GENERATION_KEY)
    assert callbacks
    for callback in callbacks:
        callback()
    # ...and is never served: the commit moved every reader on to a newer one.
    assert cache.get(GENERATION_KEY) not in (None, before_commit)
