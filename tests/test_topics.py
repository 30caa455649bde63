"""Topic pages: what comes after the first days, each its own signed-off page with its care cards."""

import re
from html import unescape

import pytest
from django.urls import reverse

from guides.models import CareCard, Topic, WarningSign
from guides.sitemaps import public_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(guide):
    return Topic.objects.filter(guide=guide, care_cards__isnull=False).distinct().first()


def text_of_html(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_guide_ships_topics_each_with_a_page_its_cards_and_a_summary(client, guide):
    topics = list(Topic.objects.published().filter(guide=guide))
    assert topics, "load_guide loaded no topics from guides/content/topics/"
    for topic in topics:
        response = client.get(topic.get_absolute_url())
        assert response.status_code == 200, topic
        html = response.content.decode()
        assert f"<h1>{topic.title}</h1>".replace("&", "&amp;") in html or topic.title in unescape(html)
        assert topic.body_html[:60] in html
        assert topic.summary and len(topic.summary) <= 200


def test_the_topics_page_lists_every_published_topic_in_order(client, guide):
    html = client.get(reverse("guides:topics")).content.decode()
    positions = [html.index(topic.get_absolute_url()) for topic in Topic.objects.published()]
    assert positions and positions == sorted(positions)


def test_a_topic_shows_each_card_as_a_tier_box_linking_to_its_signs_most_urgent_first(client, topic):
    html = client.get(topic.get_absolute_url()).content.decode()
    ranks = {level: rank for rank, level in enumerate(CareCard.Level.values)}
    shown = re.findall(r'class="care-card care-card--([-\w]+) tier-box"', html)
    assert len(shown) == topic.care_cards.count() > 0
    assert shown == sorted(shown, key=ranks.get)
    for card in topic.care_cards.all():
        count = card.signs.count()
        assert f'href="/help/#{card.slug}">See the {count} sign' in html, card
    # The signs themselves are worded once, on /help/ (and the printed guide), never here.
    sign = WarningSign.objects.filter(card__in=topic.care_cards.all()).first()
    assert sign.words not in text_of_html(html)


def test_home_and_the_whole_guide_lead_to_the_topics(client, guide):
    for path in ("/", reverse("guides:all")):
        assert f'href="{reverse("guides:topics")}"' in client.get(path).content.decode(), path


def test_topics_are_in_the_sitemap_and_so_kept_offline(guide):
    paths = public_paths()
    assert reverse("guides:topics") in paths
    for topic in Topic.objects.published():
        assert topic.get_absolute_url() in paths


def test_a_draft_topic_is_hidden_from_readers_and_shown_to_staff_with_a_banner(client, editor_client, topic):
    Topic.objects.filter(pk=topic.pk).update(is_published=False)
    assert editor_client.get(topic.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert topic.get_absolute_url() not in client.get(reverse("guides:topics")).content.decode()


def test_an_unknown_topic_is_a_styled_404(client, guide):
    response = client.get("/topics/no-such-topic/")
    assert response.status_code == 404
    assert "<main" in response.content.decode()


def test_a_topic_page_previews_well_when_shared(client, topic):
    html = client.get(topic.get_absolute_url()).content.decode()
    image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert "/share/topic/" in image
    picture = client.get(image[image.index("/share/"):])
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert unescape(re.search(r'<meta property="og:title" content="([^"]+)"', html).group(1)) == topic.title


def test_a_topic_page_stays_within_the_query_budget(client, topic, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(topic.get_absolute_url()).status_code == 200


def test_an_editors_change_to_a_topic_waits_for_a_clinical_reviewer(
    editor_client, client, change_form_data, approve, topic
):
    url, data = change_form_data(editor_client, topic)
    data["summary"] = "A new summary that readers see only once a clinical reviewer approves it."
    data["change_reason"] = "Shorter summary"
    assert editor_client.post(url, data).status_code == 302
    client.logout()
    assert "A new summary" not in client.get(topic.get_absolute_url()).content.decode()
    approve(topic)
    assert "A new summary" in client.get(topic.get_absolute_url()).content.decode()


def test_a_topic_that_retypes_a_warning_sign_without_its_tiers_link_cannot_be_published(topic):
    from guides.content_checks import errors_before_publishing

    assert errors_before_publishing(topic) == []
    sign = WarningSign.objects.filter(card__level=CareCard.Level.A_AND_E).first()
    topic.body = f"If {sign.words}, see a GP next week."
    assert errors_before_publishing(topic) != []
