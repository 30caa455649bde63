"""'Was this page helpful?': what readers send, how it is guarded, and what editors get from it."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from guides.models import Guide, Question, Step

pytestmark = pytest.mark.django_db
SEND = "/feedback/"
COMMENT = "/feedback/comment/"


def form_fields(html, action):
    """The hidden and honeypot fields of the form posting to `action`, as a browser would send them."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', html, re.S).group()
    return {name: unescape(value) for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*?(?:value="([^"]*)")?>', form)}


def answer(client, path, helpful, **extra):
    fields = form_fields(client.get(path).content.decode(), SEND)
    return client.post(SEND, {**fields, "helpful": helpful, **extra}, **extra.pop("headers", {}))


def comment_on(client, reply, text):
    fields = form_fields(reply.content.decode(), COMMENT)
    return client.post(COMMENT, {**fields, "comment": text})


@pytest.fixture
def step(guide):
    return Step.objects.get(slug="engage-your-core")


def test_a_no_with_a_comment_is_stored_against_the_step_and_the_version_the_reader_saw(client, step):
    step.save()  # version 2: the page shows the version current when it was rendered
    step.refresh_from_db()
    reply = answer(client, step.get_absolute_url(), "no")
    assert reply.status_code == 200
    page = reply.content.decode()
    assert "What was wrong or missing?" in page and "personal details" in page
    assert "cannot answer medical questions" in page and "999" in page and "111" in page
    assert f'href="{reverse("guides:help")}"' in page

    thanks = comment_on(client, reply, "The picture does not match the words.")
    assert thanks.status_code == 200
    assert "Thank you" in thanks.content.decode()
    stored = Feedback.objects.get()
    assert stored.item == step
    assert stored.item_version == step.version == 2
    assert stored.page == step.get_absolute_url()
    assert stored.helpful is False
    assert stored.comment == "The picture does not match the words."


def test_every_step_faq_answer_the_tips_and_the_help_page_ask_about_their_own_item(client, guide):
    pages = {step.get_absolute_url(): step for step in Step.objects.published()}
    pages |= {question.get_absolute_url(): question for question in Question.objects.published()}
    pages[reverse("guides:tips")] = pages[reverse("guides:help")] = guide
    for path, item in pages.items():
        html = client.get(path).content.decode()
        assert "Was this page helpful?" in html, path
        fields = form_fields(html, SEND)
        assert fields["item"] == item._meta.label_lower and fields["slug"] == item.slug, path
        assert fields["version"] == str(item.version) and fields["page"] == path, path
        assert "csrfmiddlewaretoken" not in html, path  # nothing per reader in a cached page


def test_a_yes_is_thanked_and_stored_without_asking_for_more(client, guide):
    reply = answer(client, reverse("guides:tips"), "yes")
    assert reply.status_code == 200
    assert "Thank you" in reply.content.decode() and "What was wrong" not in reply.content.decode()
    assert reverse("guides:tips") in reply.content.decode()  # the link back
    stored = Feedback.objects.get()
    assert stored.helpful and stored.item == guide


def test_a_post_from_another_site_is_refused(client, step):
    fields = form_fields(client.get(step.get_absolute_url()).content.decode(), SEND)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}):
        response = client.post(SEND, {**fields, "helpful": "no"}, headers=headers)
        assert response.status_code == 403, headers
        assert "Your answer was not sent" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_post_from_this_site_in_a_browser_is_taken(client, step):
    fields = form_fields(client.get(step.get_absolute_url()).content.decode(), SEND)
    headers = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert client.post(SEND, {**fields, "helpful": "yes"}, headers=headers).status_code == 200
    assert Feedback.objects.count() == 1


def test_a_filled_honeypot_is_thanked_but_not_stored(client, step):
    reply = answer(client, step.get_absolute_url(), "no", website="http://spam.example")
    assert reply.status_code == 200
    assert not Feedback.objects.exists()


