"""The safety copy (issue 9): each test fails if one of the review's findings comes back."""

import html
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from guides.checks import textstat
from guides.models import CareCard, Guide, Question, Step, StepItem, Tip

pytestmark = pytest.mark.django_db

EMERGENCY_LINK = 'href="/help/#emergency"'
NEW_ANSWERS = ("pain-that-may-not-come-from-your-back", "pain-relief", "staying-active", "what-care-looks-like")
CHECK_FIRST_GROUPS = (
    "pregnant",
    "16 weeks",
    "osteoporosis",
    "steroid",
    "cancer",
    "operation on your back",
    "ankylosing spondylitis",
    "under 16",
)


def main_of(client, url):
    """The page's own content, without the header and the footer every page shares."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def words(html_text):
    return html.unescape(strip_tags(html_text))


def copy_fields():
    """(name, Markdown) for every piece of reader copy except the care cards themselves."""
    guide = Guide.objects.get()
    fields = [(f"guide {name}", getattr(guide, name)) for name in Guide.markdown_fields]
    fields += [(str(step), step.body) for step in Step.objects.all()]
    fields += [(str(item), item.text) for item in StepItem.objects.all()]
    fields += [(question.slug, question.answer) for question in Question.objects.all()]
    fields += [(tip.slug, tip.body) for tip in Tip.objects.all()]
    return fields


def test_every_page_that_mentions_999_shows_the_whole_emergency_card_or_links_to_it(client, public_urls):
    card = CareCard.objects.get(level="emergency")
    for url in public_urls:
        main = main_of(client, url)
        if "999" in main:
            assert card.body_html in main or EMERGENCY_LINK in main, url


def test_copy_that_mentions_999_links_the_emergency_signs_unless_its_step_shows_the_card():
    for step in Step.objects.all():
        shows_card = step.care_cards.filter(level="emergency").exists()
        assert "999" not in step.body or shows_card or "/help/#emergency" in step.body, step
    for name, text in copy_fields():
        if "999" in text and not name.startswith("Step "):
            assert "/help/#emergency" in text, name


def test_no_copy_outside_the_cards_retypes_the_cauda_equina_signs():
    signs = ("genital", "both legs", "bladder", "bowel")
    for name, text in copy_fields():
        found = [sign for sign in signs if sign in text.lower()]
        assert len(found) <= 1, (name, found)


def test_the_emergency_card_says_what_to_do_as_well_as_when():
    body = CareCard.objects.get(level="emergency").body.lower()
    assert "do not wait" in body
    assert "do not drive yourself" in body
    for sign in ("both legs", "genitals", "wipe", "pee", "bladder or bowel", "erection", "accident", "chest pain"):
        assert sign in body, sign


def test_the_urgent_card_carries_the_nhs_back_pain_list_and_one_sided_nerve_signs():
    body = CareCard.objects.get(level="urgent").body.lower()
    for sign in (
        "high temperature",
        "losing weight",
        "lump or swelling",
        "worse at night",
        "sneeze, cough or poo",
        "between your shoulders",
        "numbness, tingling or weakness in one leg",
        "kidney infection",
    ):
        assert sign in body, sign


def test_pain_that_may_not_come_from_the_back_is_on_the_cards_at_its_level():
    assert "aortic aneurysm" in CareCard.objects.get(level="emergency").body
    assert "kidney infection" in CareCard.objects.get(level="urgent").body


def test_step_7_shows_the_urgent_and_emergency_cards_and_does_not_wait_on_new_numbness(client):
    step = Step.objects.get(slug="listen-to-your-body")
    assert set(step.care_cards.values_list("level", flat=True)) >= {"urgent", "emergency"}
    main = main_of(client, step.get_absolute_url())
    assert "care-card--urgent" in main and "care-card--emergency" in main
    text = words(step.body_html).lower()
    assert "numbness, tingling or weakness" in text
    assert "do not wait" in text


def test_the_check_first_list_is_one_field_shown_on_every_page_that_needs_it(client):
    guide = Guide.objects.get()
    pages = [
        reverse("guides:home"),
        reverse("guides:all"),
        reverse("guides:faq"),
        *(step.get_absolute_url() for step in Step.objects.filter(shows_check_first=True)),
        *(question.get_absolute_url() for question in Question.objects.filter(shows_check_first=True)),
    ]
    assert Step.objects.get(order=1).shows_check_first
    assert Question.objects.order_by("order").first().shows_check_first
    for url in pages:
        assert guide.check_first_html in main_of(client, url), url

    guide.check_first = "- an editor's one change"
    guide.save()
    for url in pages:
        main = main_of(client, url)
        assert "an editor&#x27;s one change" in main or "an editor's one change" in main, url


def test_the_check_first_list_names_every_group_and_no_other_copy_retypes_it():
    guide = Guide.objects.get()
    for group in CHECK_FIRST_GROUPS:
        assert group in guide.check_first, group
    groups = ("pregnant", "osteoporosis", "steroid", "cancer", "surgery", "operation on your back", "under 16")
    for name, text in copy_fields():
        if name != "guide check_first":
            found = [group for group in groups if group in text.lower()]
            assert len(found) <= 1, (name, found)


def test_no_copy_suggests_a_foam_roller_on_the_back():
    for name, text in copy_fields():
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if "roller" in sentence.lower():
                assert sentence.lstrip("- ").startswith("Do not"), (name, sentence)


def test_step_4_does_not_ask_for_tight_back_muscles_the_whole_time():
    body = Step.objects.get(slug="engage-your-core").body.lower()
    assert "tighten your lower back" not in body
    assert "the whole time" not in body
    assert "let it go when you rest" in body


def test_the_copy_gives_one_recovery_timeframe_and_describes_nice_accurately():
    for name, text in copy_fields():
        assert not re.search(r"\b6 weeks|weeks or months", text), name
        assert "UK guidance" not in text, name
        if "NICE" in text and name != "guide sources":
            assert "health guidance for the NHS in England and Wales" in text, name


def test_terms_are_explained_where_they_are_used():
    explained = {"stenosis": "narrower", "osteoporosis": "bones", "manual therapy": "hands"}
    cards = [(card.slug, card.body) for card in CareCard.objects.all()]
    for name, text in copy_fields() + cards:
        for term, explanation in explained.items():
            if term in text.lower():
                assert explanation in text.lower(), (name, term)


def test_no_copy_points_at_boxes_or_lists_by_where_they_sit():
    for name, text in copy_fields():
        assert not re.search(r"\b(below|above)\b", text), name


def test_every_source_is_dated_and_linked():
    sources = [line for line in Guide.objects.get().sources.splitlines() if line.startswith("- ")]
    assert len(sources) >= 3
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    for source in sources:
        assert "](https://" in source, source
        assert re.search(rf"\b\d{{1,2}} ({months}) \d{{4}}\b", source), source


@pytest.mark.parametrize("slug", NEW_ANSWERS)
def test_each_new_answer_has_a_permalink_review_record_structured_data_and_a_source(client, slug):
    question = Question.objects.get(slug=slug)
    response = client.get(question.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<meta property="og:title" content="{html.escape(question.question)}">' in page
    assert "Page last reviewed:" in page and "Next review due:" in page
    assert "application/ld+json" in page
    assert "https://www.nhs.uk/" in question.answer or "https://www.nice.org.uk/" in question.answer
    assert question.get_absolute_url() in client.get("/sitemap.xml").content.decode()
    assert f'href="{question.get_absolute_url()}"' in client.get(reverse("guides:faq")).content.decode()


def test_the_answer_on_pain_from_elsewhere_gives_how_fast_to_act_and_links_the_lists():
    answer = Question.objects.get(slug="pain-that-may-not-come-from-your-back").answer
    for cause in ("kidney infection", "aortic aneurysm", "chest pain", "between your shoulders"):
        assert cause in answer, cause
    assert "/help/#emergency" in answer and "/help/#urgent" in answer


def test_the_pain_relief_answer_follows_nice_on_paracetamol_and_anti_inflammatories():
    answer = Question.objects.get(slug="pain-relief").answer.lower()
    assert "paracetamol on its own** is not recommended" in answer
    assert "lowest dose that works, for the shortest time" in answer
    assert "pharmacist" in answer
    assert "never put ice or a hot water bottle straight on your skin" in answer


def test_the_whole_site_reads_easily(client, public_urls):
    """Flesch reading ease of 80 or more: about reading age 9 to 11 (textstat as the content checks use it)."""
    text = " ".join(words(main_of(client, url)) for url in public_urls)
    assert textstat().flesch_reading_ease(text) >= 80
