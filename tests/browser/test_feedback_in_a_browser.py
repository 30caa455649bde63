"""'Was this page helpful?' in a real browser, with and without JavaScript, under the strict policy."""

import pytest
from playwright.sync_api import expect

from feedback.models import Feedback
from guides.models import Question, Step

pytestmark = pytest.mark.browser


def watch_for_policy_violations(page):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    return violations


def test_without_javascript_a_reader_answers_no_adds_a_comment_and_goes_back(site, new_page, artifacts):
    page = new_page(java_script_enabled=False)
    step = Step.objects.get(slug="engage-your-core")
    page.goto(site + step.get_absolute_url())

    page.locator(".feedback").get_by_role("button", name="No").click()
    expect(page.locator("h1")).to_have_text("Thank you for your feedback")
    expect(page.get_by_text("cannot answer medical questions")).to_be_visible()
    page.screenshot(path=artifacts / "feedback-reply-no-js-phone.png", full_page=True)
    page.get_by_label("What was wrong or missing? (optional)").fill("Say how long to hold it. Call me on 07700 900123.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Our editors read every comment")

    page.get_by_role("link", name="Go back to the page you were reading").click()
    expect(page).to_have_url(site + step.get_absolute_url())
    answer = Feedback.objects.get()
    assert (answer.item, answer.item_version, answer.helpful) == (step, step.version, False)
    assert answer.comment == "Say how long to hold it. Call me on [phone number removed]."
    assert page.context.cookies() == []


def test_with_javascript_the_reader_stays_on_the_page_and_no_policy_is_broken(site, page, artifacts):
    violations = watch_for_policy_violations(page)
    question = Question.objects.published().first()
    page.goto(site + question.get_absolute_url())

    feedback = page.locator(".feedback")
    feedback.screenshot(path=artifacts / "feedback-question-phone.png")
    feedback.get_by_role("button", name="No").click()
    box = feedback.get_by_label("What was wrong or missing? (optional)")
    expect(box).to_be_visible()
    expect(feedback.get_by_role("status")).to_be_focused()
    expect(page).to_have_url(site + question.get_absolute_url())
    box.fill("It does not say what to do at night.")
    feedback.screenshot(path=artifacts / "feedback-comment-phone.png")
    feedback.get_by_role("button", name="Send").click()
    expect(feedback.get_by_role("status")).to_contain_text("Our editors read every comment")
    expect(page).to_have_url(site + question.get_absolute_url())
    expect(page.locator("h1")).to_have_text(question.question)

    answer = Feedback.objects.get()
    assert (answer.item, answer.helpful, answer.comment) == (question, False, "It does not say what to do at night.")
    assert violations == []
    assert page.context.cookies() == []


def test_with_javascript_a_yes_is_thanked_in_place(site, page):
    page.goto(site + "/tips/")
    page.locator(".feedback").get_by_role("button", name="Yes").click()
    expect(page.locator(".feedback").get_by_role("status")).to_have_text("Thank you. We have your answer.")
    expect(page).to_have_url(site + "/tips/")
    assert Feedback.objects.get().helpful is True


def test_the_comment_box_and_the_reply_page_have_no_accessibility_violations(site, new_page, axe_path):
    page = new_page(bypass_csp=True)  # for the injected axe script only
    step = Step.objects.get(slug="engage-your-core")
    page.goto(site + step.get_absolute_url())
    page.locator(".feedback").get_by_role("button", name="No").click()
    expect(page.locator(".feedback textarea")).to_be_visible()
    page.add_script_tag(path=axe_path)
    assert page.evaluate("async () => (await axe.run()).violations") == []

    plain = new_page(bypass_csp=True)
    plain.route("**/feedback.js", lambda route: route.abort())  # the reply page, as readers without scripts get it
    plain.goto(site + step.get_absolute_url())
    plain.locator(".feedback").get_by_role("button", name="No").click()
    expect(plain.locator("h1")).to_have_text("Thank you for your feedback")
    plain.add_script_tag(path=axe_path)
    assert plain.evaluate("async () => (await axe.run()).violations") == []


def test_offline_a_tap_on_yes_keeps_the_page_and_says_to_try_again_later(site, page, artifacts):
    violations = watch_for_policy_violations(page)
    step = Step.objects.get(slug="engage-your-core")
    page.goto(site + step.get_absolute_url())
    feedback = page.locator(".feedback")

    page.context.set_offline(True)
    feedback.get_by_role("button", name="Yes").click()
    expect(feedback.get_by_role("status")).to_have_text("You are offline; try again later.")
    expect(feedback.get_by_role("status")).to_be_focused()
    expect(page).to_have_url(site + step.get_absolute_url())
    expect(page.locator("h1")).to_have_text(step.title)
    feedback.screenshot(path=artifacts / "feedback-offline-phone.png")
    feedback.get_by_role("button", name="No").click()  # a second tap: still the page, one note
    expect(feedback.get_by_role("status")).to_have_count(1)
    assert not Feedback.objects.exists()

    page.context.set_offline(False)
    feedback.get_by_role("button", name="Yes").click()
    expect(feedback.get_by_role("status")).to_contain_text("Thank you")
    assert Feedback.objects.get().helpful is True
    assert violations == []


def test_when_the_connection_drops_during_the_tap_the_page_stays_too(site, page):
    """navigator.onLine can say "online" on a connection that answers nothing: the failed send decides."""
    step = Step.objects.get(slug="engage-your-core")
    page.goto(site + step.get_absolute_url())
    page.route("**/feedback/**", lambda route: route.abort("internetdisconnected"))
    page.locator(".feedback").get_by_role("button", name="No").click()
    expect(page.locator(".feedback").get_by_role("status")).to_have_text("You are offline; try again later.")
    expect(page).to_have_url(site + step.get_absolute_url())
    assert not Feedback.objects.exists()
