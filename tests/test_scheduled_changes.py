"""The editorial year, point 2: an approved change can wait for its "publish on" time and an item can
be withdrawn on a date; `publish_scheduled` applies both through the sign-off service."""

import datetime
import io
import json
import re
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from guides.models import CareCard, MovedPage, Question, Step, Topic
from guides.sitemaps import public_paths
from signoff import proposals, schedule, services
from signoff.models import Proposal
from test_signoff import as_user, decide

pytestmark = pytest.mark.django_db
NEW_TEXT = "NHS 111 online is open all day and all night."


def later(days):
    return timezone.now() + datetime.timedelta(days=days)


def run(now=None, *args):
    out = io.StringIO()
    call_command("publish_scheduled", *(["--now", now.isoformat()] if now else []), *args, stdout=out, stderr=out)
    return out.getvalue()


def propose_values(item, author, publish_on=None, reason="Scheduled change", **changes):
    return services.propose(item, {**proposals.values_of(item), **changes}, author, reason, "", publish_on)


def reader_page(client, url):
    return unescape(client.get(url).content.decode())


def worker_version(client):
    found = re.search(r"^const MANIFEST = (\{.*?\n\});$", client.get("/sw.js").content.decode(), re.M | re.S)
    return json.loads(found.group(1))["version"]


@pytest.fixture
def scheduled(client, editor, reviewer, change_form_data):
    return schedule_card_change(client, editor, reviewer, change_form_data)


def schedule_card_change(client, editor, reviewer, change_form_data):
    """An editor proposes a new answer to a question to go live in 10 days; a reviewer approves it."""
    editor.email = "edna@example.org"
    editor.save()
    card = Question.objects.get(slug="best-position")
    url, data = change_form_data(as_user(client, editor), card)
    when = timezone.localtime(later(10)).replace(second=0, microsecond=0)
    data.update(answer=card.answer + "\n\n" + NEW_TEXT, change_reason="111 online hours", publish_on=f"{when:%Y-%m-%dT%H:%M}")
    assert client.post(url, data).status_code == 302
    assert proposals.open_proposal(card).publish_on == when
    decide(as_user(client, reviewer), url, "_approve")
    client.logout()
    return card, url, when


def test_an_approved_change_waits_for_its_publish_on_time_and_readers_see_the_current_copy(client, scheduled, reviewer):
    card, url, when = scheduled
    proposal = Proposal.objects.of(card).get()
    assert proposal.status == Proposal.Status.SCHEDULED and proposal.reviewer == reviewer
    card.refresh_from_db()
    assert NEW_TEXT not in card.answer
    assert "open all day and all night" not in reader_page(client, proposals.page_of(card))

    assert "Nothing is scheduled" in run(when - datetime.timedelta(minutes=1))
    card.refresh_from_db()
    assert NEW_TEXT not in card.answer


def test_the_admin_shows_an_approved_change_that_will_publish_on_its_date(client, scheduled, editor):
    card, url, when = scheduled
    page = " ".join(unescape(as_user(client, editor).get(url).content.decode()).split())
    assert f"Approved, will publish on {when:%-d %B %Y, %H:%M}" in page
    assert "Readers see the current copy until then" in page
    home = " ".join(unescape(client.get(reverse("admin:index")).content.decode()).split())
    assert f"Approved, will publish on<br>{when:%-d %b %Y, %H:%M}" in home


