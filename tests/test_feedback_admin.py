"""Reader feedback in the admin (issue 27, point 3): a reader's comment shows in the feedback
list, shortened, with its page, the answer, the date and a link to the item, newest first."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from guides.models import Step

from test_feedback import answer, comment_on

pytestmark = pytest.mark.django_db

LONG_COMMENT = (
    "The picture of the knee hug shows both legs, but the words say to bring one knee up at a time. "
    "I was not sure which one to follow, so I stopped. It would help to say it again under the picture, "
    "and to say how long to stay there."
)


def changelist(client):
    return unescape(client.get(reverse("admin:feedback_feedback_changelist")).content.decode())


def cell(row, field):
    """The text of one column of a list row."""
    html = re.search(rf'<t[dh] class="field-{field}[^"]*">(.*?)</t[dh]>', row, re.S).group(1)
    return re.sub(r"<[^>]+>", "", html).strip()


def rows(page):
    return re.findall(r'<tr>.*?</tr>', page.split("<tbody>")[1], re.S)


def test_a_comment_posted_through_the_readers_form_shows_in_the_admin_list(client, editor_client):
    step = Step.objects.get(slug="engage-your-core")
    reply = answer(client, step.get_absolute_url(), "no")
    assert comment_on(client, reply, "The second picture does not match the words.").status_code == 200

    page = changelist(editor_client)
    row, = rows(page)
    assert cell(row, "short_comment") == "The second picture does not match the words."
    assert cell(row, "answer") == "Not helpful"
    assert cell(row, "page_link") == step.get_absolute_url()
    assert timezone.localtime(Feedback.objects.get().created_at).strftime("%-d %b %Y") in cell(row, "created_at")
    assert f'href="{reverse("admin:guides_step_change", args=[step.pk])}"' in row


def test_only_answers_with_a_comment_can_be_listed(editor_client, guide):
    Feedback.objects.create(item=guide, item_version=1, page="/tips/", helpful=False)
    Feedback.objects.create(item=guide, item_version=1, page="/tips/", helpful=False, comment="Too long")
    page = unescape(editor_client.get(reverse("admin:feedback_feedback_changelist") + "?has_comment=yes").content.decode())
    row, = rows(page)
    assert cell(row, "short_comment") == "Too long"


def test_a_long_comment_is_shortened_in_the_list_and_whole_on_its_own_page(editor_client, guide):
    feedback = Feedback.objects.create(
        item=guide, item_version=guide.version, page="/tips/", helpful=False, comment=LONG_COMMENT
    )
    row, = rows(changelist(editor_client))
    shown = cell(row, "short_comment")
    assert len(shown) <= 120 and shown.endswith("…") and LONG_COMMENT.startswith(shown[:-1])
    change = unescape(editor_client.get(reverse("admin:feedback_feedback_change", args=[feedback.pk])).content.decode())
    assert LONG_COMMENT in change


def test_the_list_shows_the_date_and_answer_newest_first(editor_client, guide):
    Feedback.objects.create(item=guide, item_version=1, page="/tips/", helpful=True,
                            created_at=timezone.now() - datetime.timedelta(days=2))
    Feedback.objects.create(item=guide, item_version=1, page="/faq/", helpful=False, comment="Newest")
    first, second = rows(changelist(editor_client))
    assert (cell(first, "short_comment"), cell(first, "answer"), cell(first, "page_link")) == ("Newest", "Not helpful", "/faq/")
    assert (cell(second, "answer"), cell(second, "page_link")) == ("Helpful", "/tips/")
    assert f"{(timezone.localtime() - datetime.timedelta(days=2)):%-d %b %Y}" in cell(second, "created_at")

