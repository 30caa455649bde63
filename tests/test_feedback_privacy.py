"""Issue 21, points 6 and 7: what readers type is stored without their personal details, a feedback
post names only a published item on its own page, and reader flags take more than one busy day."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from feedback.models import Feedback
from feedback.personal_details import remove_personal_details
from feedback_fields import answer_fields
from guides.models import Guide, Question, Step

SEND = "/feedback/"


@pytest.mark.parametrize("text, gone", [
    ("Call 07700/900123 please", "900123"),
    ("Call 07700_900_123 please", "900_123"),
    ("My NHS number is 943/476/5919", "5919"),
    ("My NHS number is 943 476 5919", "5919"),
    ("Write to jo bloggs at example dot com", "example"),
    ("Write to jo.bloggs [at] example [dot] co [dot] uk", "example"),
    ("Write to jo.bloggs(at)example.com", "example"),
    ("Write to jo.bloggs @ example . com", "example"),
    ("I live at SW1A 1AA near the park", "SW1A"),
    ("Postcode m1 1ae", "m1 1ae"),
    ("I was born on 12/03/1980", "1980"),
    ("DOB 12.03.80", "12.03.80"),
    ("I was born 3rd March 1980", "1980"),
    ("Born March 3, 1980", "1980"),
])
def test_personal_details_written_any_way_are_removed(text, gone):
    assert gone not in remove_personal_details(text)


@pytest.mark.parametrize("text", [
    "Step 3 hurt after 10 minutes, then I stopped.",
    "I do it at 7.30 each morning, 2 or 3 times a day.",
    "Look at the picture. It shows the wrong leg.",
    "Hold for 5 to 10 seconds. Call 999 or 111 if it is bad.",
    "The 2nd exercise is fine, I did it 3 times.",
])
def test_ordinary_comments_are_left_as_written(text):
    assert remove_personal_details(text) == text


@pytest.mark.django_db
def test_the_page_field_must_be_the_items_own_address(guide):
    step = Step.objects.get(slug="engage-your-core")
    reader = Client()
    for page in ("/admin/secret-report/?name=Jo", "/faq/best-position/", "/tips/"):
        assert reader.post(SEND, {**answer_fields(step), "page": page}).status_code == 400, page
    assert reader.post(SEND, answer_fields(step)).status_code == 200
    assert reader.post(SEND, {**answer_fields(guide), "page": "/tips/"}).status_code == 200  # the guide's form is there
    assert set(Feedback.objects.values_list("page", flat=True)) == {step.get_absolute_url(), "/tips/"}


@pytest.mark.django_db
def test_a_drafts_slug_and_an_unknown_one_get_the_same_answer(guide):
    draft = Question.objects.get(slug="best-position")
    fields = answer_fields(draft)
    Question.objects.filter(pk=draft.pk).update(is_published=False)
    reader = Client()
    to_draft = reader.post(SEND, fields)
    to_nothing = reader.post(SEND, {**fields, "slug": "no-such-question"})
    assert to_draft.status_code == to_nothing.status_code == 400
    assert to_draft.content == to_nothing.content
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_a_burst_of_no_answers_on_one_day_does_not_flag_an_item_but_answers_over_days_do(settings, guide):
    settings.FEEDBACK_FLAG_THRESHOLD = 3
    tip_page = Guide.objects.get()
    step = Step.objects.get(slug="engage-your-core")
    for _ in range(10):
        Feedback.objects.create(item=step, item_version=step.version, page=step.get_absolute_url(), helpful=False)
    assert Feedback.objects.readers_flagged() == []
    now = timezone.now()
    for days in range(1, 4):
        Feedback.objects.create(item=tip_page, item_version=1, page="/tips/", helpful=False,
                                created_at=now - datetime.timedelta(days=days))
    Feedback.objects.create(item=tip_page, item_version=1, page="/tips/", helpful=False)
    assert [item for item, _ in Feedback.objects.readers_flagged()] == [tip_page]