def test_the_author_is_emailed_the_date_the_approved_change_goes_live(client, editor, reviewer, change_form_data,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_card_change(client, editor, reviewer, change_form_data)
    approved = [message for message in mail.outbox if message.to == ["edna@example.org"]]
    assert len(approved) == 1 and "was approved" in approved[0].subject
    assert "Readers see it from" in approved[0].body


def test_publish_scheduled_publishes_it_through_the_sign_off_with_history_cache_and_offline_version(
    client, scheduled, reviewer
):
    card, url, when = scheduled
    help_before = reader_page(client, proposals.page_of(card))  # now in the page cache
    version_before = worker_version(client)

    output = run(when + datetime.timedelta(minutes=5))
    assert f"Question: {card}: published" in output

    card.refresh_from_db()
    assert NEW_TEXT in card.answer
    proposal = Proposal.objects.of(card).get()
    assert proposal.status == Proposal.Status.APPROVED
    latest = card.history.first()
    assert latest.history_user == reviewer
    assert latest.history_change_reason.startswith("Published on schedule")
    assert card.reviewed_by == "Dr Rhea Patel, Physiotherapist"
    assert card.last_reviewed == timezone.localdate(proposal.decided_at)  # the day the reviewer read it

    help_after = reader_page(client, proposals.page_of(card))
    assert "open all day and all night" in help_after and help_after != help_before
    assert worker_version(client) != version_before

    rows = card.history.count()
    assert "Nothing is scheduled" in run(when + datetime.timedelta(minutes=6))  # never twice
    assert card.history.count() == rows


def test_a_change_to_the_item_meanwhile_makes_the_scheduled_change_stale_and_it_is_not_published(
    client, scheduled, editor, approve, django_capture_on_commit_callbacks
):
    card, url, when = scheduled
    card.refresh_from_db()
    propose_values(card, editor, answer=card.answer + "\n\nCall 111 if you are not sure.")
    approve(card)  # approved at once, before the scheduled date
    mail.outbox.clear()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError, match="1 scheduled change"):
        call_command("publish_scheduled", "--now", (when + datetime.timedelta(minutes=5)).isoformat(), stdout=out, stderr=out)
    assert "NOT published" in out.getvalue() and "changed after this change was approved" in out.getvalue()

    card.refresh_from_db()
    assert NEW_TEXT not in card.answer and "Call 111 if you are not sure." in card.answer
    stale = Proposal.objects.of(card).get(publish_on=when)
    assert stale.status == Proposal.Status.STALE
    told = [message for message in mail.outbox if "edna@example.org" in message.to]
    assert told and "was not published" in told[0].subject and "changed after" in told[0].body
    assert "Nothing is scheduled" in run(when + datetime.timedelta(minutes=6))


def test_an_author_can_withdraw_a_scheduled_change_before_its_date_and_a_stranger_cannot(
    client, scheduled, editor, make_editor
):
    card, url, when = scheduled
    proposal = Proposal.objects.of(card).get()
    stranger = as_user(client, make_editor("sam")).post(url, {"_cancel_scheduled": proposal.pk}, follow=True)
    assert "Only an author of this change or a clinical reviewer" in unescape(stranger.content.decode())
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SCHEDULED

    page = as_user(client, editor).get(url).content.decode()
    assert f'name="_cancel_scheduled" value="{proposal.pk}"' in page
    done = client.post(url, {"_cancel_scheduled": proposal.pk}, follow=True)
    assert "The scheduled change is withdrawn" in unescape(done.content.decode())
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.WITHDRAWN
    assert "Nothing is scheduled" in run(when + datetime.timedelta(minutes=5))
    card.refresh_from_db()
    assert NEW_TEXT not in card.answer


def test_a_signed_off_move_of_the_item_meanwhile_keeps_its_scheduled_change(scheduled, reviewer, make_editor):
    card, url, when = scheduled
    first = Question.objects.order_by("order").first()
    results = services.reorder(Question, Question.objects.filter(pk=card.pk), "up" if card != first else "down",
                               make_editor("mo"))
    services.approve_order(results[0].proposal.pk, reviewer, results[0].proposal.revision)
    moved_to = Question.objects.get(pk=card.pk).order
    assert moved_to != card.order

    assert f"Question: {card}: published" in run(when + datetime.timedelta(minutes=5))
    card.refresh_from_db()
    assert NEW_TEXT in card.answer and card.order == moved_to


def test_dry_run_says_what_would_be_published_and_changes_nothing(scheduled):
    card, url, when = scheduled
    output = run(when + datetime.timedelta(minutes=5), "--dry-run")
    assert "would publish" in output
    card.refresh_from_db()
    assert NEW_TEXT not in card.answer
    assert Proposal.objects.of(card).get().status == Proposal.Status.SCHEDULED


def test_publish_on_must_be_in_the_future(client, editor, change_form_data):
    card = CareCard.objects.get(slug="urgent")
    url, data = change_form_data(as_user(client, editor), card)
    data.update(body=card.body + "\n\n" + NEW_TEXT, change_reason="111", publish_on="2020-01-01T09:00")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Choose a time in the future" in unescape(response.content.decode())
    assert proposals.open_proposal(card) is None


def test_a_change_for_later_is_checked_when_it_is_approved_not_only_when_it_goes_live(editor, approve):
    question = Question.objects.get(slug="best-position")
    propose_values(question, editor, later(5), answer=question.answer + "\n\nThis stretch cures back pain.")
    with pytest.raises(services.SignOffRefused, match="Not approved"):
        approve(question)
    assert proposals.open_proposal(question).status == Proposal.Status.WAITING  # still waiting, not scheduled


