"""The editor's first hour: "Your changes" on the admin home, and emails when a change waits,
comes back or is approved (issue 22)."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from guides.models import CareCard
from test_signoff import as_user, decide, propose  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(editor):
    editor.email = "edna@example.org"
    editor.save()
    return editor


@pytest.fixture
def clinician(reviewer):
    reviewer.email = "rhea@example.org"
    reviewer.save()
    return reviewer


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (the emails) as a real commit would, when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def home(client, user):
    return " ".join(unescape(as_user(client, user).get(reverse("admin:index")).content.decode()).split())


def test_a_new_change_emails_the_reviewers_but_not_its_author(client, author, clinician, propose, committed):
    card = CareCard.objects.get(level="urgent")
    with committed():
        propose(client, author, card, card.body + "\n\nNHS 111 is open all day.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rhea@example.org"]
    assert "waits for your sign-off" in message.subject
    assert reverse("admin:guides_carecard_change", args=[card.pk]) in message.body


def propose_on_the_urgent_card(client, author, propose, committed):
    """The author proposes a sentence on the urgent card; the mail it sends is cleared. Returns its page."""
    card = CareCard.objects.get(level="urgent")
    with committed():
        url = propose(client, author, card, card.body + "\n\nNHS 111 is open all day.")
    mail.outbox.clear()
    return url


def test_a_change_sent_back_stays_on_the_authors_home_with_the_comment_and_is_emailed(
    client, author, clinician, propose, committed
):
    url = propose_on_the_urgent_card(client, author, propose, committed)
    with committed():
        decide(as_user(client, clinician), url, "_send_back", comment="Please name 111 online too.")

    page = home(client, author)
    assert "Your changes" in page
    assert "Sent back: please change it" in page and "Please name 111 online too." in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["edna@example.org"]
    assert "was sent back" in mail.outbox[0].subject and "Please name 111 online too." in mail.outbox[0].body


def test_an_approved_change_is_emailed_to_its_author_and_shown_as_approved(
    client, author, clinician, propose, committed
):
    url = propose_on_the_urgent_card(client, author, propose, committed)
    with committed():
        decide(as_user(client, clinician), url, "_approve")
    assert [message.to for message in mail.outbox] == [["edna@example.org"]]
    assert "was approved" in mail.outbox[0].subject
    assert "Approved" in home(client, author)


def test_a_mail_server_that_fails_never_undoes_the_decision(
    client, author, clinician, propose, committed, settings, caplog
):
    settings.MAILERS = {"default": {"BACKEND": "mail_backends.BrokenBackend"}}
    card = CareCard.objects.get(level="urgent")
    with committed():
        url = propose(client, author, card, card.body + "\n\nNHS 111 is open all day.")
    with committed():
        decide(as_user(client, clinician), url, "_approve")
    assert "NHS 111 is open all day." in CareCard.objects.get(pk=card.pk).body
    assert "Could not send the sign-off email" in caplog.text


def test_an_editor_with_no_changes_is_told_so(client, author):
    assert "You have not proposed any changes yet." in home(client, author)
