import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guides.models import CareCard, Question, Step

pytestmark = pytest.mark.django_db


def h1(response):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else None


def title(response):
    return unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1))


def meta(response, attribute, name):
    match = re.search(
        rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', response.content.decode()
    )
    return unescape(match.group(1)) if match else None


def test_home_page_shows_the_guide_with_its_eight_steps_in_order(client, guide, steps):
    response = client.get("/")
    assert response.status_code == 200
    assert h1(response) == guide.title
    assert title(response).startswith(guide.title)
    html = response.content.decode()
    positions = [html.index(step.get_absolute_url()) for step in steps]
    assert len(steps) == 8
    assert positions == sorted(positions)


def test_home_page_points_to_the_emergency_signs_before_anything_else(client, guide):
    html = unescape(client.get("/").content.decode())
    main = html[html.index("<main"):]
    summary = re.search(r'<section class="emergency-summary".*?</section>', main, re.S).group(0)
    assert re.search(r'Call <a href="tel:999">999</a> or go to A&E now', summary)
    assert f'href="{reverse("guides:help")}#emergency"' in summary
    assert f'href="{reverse("guides:help")}#a-and-e"' in summary
    # It comes straight after the heading and summary, before the introduction.
    assert main.index(summary) < main.index(guide.introduction_html[:40])


def test_home_page_says_once_that_it_is_general_information(client, guide):
    html = unescape(client.get("/").content.decode())
    assert len(re.findall(r"gives general information", html)) == 1


def test_home_page_links_to_help_warm_ups_faq_and_tips_without_repeating_the_key_points(client, guide):
    html = client.get("/").content.decode()
    assert reverse("guides:help") in html
    assert reverse("guides:step", kwargs={"slug": "warm-up"}) in html
    assert reverse("guides:faq") in html
    assert reverse("guides:tips") in html
    # The list of steps already says what the key points say.
    assert guide.key_points_html not in html
    assert guide.conclusion_html not in html


@pytest.mark.parametrize("position", range(8))
def test_each_step_page_says_where_it_is_and_links_to_its_neighbours(client, steps, position):
    step = steps[position]
    response = client.get(step.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert h1(response) == step.title
    assert f"Step {position + 1} of 8" in html
    assert step.body_html in html
    prev_link = re.search(r'rel="prev" href="([^"]+)"', html)
    next_link = re.search(r'rel="next" href="([^"]+)"', html)
    if position == 0:
        assert prev_link is None
    else:
        assert prev_link.group(1) == steps[position - 1].get_absolute_url()
    if position == 7:
        assert next_link is None
    else:
        assert next_link.group(1) == steps[position + 1].get_absolute_url()
    # The contents list links back to every other step.
    for other in steps:
        if other != step:
            assert f'href="{other.get_absolute_url()}"' in html


def test_step_page_shows_its_illustration_with_alt_text_and_caption(client, steps):
    step = steps[2]
    html = unescape(client.get(step.get_absolute_url()).content.decode())
    figure = html.split('<figure class="step-figure">', 1)[1].split("</figure>", 1)[0]
    assert f'<svg class="illustration" viewBox="0 0 240 160" role="img" aria-label="{step.illustration_alt}"' in figure
    assert "<path" in figure and "<style" not in figure
    assert f"<figcaption>{step.illustration_caption}</figcaption>" in html


def test_warm_up_step_shows_six_exercises_each_with_a_picture(client):
    step = Step.objects.get(slug="warm-up")
    html = unescape(client.get(step.get_absolute_url()).content.decode())
    items = list(step.items.all())
    assert len(items) == 6
    for item in items:
        assert f'id="{item.slug}"' in html
        assert f'aria-label="{item.illustration_alt}"' in html


def test_positions_step_shows_four_positions(client):
    step = Step.objects.get(slug="comfortable-position")
    assert step.items.count() == 4
    html = client.get(step.get_absolute_url()).content.decode()
    assert html.count('class="item"') == 4


def test_step_page_shows_the_care_cards_that_belong_to_it(client):
    step = Step.objects.get(slug="get-help")
    html = client.get(step.get_absolute_url()).content.decode()
    for level in ("non-urgent", "urgent", "emergency"):
        assert f"care-card--{level}" in html
    assert "care-card" not in client.get("/guide/warm-up/").content.decode()


def test_whole_guide_page_holds_every_step_and_item(client, steps):
    response = client.get("/guide/all/")
    html = response.content.decode()
    assert response.status_code == 200
    for step in steps:
        assert f'id="{step.slug}"' in html
        assert step.body_html in html
    assert html.count('class="item"') == 10
    # Words only, so it fits a phone's first 14 KB: each step's pictures are a link away.
    assert "<svg" not in html
    for number, step in enumerate(steps, start=1):
        assert f'<a href="{step.get_absolute_url()}">See step {number} with pictures</a>' in html
    assert f'<a href="{reverse("guides:exercises")}">exercise sheet</a>' in html
    # The signs are a link away, not "below".
    assert f'href="{reverse("guides:help")}#emergency"' in html
    assert "emergency signs below" not in unescape(html)


def test_faq_page_puts_each_answer_under_an_anchored_heading_with_a_permalink(client, questions):
    html = unescape(client.get("/faq/").content.decode())
    assert len(questions) == 11
    for question in questions:
        assert re.search(rf'<h2 id="{question.slug}"[^>]*>\s*{re.escape(question.question)}\s*</h2>', html)
        assert f'<a href="/faq/{question.slug}/">Link to this answer' in html


def test_faq_page_starts_with_the_questions_each_linking_to_its_answer(client, questions):
    html = unescape(client.get("/faq/").content.decode())
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)
    assert links == [(question.slug, question.question) for question in questions]
    assert html.index(f'href="#{questions[-1].slug}"') < html.index('class="answer"')
    # One way to share each answer (the script turns the link into a copy button).
    assert html.count("Link to this answer") == len(questions)


