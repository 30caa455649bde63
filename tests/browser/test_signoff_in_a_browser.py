"""The whole clinical sign-off flow in a real browser: an editor proposes, a reviewer approves."""

import pytest
from django.contrib.auth.models import User

from guides.models import CareCard
from signoff import proposals
from signoff.models import ReviewerProfile
from test_editor_in_a_browser import PASSWORD, editor, reviewers_group, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_SENTENCE = "If you cannot reach your GP, use NHS 111 online."


@pytest.fixture
def reviewer(editor):
    user = User.objects.create_user("rhea", password=PASSWORD, is_staff=True)
    user.groups.add(*editor.groups.all(), reviewers_group())
    ReviewerProfile.objects.create(user=user, public_name="Dr Rhea Patel", role="Physiotherapist")
    return user


def test_an_editor_proposes_a_care_card_change_and_a_reviewer_previews_reads_the_diff_and_approves(
    site, editor, reviewer, new_page, artifacts
):
    card = CareCard.objects.get(slug="non-urgent")
    reader_url = f"{site}{card.get_absolute_url()}"
    change_url = f"{site}/admin/guides/carecard/{card.pk}/change/"

    author = new_page(viewport={"width": 1280, "height": 900})
    sign_in(author, site)
    author.goto(change_url)
    first_sentence = proposals.sentences(card.body)[0]
    author.fill("#id_body", card.body.replace(first_sentence, NEW_SENTENCE, 1) + "\n\nKeep this card for later.")
    author.fill("#id_change_reason", "Point to NHS 111 online")
    author.fill("#id_reader_note", "Added NHS 111 online")
    author.click("input[name=_save]")
    author.wait_for_url(change_url)
    assert "is waiting for sign-off" in author.content()
    assert author.locator("input[name=_approve]").count() == 0  # nobody approves their own change

    reader = new_page()
    reader.goto(reader_url)
    assert NEW_SENTENCE not in reader.inner_text("main")

    checker = new_page(viewport={"width": 1280, "height": 900})
    sign_in(checker, site, "rhea")
    checker.goto(f"{site}/admin/")
    waiting = checker.locator("#signoff-waiting")
    assert "edith" in waiting.inner_text() and "Point to NHS 111 online" in waiting.inner_text()
    waiting.get_by_role("link").first.click()
    checker.wait_for_url(change_url)
    diff = checker.locator(".signoff-diff").first
    assert NEW_SENTENCE in diff.locator(".signoff-diff__new").first.inner_text()
    assert first_sentence in diff.locator(".signoff-diff__old").first.inner_text()
    checker.locator(".signoff").screenshot(path=str(artifacts / "signoff-diff.png"))
    checker.goto(f"{site}/admin/guides/step/{card.steps.order_by('order').first().pk}/change/")
    checker.screenshot(path=str(artifacts / "signoff-step-form.png"), full_page=True)
    checker.goto(change_url)

    with checker.expect_popup() as popup:
        checker.get_by_role("link", name="Preview on the page").click()
    preview = popup.value
    preview.wait_for_load_state()
    assert "awaits sign-off" in preview.inner_text("main").lower()
    assert NEW_SENTENCE in preview.inner_text("main")

    checker.click("input[name=_approve]")
    assert "Approved" in checker.inner_text(".messagelist")

    reader = new_page()  # a new reader (the first one's browser may reuse its copy for a minute)
    reader.goto(reader_url)
    main = reader.inner_text("main")
    assert NEW_SENTENCE in main
    assert "Dr Rhea Patel, Physiotherapist" in main
    assert "Added NHS 111 online" in main


def test_a_new_order_waits_for_a_reviewer_and_pressing_enter_in_a_field_never_approves_it(
    site, editor, reviewer, new_page, artifacts
):
    from guides.models import Step

    listen = Step.objects.get(slug="listen-to-your-body")
    author = new_page(viewport={"width": 1280, "height": 900})
    sign_in(author, site)
    author.goto(f"{site}/admin/guides/step/")
    author.check(f"input[name=_selected_action][value='{listen.pk}']")
    author.select_option("select[name=action]", "move_down")
    author.click("button[name=index]")
    assert "this new order is waiting for sign-off" in author.inner_text(".messagelist")

    checker = new_page(viewport={"width": 1280, "height": 900})
    sign_in(checker, site, "rhea")
    checker.goto(f"{site}/admin/guides/step/{listen.pk}/change/")
    order = checker.locator(".signoff-diff--order")
    assert "Get help if your pain is not getting better" in order.locator(".signoff-diff__new").first.inner_text()
    checker.locator(".signoff").first.screenshot(path=str(artifacts / "signoff-new-order.png"))
    checker.fill("textarea[name=order_comment]", "Reads better last")
    checker.focus("#id_title")
    with checker.expect_navigation():
        checker.keyboard.press("Enter")  # the browser submits the change form's first button: Save, not Approve
    told = checker.inner_text(".messagelist")
    assert "Approved" not in told and "Review confirmed" not in told and "is waiting for sign-off" in told
    assert Step.objects.get(pk=listen.pk).order == 7

    checker.goto(f"{site}/admin/guides/step/{listen.pk}/change/")
    checker.fill("textarea[name=order_comment]", "Reads better last")
    checker.click("input[name=_approve_order]")
    assert "Approved: readers see the new order now." in checker.inner_text(".messagelist")
    assert Step.objects.get(pk=listen.pk).order == 8
