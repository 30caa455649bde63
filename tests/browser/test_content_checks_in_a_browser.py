"""The content checks as an editor meets them in a real browser, under the strict CSP."""

import pytest

from guides.models import Question, Step
from test_editor_in_a_browser import editor, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_banned_claim_typed_into_the_editor_is_flagged_under_the_preview_and_blocks_the_save(site, editor, page):
    policy_violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and policy_violations.append(message.text))
    step = Step.objects.get(slug="gentle-pressure")
    original = step.body

    sign_in(page, site)
    page.goto(f"{site}/admin/guides/step/{step.pk}/change/")
    checks = page.locator(".markdownx-preview .content-checks").first
    checks.wait_for(timeout=30_000)  # the first preview, of the saved text: it must not land after ours
    assert checks.locator(".content-checks__error").count() == 0
    page.locator("#id_body").fill(original + "\n\nA firm push puts the disc back into place and cures the pain.")
    checks.locator(".content-checks__error").first.wait_for(timeout=30_000)  # the preview waits for a typing pause
    assert "reading age" in checks.inner_text()
    assert "Health pages must not say 'back into place'" in checks.inner_text()
    assert checks.locator(".content-checks__error").count() == 2  # "back into place" and "cure"

    page.click("input[name=_save]")
    body_errors = page.locator(".errorlist", has_text="back into place")
    body_errors.first.wait_for(timeout=30_000)
    assert "back into place and cures the pain" in page.input_value("#id_body")  # the text is kept
    step.refresh_from_db()
    assert step.body == original
    assert policy_violations == []


def test_a_partial_list_of_999_signs_typed_into_an_answer_is_flagged_as_the_editor_types(site, editor, page):
    question = Question.objects.get(slug="best-position")

    sign_in(page, site)
    page.goto(f"{site}/admin/guides/question/{question.pk}/change/")
    checks = page.locator(".markdownx-preview .content-checks").first
    checks.wait_for(timeout=30_000)
    assert checks.locator(".content-checks__error").count() == 0
    page.locator("#id_answer").fill(question.answer + "\n\nIf you have chest pain or pain in both legs, lie down.")

    error = checks.locator(".content-checks__error", has_text="emergency signs")
    error.wait_for(timeout=30_000)  # the preview knows this box is an answer, which shows no 999 card
    assert "add a link to the full list of emergency signs" in error.inner_text()