def test_faq_answer_page_previews_with_the_question_itself(client, questions):
    question = questions[0]
    response = client.get(f"/faq/{question.slug}/")
    assert response.status_code == 200
    assert h1(response) == question.question
    assert title(response).startswith(question.question)
    assert meta(response, "property", "og:title") == question.question
    assert meta(response, "property", "og:url") == f"http://testserver/faq/{question.slug}/"
    first_words = re.sub(r"<[^>]+>", "", question.answer_html).split()[:6]
    assert meta(response, "property", "og:description").split()[:6] == first_words
    assert meta(response, "name", "description") == meta(response, "property", "og:description")
    assert f'<link rel="canonical" href="http://testserver/faq/{question.slug}/">' in response.content.decode()


def test_tips_page_lists_four_tips(client, guide):
    response = client.get("/tips/")
    assert response.status_code == 200
    assert response.content.decode().count('class="tip"') == 4


@pytest.mark.parametrize(
    "url",
    ["/guide/no-such-step/", "/faq/no-such-question/", "/nowhere/", "/guide/", "/faq/%00/", "/guide/all/extra/"],
)
def test_unknown_addresses_answer_a_styled_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "css/site.css" in html


@pytest.mark.published_directly
def test_unpublished_step_is_hidden_from_readers_and_neighbours_skip_it(client, steps):
    hidden = steps[3]
    hidden.is_published = False
    hidden.save()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    html = client.get(steps[2].get_absolute_url()).content.decode()
    assert re.search(r'rel="next" href="([^"]+)"', html).group(1) == steps[4].get_absolute_url()
    assert "Step 3 of 7" in html
    assert hidden.get_absolute_url() not in client.get("/").content.decode()


def test_unpublished_question_is_hidden_from_the_faq(client, questions):
    question = questions[1]
    Question.objects.filter(pk=question.pk).update(is_published=False)
    assert client.get(question.get_absolute_url()).status_code == 404
    assert question.get_absolute_url() not in client.get("/faq/").content.decode()


