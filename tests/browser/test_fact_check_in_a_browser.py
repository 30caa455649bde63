"""Issue 26, point 3, in a real browser: an editor sends a fact-check link from a waiting change; an
outside expert with no account reads the change and the proposed page, comments once, and the
link is refused after that, and once expired."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from guides.models import Question
from signoff import fact_check, proposals, services
from test_editor_in_a_browser import editor, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EXPERT = "dr.osei@example.org"
NEW_SENTENCE = "Lie on your side with a pillow between your knees."
COMMENT = "The pillow advice is sound. Say a firm pillow, not a soft one."


def link_in(message, site):
    path = re.search(r"/fact-check/\S+/", message.body).group(0)
    return site + path


def test_an_expert_reads_the_change_comments_once_and_the_link_is_then_refused(site, editor, new_page, artifacts):
    question = Question.objects.get(slug="best-position")
    services.propose(question, {**proposals.values_of(question), "answer": question.answer + "\n\n" + NEW_SENTENCE},
                     editor, reason="Add the pillow tip")
    change_url = f"{site}/admin/guides/question/{question.pk}/change/"

    asker = new_page(viewport={"width": 1280, "height": 900})
    sign_in(asker, site)
    asker.goto(change_url)
    mail.outbox.clear()
    asker.get_by_role("link", name="Ask an outside expert to check this change").click()
    asker.fill("#id_fact_check_email", EXPERT)
    asker.fill("#id_fact_check_days", "7")
    asker.get_by_role("button", name="Send the link").click()
    asker.wait_for_url(change_url)
    assert f"A fact-check link is on its way to {EXPERT}" in asker.inner_text("body")
    assert [message.to for message in mail.outbox] == [[EXPERT]]
    link = link_in(mail.outbox[0], site)

    expert = new_page()  # a phone, no account, no cookies
    response = expert.goto(link)
    assert response.status == 200 and response.headers["x-robots-tag"] == "noindex, nofollow"
    assert NEW_SENTENCE in expert.locator(".signoff-diff__new").first.inner_text()
    frame = expert.frame_locator("iframe.fact-check__page")
    frame.locator("text=Awaits sign-off").wait_for()
    assert NEW_SENTENCE in frame.locator("main").inner_text()
    assert response.headers["referrer-policy"] == "strict-origin"  # and the comment form still passes CSRF
    assert expert.get_attribute("meta[name=robots]", "content") == "noindex"
    expert.fill("#id_comment", COMMENT)
    expert.get_by_role("button", name="Send my comments").click()
    expert.get_by_role("heading", name="Thank you: your comments were sent").wait_for()

    reused = expert.goto(link)
    assert reused.status == 410 and "your comments were sent" in expert.inner_text("main")
    assert expert.locator("#id_comment").count() == 0

    asker.goto(change_url)
    panel = asker.inner_text(".signoff__fact-checks")
    assert f"Outside expert <{EXPERT}>" in panel and COMMENT in panel
    asker.goto(f"{site}/admin/guides/question/{question.pk}/history/")
    assert COMMENT in asker.inner_text("#signoff-history + table")


def test_an_expired_link_shows_a_styled_page_and_takes_no_comment(site, editor, new_page):
    question = Question.objects.get(slug="best-position")
    proposal = services.propose(question, {**proposals.values_of(question), "answer": question.answer + "\n\n" + NEW_SENTENCE},
                                editor, reason="Add the pillow tip")
    mail.outbox.clear()
    check, _ = fact_check.send(proposal, editor, EXPERT, days=1)
    link = link_in(mail.outbox[0], site)

    expert = new_page()
    expert.goto(link)
    expert.fill("#id_comment", COMMENT)
    type(check).objects.filter(pk=check.pk).update(expires_at=timezone.now())  # the day passes while they type
    expert.get_by_role("button", name="Send my comments").click()
    expert.get_by_role("heading", name="This link has expired").wait_for()
    assert "Backcare" in expert.inner_text(".site-header")  # the site's own styled page, not a bare error
    assert expert.goto(link).status == 410
    check.refresh_from_db()
    assert check.used_at is None and check.comment == ""
