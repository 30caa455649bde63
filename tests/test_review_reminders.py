"""The editorial year, point 1: every piece of copy has an owner and a deputy; `send_review_reminders`,
run daily, emails the owner 30 days before the review is due and both on the day, once each."""

import datetime
import io
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from guides.models import REVIEWED_MODELS, CareCard, Question, Step
from guides.publishing import reader_values
from signoff.models import Proposal, ReviewReminder

pytestmark = pytest.mark.django_db
DUE = datetime.date(2027, 3, 1)


@pytest.fixture
def owner(make_editor):
    user = make_editor("olu")
    user.email, user.first_name, user.last_name = "olu@example.org", "Olu", "Ade"
    user.save()
    return user


@pytest.fixture
def deputy(make_editor):
    user = make_editor("dee")
    user.email = "dee@example.org"
    user.save()
    return user


@pytest.fixture
def question(owner, deputy):
    """One published question due on 1 March 2027, everything else years away."""
    for model in REVIEWED_MODELS:
        model.objects.update(next_review_due=datetime.date(2030, 1, 1))
    Question.objects.filter(slug="best-position").update(next_review_due=DUE, owner=owner, deputy=deputy)
    return Question.objects.get(slug="best-position")


def remind(today, *args):
    out = io.StringIO()
    call_command("send_review_reminders", "--today", today, *args, stdout=out, stderr=out)
    return out.getvalue()


def test_the_owner_alone_is_emailed_thirty_days_before_with_the_item_its_admin_link_and_the_date(question, settings):
    settings.BACKCARE_SITE_URL = "https://backcare.example"
    remind("2027-01-29")  # 31 days before: nothing yet
    assert mail.outbox == []

    remind("2027-01-30")
    assert [message.to for message in mail.outbox] == [["olu@example.org"]]
    message = mail.outbox[0]
    assert "best-position" not in message.subject and question.question[:40] in message.subject
    assert "1 March 2027" in message.subject and "1 March 2027" in message.body
    assert "https://backcare.example" + reverse("admin:guides_question_change", args=[question.pk]) in message.body
    assert "in 30 days" in message.body
    assert message.alternatives == []  # plain text


def test_on_the_day_the_owner_and_the_deputy_are_both_emailed(question):
    remind("2027-01-30")
    mail.outbox.clear()
    remind("2027-03-01")
    assert [sorted(message.to) for message in mail.outbox] == [["dee@example.org", "olu@example.org"]]
    assert "due today" in mail.outbox[0].subject


def test_running_twice_a_day_sends_each_reminder_once(question):
    remind("2027-02-10")
    remind("2027-02-10")
    remind("2027-02-11")
    assert len(mail.outbox) == 1
    remind("2027-03-01")
    remind("2027-03-01")
    remind("2027-03-02")
    assert len(mail.outbox) == 2
    assert ReviewReminder.objects.count() == 2


def test_a_missed_thirty_day_reminder_is_caught_up_within_the_thirty_days_but_not_after_the_due_date(question):
    output = remind("2027-02-20")  # the runs from 30 January on were missed
    assert [message.to for message in mail.outbox] == [["olu@example.org"]]
    assert "in 9 days" in mail.outbox[0].body
    assert "Sent:" in output

    mail.outbox.clear()
    Question.objects.filter(pk=question.pk).update(next_review_due=datetime.date(2027, 4, 1))
    ReviewReminder.objects.all().delete()
    remind("2027-04-03")  # no run at all in the 30 days, nor on the day: only the late on-the-day one
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["dee@example.org", "olu@example.org"]
    assert "overdue since 1 April 2027" in mail.outbox[0].subject


def test_a_renewed_review_starts_a_new_round_of_reminders(question):
    remind("2027-03-01")
    assert len(mail.outbox) == 1
    Question.objects.filter(pk=question.pk).update(next_review_due=datetime.date(2028, 3, 1))
    remind("2028-01-31")
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["olu@example.org"]


def test_copy_with_no_owner_goes_to_the_editors_and_is_reported_in_the_output(question, editor):
    editor.email = "edna@example.org"
    editor.save()
    Question.objects.filter(pk=question.pk).update(owner=None, deputy=None)
    output = remind("2027-02-01")
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"edna@example.org", "olu@example.org", "dee@example.org"}  # every editor
    assert "no editor owns this item" in mail.outbox[0].body
    assert f"No owner: The question “{question.question}”" in output


def test_dry_run_sends_and_records_nothing_but_says_what_it_would_send(question):
    output = remind("2027-03-01", "--dry-run")
    assert mail.outbox == [] and not ReviewReminder.objects.exists()
    assert "Would send: On the day" in output and "olu@example.org" in output
    remind("2027-03-01")
    assert len(mail.outbox) == 1