def test_every_public_page_shows_its_review_dates_and_links_to_the_sources(client, public_urls):
    assert "/sources/" in public_urls
    for url in public_urls:
        html = client.get(url).content.decode()
        assert "Page last reviewed:" in html, url
        assert "Next review due:" in html, url
        assert '<a href="/sources/">Where this information comes from</a>' in html, url


def test_the_sources_page_names_and_dates_the_guides_sources_and_each_signs_source(client, guide):
    from guides.models import WarningSign

    html = client.get("/sources/").content.decode()
    assert "NG59" in html and "https://www.nhs.uk/conditions/back-pain/" in html
    for source in guide.sources.all():
        assert f'<a href="{source.url}">' in html and f"Checked {source.checked_on.day} {source.checked_on:%B %Y}" in html
    for sign in WarningSign.objects.all():
        for source in sign.sources.all():
            assert f'<a href="{source.url}">' in html, sign.slug
        assert f'<a href="/help/#sign-{sign.slug}">' in html, sign.slug


def test_every_public_page_runs_at_most_four_queries(client, public_urls, django_assert_max_num_queries):
    # One per kind of record a page shows (at most: step, items, care cards, warning signs), however
    # many there are of each; once cached, none (test_caching_and_metadata).
    for url in public_urls:
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200, url


@pytest.mark.published_directly
def test_a_page_with_more_warning_signs_runs_no_more_queries(client):
    from django.core.cache import cache
    from guides.models import WarningSign

    def queries(url):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = ["/help/", "/guide/all/", "/guide/get-help/", "/guide/exercises/"]
    before = [queries(url) for url in urls]
    sign = WarningSign.objects.filter(card__level="urgent").last()
    for extra in range(1, 4):
        sign.pk, sign.slug, sign.order = None, f"{sign.slug}-{extra}", sign.order + extra
        sign.save()
    assert [queries(url) for url in urls] == before


@pytest.mark.published_directly
def test_link_previews_escape_an_answer_once(client, questions):
    question = questions[0]
    question.answer = "Go to A&E if you have chest pain. Otherwise rest."
    question.save()
    html = client.get(question.get_absolute_url()).content.decode()
    assert '<meta property="og:description" content="Go to A&amp;E if you have chest pain. Otherwise rest.">' in html
    assert "&amp;amp;" not in html


def test_a_page_shows_the_review_dates_of_its_least_recently_reviewed_copy(client):
    import datetime

    from guides.models import Tip

    Tip.objects.filter(slug="use-your-core").update(
        last_reviewed=datetime.date(2025, 3, 1), next_review_due=datetime.date(2026, 3, 1), reviewed_by="Dr Rao"
    )
    html = client.get("/tips/").content.decode()
    assert 'Page last reviewed: <time datetime="2025-03-01">1 March 2025</time>' in html
    assert "Backcare editorial team, Dr Rao" in html
    assert '<time datetime="2026-03-01">' in html


def test_step_pages_show_each_care_card_as_a_short_tier_box_linking_to_its_signs_on_the_help_page(client):
    step = Step.objects.get(slug="get-help")
    html = client.get(step.get_absolute_url()).content.decode()
    assert "care-card__signs" not in html
    for card in step.care_cards.all():
        assert f'href="{reverse("guides:help")}#{card.slug}"' in html, card.slug
        assert card.body_html not in html
        for sign in card.signs.all():
            assert sign.words not in unescape(html), sign.slug


def test_step_pages_have_previous_and_next_at_the_top_and_the_bottom(client, steps):
    html = client.get(steps[3].get_absolute_url()).content.decode()
    for where in ("top", "bottom"):
        nav = re.search(rf'<nav class="pager pager--{where}".*?</nav>', html, re.S).group(0)
        assert f'rel="prev" href="{steps[2].get_absolute_url()}"' in nav
        assert f'rel="next" href="{steps[4].get_absolute_url()}"' in nav


def test_an_answer_leads_back_to_all_questions(client, questions):
    question = questions[2]
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'<a href="{reverse("guides:faq")}#{question.slug}">Back to all questions</a>' in html
