"""Issue 26, point 3: an outside expert checks a waiting change through a secret, expiring,
single-use link, without an account; approval stays with a clinical reviewer."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guides import offline
from guides.models import Question
from signoff import fact_check, proposals, services
from signoff.models import FactCheckRequest, Proposal
from signoff.rules import SignOffRefused

pytestmark = pytest.mark.django_db
EXPERT = "dr.osei@example.org"
NEW_SENTENCE = "Lie on your side with a pillow between your knees."
COMMENT = "The pillow advice is sound. Say a firm pillow, not a soft one."


@pytest.fixture
def question():
    return Question.objects.get(slug="best-position")


@pytest.fixture
def waiting(question, editor):
    """A change to a question that waits for sign-off."""
    values = {**proposals.values_of(question), "answer": question.answer + "\n\n" + NEW_SENTENCE}
    return services.propose(question, values, editor, reason="Add the pillow tip")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def send(committed, editor):
    """Sends a link as the editor would; returns its path (from the email, the only place it is)."""

    def send_link(proposal, days=14, email=EXPERT, user=None):
        mail.outbox.clear()
        with committed():
            fact_check.send(proposal, user or editor, email, days)
        link = re.search(r"https?://\S+/fact-check/\S+", mail.outbox[-1].body).group(0)
        return "/" + link.split("/", 3)[3]

    return send_link


def propose_a_new_page(question, editor):
    """A new answer, a draft, proposed for publishing: (the draft, its proposal)."""
    draft = Question(guide=question.guide, question="Can I sleep on my front?", slug="sleep-on-front",
                     answer="Some people find a flat pillow under the hips helps.", order=99)
    services.start_draft(draft)
    draft.save()
    return draft, services.propose(draft, {**proposals.values_of(draft), "is_published": True}, editor)


def text(response):
    return " ".join(unescape(response.content.decode()).split())


def later(monkeypatch, **delta):
    """Moves the clock on."""
    moment = timezone.now() + datetime.timedelta(**delta)
    monkeypatch.setattr(timezone, "now", lambda: moment)


# Sending ------------------------------------------------------------------------------------


def test_an_editor_sends_a_link_from_the_waiting_change_and_the_expert_gets_it_by_email(
    editor_client, editor, waiting, question, committed, settings
):
    editor.first_name, editor.last_name = "Edna", "Lake"
    editor.save()
    settings.BACKCARE_SITE_URL = "https://backcare.example"
    change_page = text(editor_client.get(reverse("admin:guides_question_change", args=[question.pk])))
    assert "Ask an outside expert to check this change" in change_page
    send_url = reverse("admin:signoff_factcheckrequest_send", args=[waiting.pk])
    with committed():
        response = editor_client.post(send_url, {"fact_check_email": EXPERT, "fact_check_days": "5"})
    assert response.status_code == 302 and response.url == waiting.get_absolute_url()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EXPERT]
    assert str(question) in message.subject and str(question) in message.body
    assert "Edna Lake" in message.body
    assert "https://backcare.example/fact-check/" in message.body
    check = FactCheckRequest.objects.get()
    assert (check.proposal, check.revision, check.sent_by, check.expert_email) == (waiting, waiting.revision, editor, EXPERT)
    assert datetime.timedelta(days=4, hours=23) < check.expires_at - check.created_at <= datetime.timedelta(days=5)
    token = message.body.split("/fact-check/")[1].split("/")[0]
    assert check.secret_hash not in message.body and token.split(":")[0] not in check.secret_hash  # only a hash is kept


def test_a_link_works_fourteen_days_at_most_and_the_send_form_refuses_more(editor_client, waiting):
    send_url = reverse("admin:signoff_factcheckrequest_send", args=[waiting.pk])
    page = text(editor_client.post(send_url, {"fact_check_email": EXPERT, "fact_check_days": "30"}))
    assert "less than or equal to 14" in page and not FactCheckRequest.objects.exists()
    assert text(editor_client.post(send_url, {"fact_check_email": "not an address"})).count("valid email") == 1
    editor_client.post(send_url, {"fact_check_email": EXPERT})
    check = FactCheckRequest.objects.get()
    assert check.expires_at - check.created_at > datetime.timedelta(days=13, hours=23)


def test_only_editors_who_may_propose_can_send_a_link(client, waiting, make_editor, editor):
    send_url = reverse("admin:signoff_factcheckrequest_send", args=[waiting.pk])
    assert client.get(send_url).status_code == 302  # to the login page
    staff_only = User.objects.create_user("stan", password="a-long-test-passphrase-42", is_staff=True)
    client.force_login(staff_only)
    assert client.post(send_url, {"fact_check_email": EXPERT}).status_code == 403
    with pytest.raises(SignOffRefused):
        fact_check.send(waiting, staff_only, EXPERT)
    reader = User.objects.create_user("rita", password="a-long-test-passphrase-42")
    with pytest.raises(SignOffRefused):
        fact_check.send(waiting, reader, EXPERT)
    assert not FactCheckRequest.objects.exists() and not mail.outbox


def test_a_link_is_only_made_for_a_change_that_waits(waiting, editor, reviewer, question):
    services.send_back(question, reviewer, waiting.revision, "Please name a firm pillow.")
    waiting.refresh_from_db()
    with pytest.raises(SignOffRefused, match="waits for sign-off"):
        fact_check.send(waiting, editor, EXPERT)


def test_a_mail_server_that_fails_is_logged_and_the_link_is_still_listed(waiting, editor, committed, settings, error_log):
    settings.MAILERS = {"default": {"BACKEND": "mail_backends.BrokenBackend"}}
    with committed():
        fact_check.send(waiting, editor, EXPERT)
    assert "Could not send the sign-off email" in error_log.getvalue()
    assert FactCheckRequest.objects.filter(expert_email=EXPERT).exists()


# What the expert sees -----------------------------------------------------------------------


def test_the_expert_sees_the_changed_sentences_and_the_proposed_page_without_an_account(client, waiting, send, question):
    link = send(waiting)
    page = client.get(link)
    assert page.status_code == 200
    shown = text(page)
    assert f"Fact check: {question}" in shown and NEW_SENTENCE in shown and "Your comments" in shown
    for change in proposals.changes(question, waiting):  # the reviewer's table, row for row
        for old, new in change["pairs"]:
            assert (new or "—") in shown and (old or "—") in shown
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    proposed = client.get(link + "page/")
    assert proposed.status_code == 200
    assert NEW_SENTENCE in text(proposed) and "Awaits sign-off" in text(proposed)
    assert proposed["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in proposed["Content-Security-Policy"]
    assert NEW_SENTENCE not in text(client.get(question.get_absolute_url()))  # readers still get the live copy
    assert "_approve" not in page.content.decode() and "Approve" not in shown


def test_the_proposed_page_shows_no_drafts_even_to_a_logged_in_editor(editor_client, waiting, send, question):
    draft = Question(guide=question.guide, question="A draft nobody has approved?", slug="a-draft",
                     answer="Draft words.", order=99)
    services.start_draft(draft)
    draft.save()
    proposed = text(editor_client.get(send(waiting) + "page/"))
    assert NEW_SENTENCE in proposed and "A draft nobody has approved?" not in proposed


def test_a_new_page_waiting_to_be_published_shows_all_its_words_and_says_its_page_is_not_public_yet(
    client, question, editor, send
):
    draft, proposal = propose_a_new_page(question, editor)
    link = send(proposal)
    assert "Some people find a flat pillow under the hips helps." in text(client.get(link))
    framed = client.get(link + "page/")
    assert framed.status_code == 404 and "This page is not published yet" in text(framed)


# The comment --------------------------------------------------------------------------------


def test_the_comment_lands_in_the_items_history_as_the_outside_expert_and_the_reviewer_sees_it(
    client, waiting, send, question, reviewer, committed, editor
):
    editor.email = "edna@example.org"
    editor.save()
    link = send(waiting)
    mail.outbox.clear()
    with committed():
        thanks = client.post(link, {"comment": COMMENT})
    assert thanks.status_code == 200 and "Thank you" in text(thanks)
    assert [message.to for message in mail.outbox] == [["edna@example.org"]]  # the editor who asked hears of it
    assert COMMENT in mail.outbox[0].body

    client.force_login(reviewer)
    history = text(client.get(reverse("admin:guides_question_history", args=[question.pk])))
    assert f"Outside expert <{EXPERT}>" in history and COMMENT in history
    change_page = text(client.get(reverse("admin:guides_question_change", args=[question.pk])))
    assert COMMENT in change_page and f"Outside expert <{EXPERT}>" in change_page
    assert "only a clinical reviewer approves or sends back this change" in change_page
    assert not User.objects.filter(email=EXPERT).exists()  # no account was made


def test_the_experts_comment_approves_and_sends_back_nothing(client, waiting, send, question, approve):
    link = send(waiting)
    client.post(link, {"comment": COMMENT, "_approve": "1", "_send_back": "1", "signoff_revision": waiting.revision})
    waiting.refresh_from_db()
    assert waiting.status == Proposal.Status.WAITING and waiting.reviewer is None
    assert NEW_SENTENCE not in Question.objects.get(pk=question.pk).answer
    response = client.post(reverse("admin:guides_question_change", args=[question.pk]), {"_approve": "1"})
    assert response.status_code == 302 and "/login/" in response.url  # the link opens no door to the admin
    approve(question)  # the reviewer still decides
    assert NEW_SENTENCE in Question.objects.get(pk=question.pk).answer


def test_the_link_is_used_up_by_the_comment_and_refused_after(client, waiting, send):
    link = send(waiting)
    assert client.get(link).status_code == 200  # viewing does not use it up
    assert client.get(link).status_code == 200
    client.post(link, {"comment": COMMENT})
    again = client.post(link, {"comment": "A second, different comment."})
    assert again.status_code == 410 and "your comments were sent" in text(again)
    assert client.get(link).status_code == 410 and client.get(link + "page/").status_code == 410
    assert FactCheckRequest.objects.get().comment == COMMENT


def test_an_empty_comment_is_refused_and_the_link_stays_open(client, waiting, send):
    link = send(waiting)
    response = client.post(link, {"comment": "   "})
    assert response.status_code == 400 and "This field is required" in text(response)
    assert FactCheckRequest.objects.get().used_at is None


def test_the_comment_form_is_protected_against_cross_site_posts(waiting, send):
    link = send(waiting)
    response = Client(enforce_csrf_checks=True).post(link, {"comment": COMMENT})
    assert response.status_code == 403
    assert FactCheckRequest.objects.get().used_at is None


# Refusals -----------------------------------------------------------------------------------


def test_a_tampered_or_foreign_token_is_a_styled_404_and_never_reaches_a_500(client, waiting, send, settings):
    settings.BACKCARE_FACT_CHECK_RATE_LIMIT = 100
    link = send(waiting)
    token = link.split("/")[2]
    check = FactCheckRequest.objects.get()
    forged = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        signing.Signer(salt="another.purpose").sign_object([check.pk, "x" * 43]),  # signed for something else
        signing.Signer(salt=fact_check.SALT).sign_object([check.pk, "a-guessed-secret"]),  # wrong secret
        signing.Signer(salt=fact_check.SALT).sign_object(["1", None]),
        signing.Signer(salt=fact_check.SALT).sign_object([check.pk]),
        "not-a-token", "%00", "a" * 2000,
    ]
    for bad in forged:
        for suffix in ("", "page/"):
            response = client.get(f"/fact-check/{bad}/{suffix}")
            assert response.status_code == 404, bad
            assert "This link does not work" in text(response) and "Backcare" in text(response)
        assert client.post(f"/fact-check/{bad}/", {"comment": COMMENT}).status_code == 404
    assert FactCheckRequest.objects.get().used_at is None


def test_an_expired_link_is_a_styled_410_and_the_editor_may_choose_a_shorter_life(client, waiting, send, monkeypatch):
    short, usual = send(waiting, days=2), send(waiting)
    later(monkeypatch, days=1)
    assert client.get(short).status_code == 200
    later(monkeypatch, days=2, minutes=1)
    expired = client.get(short)
    assert expired.status_code == 410 and "This link has expired" in text(expired)
    assert client.post(short, {"comment": COMMENT}).status_code == 410
    assert client.get(usual).status_code == 200
    later(monkeypatch, days=14, minutes=1)
    assert client.get(usual).status_code == 410
    assert not FactCheckRequest.objects.filter(used_at__isnull=False).exists()


def test_revoking_from_the_waiting_change_stops_the_link_at_once(client, editor, waiting, send, question):
    link = send(waiting)
    check = FactCheckRequest.objects.get()
    revoke_url = reverse("admin:signoff_factcheckrequest_revoke", args=[check.pk])
    client.force_login(editor)
    assert revoke_url in client.get(reverse("admin:guides_question_change", args=[question.pk])).content.decode()
    assert "Cancel the link sent to" in text(client.get(revoke_url))
    assert client.post(revoke_url).status_code == 302
    client.logout()
    refused = client.get(link)
    assert refused.status_code == 410 and "This link has been cancelled" in text(refused)
    assert client.post(link, {"comment": COMMENT}).status_code == 410


def test_an_admin_can_cancel_links_from_the_list_of_fact_checks(client, waiting, send):
    link = send(waiting)
    admin_user = User.objects.create_superuser("ada", password="a-long-test-passphrase-42")
    client.force_login(admin_user)
    changelist = reverse("admin:signoff_factcheckrequest_changelist")
    assert EXPERT in text(client.get(changelist))
    client.post(changelist, {"action": "revoke_links", "_selected_action": [FactCheckRequest.objects.get().pk]})
    client.logout()
    assert client.get(link).status_code == 410


@pytest.mark.parametrize("moved_on", ["edited", "approved", "sent back", "withdrawn"])
def test_a_link_to_a_change_that_moved_on_says_so_and_takes_no_comment(
    client, waiting, send, question, editor, approve, reviewer, moved_on
):
    link = send(waiting)
    if moved_on == "edited":
        services.propose(question, {**waiting.proposed, "answer": question.answer + "\n\nAnother line."}, editor)
    elif moved_on == "approved":
        approve(question)
    elif moved_on == "sent back":
        services.send_back(question, reviewer, waiting.revision, "Please say a firm pillow.")
    else:
        services.withdraw(waiting, editor)
    page = client.get(link)
    assert page.status_code == 410 and "This change has moved on" in text(page)
    assert client.post(link, {"comment": COMMENT}).status_code == 410
    assert FactCheckRequest.objects.get().used_at is None


def test_too_many_requests_from_one_address_or_for_one_link_get_a_styled_429(client, waiting, send, settings):
    settings.BACKCARE_FACT_CHECK_RATE_LIMIT = 3
    link, other_link = send(waiting), send(waiting)
    for _ in range(3):
        assert client.get(link, REMOTE_ADDR="203.0.113.5").status_code == 200
    limited = client.get(link, REMOTE_ADDR="203.0.113.5")
    assert limited.status_code == 429 and "Too many requests" in text(limited)
    assert limited["Retry-After"] == "600"
    assert client.get(link, REMOTE_ADDR="198.51.100.7").status_code == 429  # the same link from elsewhere
    assert client.get(other_link, REMOTE_ADDR="203.0.113.5").status_code == 429  # the same address, another link
    assert client.get(other_link, REMOTE_ADDR="198.51.100.7").status_code == 200
    assert client.get("/fact-check/guessed/", REMOTE_ADDR="192.0.2.1").status_code == 404
    for _ in range(3):
        client.get(f"/fact-check/guess-{_}/", REMOTE_ADDR="192.0.2.1")
    assert client.get("/fact-check/guess-9/", REMOTE_ADDR="192.0.2.1").status_code == 429  # guessing is slowed


# Private pages ------------------------------------------------------------------------------


def test_every_answer_is_noindex_never_cached_and_lets_no_referrer_carry_the_token(client, waiting, send, settings):
    settings.BACKCARE_FACT_CHECK_RATE_LIMIT = 6
    link = send(waiting)
    answers = [client.get(link), client.get(link + "page/"), client.get("/fact-check/bad/")]
    client.post(link, {"comment": COMMENT})
    answers += [client.get(link), client.get(link), client.get(link)]  # used; then over the limit
    assert [answer.status_code for answer in answers] == [200, 200, 404, 410, 410, 429]
    for answer in answers:
        assert answer["X-Robots-Tag"] == "noindex, nofollow"
        control = answer["Cache-Control"]
        assert "no-store" in control and "private" in control and "public" not in control
        assert answer["Referrer-Policy"] == "strict-origin"  # the origin at most, never the token in the path
    for answer in (answers[0], answers[2], answers[3], answers[5]):
        assert '<meta name="robots" content="noindex">' in answer.content.decode()
    assert 'rel="canonical"' not in answers[0].content.decode()  # the token is in no link the page gives


def test_the_reader_page_cache_never_keeps_a_fact_check_page(client, waiting, send, settings):
    assert not settings.DEBUG  # the page cache is on, as in production
    link = send(waiting)
    assert client.get(link).status_code == 200 and client.get(link + "page/").status_code == 200
    FactCheckRequest.objects.update(revoked_at=timezone.now())  # no signal: only a fresh answer can know
    assert client.get(link).status_code == 410 and client.get(link + "page/").status_code == 410


def test_the_service_worker_never_keeps_a_fact_check_page(waiting, send):
    link = send(waiting)
    assert not any(page.startswith("/fact-check/") for page in offline.kept_pages())
    response = Client().get(link)
    assert re.search(r"\b(private|no-store)\b", response["Cache-Control"])  # the worker's keepable() refuses these


def test_the_framed_page_only_shows_and_a_post_to_it_is_refused_not_an_error(client, waiting, send):
    link = send(waiting)
    response = client.post(link + "page/", {"comment": "Posted at the page, not the form"})
    assert response.status_code == 405
    assert waiting.fact_checks.get().used_at is None  # the link still takes the expert's comment


def test_a_link_to_a_change_whose_page_was_deleted_says_so_and_takes_no_comment(client, question, editor, send):
    draft, proposal = propose_a_new_page(question, editor)
    link = send(proposal)
    draft.delete()

    for address in (link, link + "page/"):
        response = client.get(address)
        assert response.status_code == 410 and "has been deleted" in text(response), address
    assert client.post(link, {"comment": "Too late"}).status_code == 410