def test_drafts_get_no_reminders(question):
    Question.objects.filter(pk=question.pk).update(is_published=False)
    assert "No review reminders to send today." in remind("2027-03-01")
    assert mail.outbox == []


def test_a_mail_server_that_fails_is_logged_and_the_reminder_is_tried_again_next_run(question, settings, error_log):
    settings.MAILERS = {"default": {"BACKEND": "mail_backends.BrokenBackend"}}
    with pytest.raises(CommandError, match="1 reminder"):
        remind("2027-03-01")
    assert "Could not send the review reminder" in error_log.getvalue()
    assert not ReviewReminder.objects.exists()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    remind("2027-03-02")
    assert len(mail.outbox) == 1


def test_today_must_be_a_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_review_reminders", "--today", "tomorrow")


# The owner in the admin ----------------------------------------------------------------------


@pytest.mark.parametrize("model, slug", [(CareCard, "urgent"), (Step, "warm-up"), (Question, "best-position")])
def test_changing_the_owner_of_published_copy_needs_no_sign_off_and_publishes_no_copy(
    client, editor, owner, change_form_data, model, slug
):
    card = model.objects.get(slug=slug)  # a step with its exercises' forms too
    before = reader_values(card)
    client.force_login(editor)
    url, data = change_form_data(client, card)
    data.update(owner=str(owner.pk), change_reason="Olu looks after the urgent card")
    response = client.post(url, data)
    assert response.status_code == 302

    card.refresh_from_db()
    assert card.owner == owner
    assert reader_values(card) == before  # not a word readers see changed
    assert not Proposal.objects.of(card).exists()
    latest = card.history.first()
    assert latest.history_user == editor and latest.history_change_reason.startswith("Review owner changed")


def test_a_copy_change_with_a_new_owner_proposes_the_copy_and_sets_the_owner_at_once(
    client, editor, owner, change_form_data
):
    card = CareCard.objects.get(slug="urgent")
    client.force_login(editor)
    url, data = change_form_data(client, card)
    data.update(owner=str(owner.pk), body=card.body + "\n\nNHS 111 is open all day.", change_reason="111 hours")
    assert client.post(url, data).status_code == 302
    card.refresh_from_db()
    assert card.owner == owner and "open all day" not in card.body
    proposal = Proposal.objects.of(card).get()
    assert "owner" not in proposal.proposed and "owner_id" not in proposal.proposed


def test_only_staff_editors_can_be_chosen_as_owner(client, editor, owner):
    User.objects.create_user("reader-account", password="a-long-test-passphrase-42")
    client.force_login(editor)
    page = client.get(reverse("admin:guides_question_change", args=[Question.objects.first().pk]))
    choices = {str(user) for user in page.context["adminform"].form.fields["owner"].queryset}
    assert "olu" in choices and "reader-account" not in choices


def test_the_admin_home_lists_overdue_and_due_soon_copy_with_its_owner_and_date(client, editor, question, owner):
    Question.objects.filter(pk=question.pk).update(next_review_due=datetime.date(2020, 1, 1))
    soon = CareCard.objects.get(slug="urgent")
    CareCard.objects.filter(pk=soon.pk).update(next_review_due=datetime.date.today() + datetime.timedelta(days=10))
    client.force_login(editor)
    page = " ".join(unescape(client.get(reverse("admin:index")).content.decode()).split())
    due = page[page.index("Due for review"):]
    overdue, soon_part = due.split("Due in the next 30 days")[:2]
    assert "Overdue" in overdue and question.question[:40] in overdue and "Olu Ade" in overdue
    assert "Deputy: dee" in overdue and "1 Jan 2020" in overdue
    assert reverse("admin:guides_question_change", args=[question.pk]) in overdue
    assert str(soon)[:40] in soon_part and "No owner" in soon_part


def test_overdue_copy_still_shows_to_readers_with_its_review_date(client, question):
    Question.objects.filter(pk=question.pk).update(next_review_due=datetime.date(2020, 1, 1))
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    assert "1 January 2020" in unescape(page.content.decode())


def test_content_files_carry_no_owners_and_import_leaves_them_be(tmp_path, question, editor):
    call_command("export_content", str(tmp_path / "backup"), verbosity=0)
    text = "".join(path.read_text() for path in (tmp_path / "backup").rglob("*.md"))
    assert "owner" not in text and "deputy" not in text

    call_command("import_content", str(tmp_path / "backup"), "--update", "--as", editor.username, verbosity=0)
    question.refresh_from_db()
    assert question.owner is not None  # the database keeps its people
    assert not Proposal.objects.exists()  # the owners are no change to the copy

    call_command("import_content", str(tmp_path / "backup"), "--replace", verbosity=0)
    assert Question.objects.get(slug=question.slug).owner is None
