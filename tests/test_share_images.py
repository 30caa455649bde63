import io
import re
from html import unescape

import pytest
from django.core.cache import cache
from PIL import Image

from guides.models import Question, Step

pytestmark = pytest.mark.django_db


def share_tags(response):
    html = response.content.decode()
    tags = re.findall(r'<meta (?:property|name)="(og:image[:a-z]*|twitter:card)" content="([^"]*)"', html)
    return {name: unescape(value) for name, value in tags}


@pytest.fixture
def shareable_urls(steps, questions):
    return ["/", "/help/", *[item.get_absolute_url() for item in [*steps, *questions]]]


def test_every_shareable_page_previews_with_a_large_picture_of_its_own(client, shareable_urls):
    seen = set()
    for url in shareable_urls:
        tags = share_tags(client.get(url))
        assert tags["twitter:card"] == "summary_large_image", url
        address = r"http://testserver/share/(step|question|page)/[-a-z0-9]+-[0-9a-f]{12}\.png"
        assert re.fullmatch(address, tags["og:image"]), url
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630"), url
        assert tags["og:image:alt"].startswith("Backcare: "), url
        seen.add(tags["og:image"])
    assert len(seen) == len(shareable_urls)


def test_each_preview_picture_is_a_1200_by_630_png_under_60_kb(client, shareable_urls):
    for url in shareable_urls:
        picture = client.get(share_tags(client.get(url))["og:image"])
        assert picture.status_code == 200, url
        assert picture["Content-Type"] == "image/png"
        assert len(picture.content) < 60 * 1024, (url, len(picture.content))
        image = Image.open(io.BytesIO(picture.content))
        assert (image.format, image.size) == ("PNG", (1200, 630)), url


@pytest.mark.published_directly
def test_an_answer_picture_describes_the_question_and_the_first_line_of_the_answer(client, questions):
    question = questions[0]
    question.answer = "Yes, if you go gently. Stop if it hurts more.\n\nMore words."
    question.save()
    alt = share_tags(client.get(question.get_absolute_url()))["og:image:alt"]
    assert alt == f"Backcare: {question.question} Yes, if you go gently."


@pytest.mark.published_directly
def test_an_edit_changes_the_picture_address_and_the_old_address_leads_to_the_new_picture(client, questions):
    question = questions[0]
    before = share_tags(client.get(question.get_absolute_url()))["og:image"]
    assert client.get(before).status_code == 200  # now cached
    question.question = "Is it ever safe to crack my own back?"
    question.save()
    after = share_tags(client.get(question.get_absolute_url()))["og:image"]
    assert after != before
    old = client.get(before)
    assert old.status_code == 302
    assert f"http://testserver{old['Location']}" == after
    assert client.get(after).status_code == 200


def test_a_step_picture_changes_when_its_summary_changes(client, steps):
    step = steps[0]
    before = share_tags(client.get(step.get_absolute_url()))["og:image"]
    Step.objects.filter(pk=step.pk).update(summary="A new summary line.")
    cache.clear()  # update() sends no signal: start afresh as a save would
    assert share_tags(client.get(step.get_absolute_url()))["og:image"] != before


@pytest.mark.parametrize(
    "url",
    [
        "/share/step/no-such-step-0123456789ab.png",
        "/share/question/no-such-answer-0123456789ab.png",
        "/share/page/nowhere-0123456789ab.png",
        "/share/guide/warm-up-0123456789ab.png",
        "/share/page/home.png",
        "/share/page/-.png",
        "/share/step/%00-0123456789ab.png",
        "/share/page/home-0123456789ab.gif",
    ],
)
def test_bad_picture_addresses_answer_404(client, url):
    assert client.get(url).status_code == 404


def test_a_hidden_answer_has_no_picture_for_readers(client, questions):
    question = questions[1]
    url = share_tags(client.get(question.get_absolute_url()))["og:image"]
    Question.objects.filter(pk=question.pk).update(is_published=False)
    cache.clear()
    assert client.get(url).status_code == 404