def test_a_flood_from_one_address_gets_a_clear_429_while_others_still_answer(client, step, settings):
    settings.FEEDBACK_RATE_LIMIT = 3
    fields = form_fields(client.get(step.get_absolute_url()).content.decode(), SEND)
    statuses = [client.post(SEND, {**fields, "helpful": "yes"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.post(SEND, {**fields, "helpful": "yes"})
    assert "Too many answers" in refused.content.decode() and "Please wait" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert Feedback.objects.count() == 3
    assert Client(REMOTE_ADDR="192.0.2.7").post(SEND, {**fields, "helpful": "yes"}).status_code == 200


def test_the_rate_limit_keeps_no_address_in_the_cache_key(client, step, settings):
    from django.core.cache import cache

    answer(client, step.get_absolute_url(), "yes")
    keys = [key for key in cache._cache if "feedback:rate" in key]
    assert keys and not any("127.0.0.1" in key for key in keys)


def test_answering_sets_no_cookie(step):
    reader = Client()
    replies = [answer(reader, step.get_absolute_url(), "no")]
    replies.append(comment_on(reader, replies[0], "Too long."))
    replies.append(reader.post(SEND, {"helpful": "maybe"}))
    replies.append(reader.get(SEND))
    for reply in replies:
        assert "Set-Cookie" not in reply.headers and not reply.cookies
    assert not reader.cookies
    assert "no-cache" in replies[0]["Cache-Control"]


def test_a_page_with_the_form_stays_in_the_page_cache_after_readers_answer(client, step, django_assert_num_queries):
    path = step.get_absolute_url()
    first = client.get(path)
    answer(client, path, "no")
    with django_assert_num_queries(0):
        cached = client.get(path)
    assert cached.content == first.content


def test_emails_and_phone_numbers_are_removed_before_the_comment_is_stored(client, step):
    reply = answer(client, step.get_absolute_url(), "no")
    comment_on(client, reply, "Email me at jo.bloggs@example.com or call 07700 900123 or +44 20 7946 0958. Step 3 hurt.")
    comment = Feedback.objects.get().comment
    assert "jo.bloggs" not in comment and "07700" not in comment and "7946" not in comment
    assert comment == "Email me at [email removed] or call [phone number removed] or [phone number removed]. Step 3 hurt."


def test_a_comment_cannot_be_replaced_by_sending_its_form_again(client, step):
    reply = answer(client, step.get_absolute_url(), "no")
    comment_on(client, reply, "First words.")
    again = comment_on(client, reply, "Other words.")
    assert again.status_code == 400
    assert Feedback.objects.get().comment == "First words."


@pytest.mark.parametrize(
    "change",
    [{"item": "auth.user"}, {"slug": "no-such-step"}, {"version": "999"}, {"version": "x"},
     {"page": "https://evil.example/"}, {"page": "//evil.example/"}, {"page": "/\\evil.example/"}, {"helpful": "maybe"}, {"comment": "x" * 501}],
)
def test_a_malformed_answer_gets_a_clear_400_and_nothing_is_stored(client, step, change):
    fields = form_fields(client.get(step.get_absolute_url()).content.decode(), SEND)
    response = client.post(SEND, {**fields, "helpful": "no", **change})
    assert response.status_code == 400
    assert "we could not read your answer" in response.content.decode()
    assert "evil.example" not in response.content.decode()  # the link back stays on this site
    assert not Feedback.objects.exists()


def test_opening_the_feedback_address_gets_a_clear_405(client):
    response = client.get(SEND)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "Your answer was not sent" in response.content.decode()


def not_helpful(item, count, **fields):
    """`count` "No" answers, one a day going back from today (or at `created_at`, if given)."""
    Feedback.objects.bulk_create(
        Feedback(item=item, item_version=item.version, page=item.get_absolute_url(), helpful=False,
                 **{"created_at": timezone.now() - datetime.timedelta(days=day, hours=1), **fields})
        for day in range(count)
    )


def test_more_not_helpful_answers_than_the_threshold_put_the_item_on_the_review_list(editor_client, step, settings, capsys):
    settings.FEEDBACK_FLAG_THRESHOLD = 3
    not_helpful(step, 3)  # on three days
    assert "Readers flagged" not in editor_client.get(reverse("admin:index")).content.decode()
    not_helpful(step, 1, created_at=timezone.now() - datetime.timedelta(days=3, hours=1))  # a fourth day
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "Readers flagged: 4 said it was not helpful in 30 days" in index
    assert f"Step: {step}" in unescape(index)
    call_command("review_status")
    assert re.search(rf"FLAGGED .*{re.escape(str(step))}.*Readers flagged", capsys.readouterr().out)


def test_old_and_dealt_with_answers_do_not_flag_an_item(editor_client, step, settings):
    import datetime

    from django.utils import timezone

    settings.FEEDBACK_FLAG_THRESHOLD = 1
    not_helpful(step, 2, created_at=timezone.now() - datetime.timedelta(days=31))
    not_helpful(step, 2, dealt_with=True)
    assert "Readers flagged" not in editor_client.get(reverse("admin:index")).content.decode()


def test_editors_see_answers_newest_first_and_mark_them_dealt_with(editor_client, step, guide):
    not_helpful(step, 1, comment="Older words")
    Feedback.objects.create(item=guide, item_version=guide.version, page="/tips/", helpful=False, comment="Newer words")
    changelist = reverse("admin:feedback_feedback_changelist")
    page = editor_client.get(changelist).content.decode()
    assert page.index("Newer words") < page.index("Older words")

    ids = list(Feedback.objects.values_list("pk", flat=True))
    response = editor_client.post(changelist, {"action": "mark_dealt_with", "_selected_action": ids}, follow=True)
    assert "2 answer(s) marked as dealt with" in response.content.decode()
    assert not Feedback.objects.filter(dealt_with=False).exists()


def test_an_items_change_page_counts_its_answers_and_links_to_them(editor_client, step):
    not_helpful(step, 2, comment="Unclear")
    Feedback.objects.create(item=step, item_version=1, page=step.get_absolute_url(), helpful=True)
    page = editor_client.get(reverse("admin:guides_step_change", args=[step.pk])).content.decode()
    assert "Reader feedback" in page
    assert "<strong>1 helpful</strong>, <strong>2 not helpful</strong>" in page
    link = unescape(re.search(r'href="([^"]+)">See what readers said', page).group(1))
    rows = 'name="_selected_action"'
    assert editor_client.get(link).content.decode().count(rows) == 3
    other = Step.objects.exclude(pk=step.pk).first()
    assert rows not in editor_client.get(link.replace(f"object_id={step.pk}", f"object_id={other.pk}")).content.decode()


def test_export_feedback_writes_csv_that_spreadsheets_will_not_run(step):
    not_helpful(step, 1, comment="=HYPERLINK(\"http://evil.example\")")
    out = io.StringIO()
    call_command("export_feedback", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1
    assert rows[0]["item"] == str(step) and rows[0]["helpful"] == "no" and rows[0]["item_kind"] == "step"
    assert rows[0]["comment"].startswith("'=")


def test_export_content_leaves_feedback_out(step, tmp_path):
    not_helpful(step, 1, comment="A distinctive reader comment")
    call_command("export_content", tmp_path)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert "distinctive reader comment" not in path.read_text(), path