def test_a_change_without_publish_on_still_goes_live_on_approval(editor, approve):
    card = CareCard.objects.get(slug="urgent")
    propose_values(card, editor, body=card.body + "\n\n" + NEW_TEXT)
    approve(card)
    card.refresh_from_db()
    assert NEW_TEXT in card.body


# Withdrawing --------------------------------------------------------------------------------


def withdraw_later(item, author, approve, **changes):
    when = later(3).replace(microsecond=0)
    propose_values(item, author, withdraw_on=when, **changes)
    approve(item)
    item.refresh_from_db()
    return when


def test_a_question_withdrawn_on_its_date_answers_410_with_the_date_and_links_to_help_and_home(
    client, editor, reviewer, approve
):
    question = Question.objects.get(slug="best-position")
    address = question.get_absolute_url()
    when = withdraw_later(question, editor, approve)
    assert question.withdraw_on == when and question.is_published
    assert client.get(address).status_code == 200  # until the date
    version_before = worker_version(client)

    output = run(when + datetime.timedelta(hours=1))
    assert "withdrawn" in output

    response = client.get(address)
    assert response.status_code == 410
    page = unescape(response.content.decode())
    assert "This information was withdrawn" in page and question.question in page
    moment = timezone.localtime(when + datetime.timedelta(hours=1))
    assert f"{moment:%-d %B %Y}" in page
    assert f'href="{reverse("guides:help")}"' in page and f'href="{reverse("guides:home")}"' in page
    assert address not in public_paths()
    assert address not in reader_page(client, reverse("guides:faq"))
    assert worker_version(client) != version_before  # phones drop their kept copy with the next version

    question.refresh_from_db()
    assert not question.is_published and question.withdraw_on is None
    latest = question.history.first()
    assert latest.history_user == reviewer and latest.history_change_reason.startswith("Withdrawn on schedule")
    assert "nothing" in run(when + datetime.timedelta(hours=2)).lower()  # never twice


def test_a_withdrawn_page_shows_its_title_as_readers_last_saw_it_not_the_drafts_new_words(client, editor, approve):
    question = Question.objects.get(slug="best-position")
    address, title = question.get_absolute_url(), question.question
    when = withdraw_later(question, editor, approve)
    run(when + datetime.timedelta(hours=1))

    question.refresh_from_db()
    question.question = "Unreviewed words anyone can put on a public page"
    question.save()  # a withdrawn item is a draft: editors change it freely

    page = unescape(client.get(address).content.decode())
    assert title in page and "Unreviewed words" not in page


def test_a_withdrawn_topic_sends_readers_to_the_address_the_editor_chose(client, editor, approve):
    topic = Topic.objects.filter(is_published=True).first()
    address = topic.get_absolute_url()
    when = withdraw_later(topic, editor, approve, withdraw_to=reverse("guides:help"))
    run(when + datetime.timedelta(minutes=1))
    response = client.get(address)
    assert response.status_code == 301 and response["Location"] == reverse("guides:help")
    assert MovedPage.objects.filter(old_path=address).exists()


@pytest.mark.parametrize("address", ["https://elsewhere.example/", "//elsewhere.example/", "help/", "/faq/ x/"])
def test_withdraw_to_must_be_a_path_on_this_site(address):
    question = Question.objects.get(slug="best-position")
    question.withdraw_to = address
    with pytest.raises(ValidationError) as refusal:
        question.full_clean()
    assert "withdraw_to" in refusal.value.message_dict


def test_a_step_cannot_be_withdrawn_and_the_refusal_says_why(client, editor):
    step = Step.objects.get(slug="warm-up")
    with pytest.raises(services.SignOffRefused, match="numbered in order"):
        schedule.withdraw(step)
    client.force_login(editor)
    form = client.get(reverse("admin:guides_step_change", args=[step.pk])).context["adminform"].form
    assert "withdraw_on" not in form.fields  # nothing in a step's page offers it
    question_form = client.get(reverse("admin:guides_question_change", args=[Question.objects.first().pk]))
    assert "withdraw_on" in question_form.context["adminform"].form.fields


def test_a_withdrawal_is_dry_run_first_and_then_done_once(editor, approve):
    question = Question.objects.get(slug="best-position")
    when = withdraw_later(question, editor, approve)
    assert "would withdraw" in run(when + datetime.timedelta(minutes=1), "--dry-run")
    assert Question.objects.get(pk=question.pk).is_published
    run(when + datetime.timedelta(minutes=1))
    assert not Question.objects.get(pk=question.pk).is_published
