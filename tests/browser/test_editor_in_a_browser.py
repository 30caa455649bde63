"""An editor's round trip in a real browser, under the production Content-Security-Policy."""

import importlib

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from guides.models import CareCard, Step
from signoff import proposals, services
from signoff.models import ReviewerProfile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-browser-passphrase-7"


@pytest.fixture
def editor(site):
    editors_group = importlib.import_module("guides.migrations.0004_editors_group")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="guides", codename__in=editors_group.editor_codenames())
    )
    user = User.objects.create_user("edith", password=PASSWORD, is_staff=True)
    user.groups.add(group)
    return user


def sign_in_with_the_form(page, site):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")


def sign_in(page, site, username="edith"):
    """Give the browser a session Django made for the user, as the login form would: the form itself
    (under the strict CSP) is filled in by the first test below; the other tests start signed in."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site}])


def reviewers_group():
    group, _ = Group.objects.get_or_create(name="Clinical reviewers")
    group.permissions.add(Permission.objects.get(codename="approve_proposal"))
    return group


def approve(item):
    """A clinical reviewer approves the item's waiting change (the sign-off flow has its own browser test)."""
    reviewer, created = User.objects.get_or_create(username="reviewer", defaults={"is_staff": True})
    if created:
        reviewer.groups.add(reviewers_group())
        ReviewerProfile.objects.create(user=reviewer, public_name="Dr Rhea Patel", role="Physiotherapist")
    proposal = proposals.open_proposal(item)
    services.approve(type(item).objects.get(pk=item.pk), reviewer, proposal.revision)


def test_an_editor_edits_a_step_sees_a_sanitized_preview_and_readers_see_the_change_once_approved(site, editor, page):
    policy_violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and policy_violations.append(message.text))
    page.on("dialog", lambda dialog: policy_violations.append(f"a script ran: {dialog.message}") or dialog.dismiss())
    step = Step.objects.get(slug="warm-up")

    sign_in_with_the_form(page, site)
    response = page.goto(f"{site}/admin/guides/step/{step.pk}/change/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy

    body = page.locator("#id_body")
    body.fill("Walk for **five easy minutes** first.\n\n<img src=x onerror=alert(1)>")
    preview = page.locator(".markdownx-preview").first
    preview.locator("strong", has_text="five easy minutes").wait_for()  # the content checks follow it
    assert preview.locator("strong", has_text="five easy minutes").count() == 1
    assert preview.locator("img").count() == 0

    page.click("input[name=_save]")
    page.wait_for_url(f"{site}/admin/guides/step/{step.pk}/change/")
    assert "is waiting for sign-off" in page.content()
    approve(step)

    reader = page.context.browser.new_context()
    try:
        public = reader.new_page()
        public.goto(f"{site}{step.get_absolute_url()}")
        assert public.locator("main strong", has_text="five easy minutes").count() == 1
    finally:
        reader.close()
    assert policy_violations == []


def test_an_editor_reverts_a_care_card_from_its_history(site, editor, page):
    """Outside the test's transaction, as in production (the revert locks the row: PostgreSQL needs one)."""
    card = CareCard.objects.get(slug="urgent")
    original = card.body
    sign_in(page, site)
    page.goto(f"{site}/admin/guides/carecard/{card.pk}/change/")
    page.fill("#id_body", "A hasty edit.")
    page.fill("#id_change_reason", "Trying something")
    page.click("input[name=_save]")
    page.wait_for_url(f"{site}/admin/guides/carecard/{card.pk}/change/")
    approve(card)
    card.refresh_from_db()
    assert card.body == "A hasty edit."

    page.goto(f"{site}/admin/guides/carecard/{card.pk}/history/")
    page.get_by_role("link", name=str(card)).last.click()  # the oldest version: the first edition
    assert page.input_value("#id_body") == original
    page.fill("#id_change_reason", "Back to the reviewed wording")
    page.click("input[name=_save]")
    page.wait_for_url(f"{site}/admin/guides/carecard/{card.pk}/change/")
    assert card.body == CareCard.objects.get(pk=card.pk).body  # the revert waits for sign-off too
    approve(card)
    card.refresh_from_db()
    assert card.body == original
    assert "Back to the reviewed wording" in card.history.order_by("-history_date").first().history_change_reason
