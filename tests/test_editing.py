import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from guides.models import CareCard, MovedPage, Question, Step
from signoff import proposals

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase-42"


def test_editor_changes_a_steps_markdown_and_the_public_page_shows_it_once_approved(
    editor_client, client, change_form_data, approve
):
    step = Step.objects.get(slug="warm-up")
    url, data = change_form_data(editor_client, step)
    data["body"] = "Walk for **five minutes** before you start."
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    client.logout()
    assert "five minutes" not in client.get(step.get_absolute_url()).content.decode()
    approve(step)
    html = client.get(step.get_absolute_url()).content.decode()
    assert "Walk for <strong>five minutes</strong> before you start." in html


def test_history_shows_who_changed_what_and_revert_restores_the_earlier_text(
    editor_client, editor, change_form_data, approve
):
    question = Question.objects.get(slug="how-long-to-hold")
    original = question.answer
    url, data = change_form_data(editor_client, question)
    data["answer"] = original.replace("few seconds", "few long seconds", 1) + "\n\nAn added line."
    data["change_reason"] = "Clearer timing"
    assert editor_client.post(url, data).status_code == 302
    approve(question)

    history = editor_client.get(reverse("admin:guides_question_history", args=[question.pk]))
    html = history.content.decode()
    assert "edna" in html
    assert "Clearer timing" in html
    assert "<ins>" in html and "An added line." in unescape(html)

    first_version = question.history.order_by("history_date").first()
    assert first_version.answer == original
    revert_url = reverse("admin:guides_question_simple_history", args=[question.pk, first_version.history_id])
    revert_form = editor_client.get(revert_url)
    assert revert_form.status_code == 200
    _, data = change_form_data(editor_client, question)  # current version number, reverted text
    data["answer"] = original
    assert editor_client.post(revert_url, data).status_code == 302
    approve(question)
    question.refresh_from_db()
    assert question.answer == original


def test_history_starts_with_the_seeded_version_so_the_first_edit_can_be_undone():
    assert Question.objects.get(slug="best-position").history.exists()


def test_a_stale_save_is_refused_naming_who_changed_it_and_keeping_the_typed_text(
    client, editor, make_editor, change_form_data
):
    other = make_editor("olu")
    step = Step.objects.get(slug="build-up-gradually")

    client.force_login(editor)
    url, edna_data = change_form_data(client, step)  # Edna opens the form...

    client.force_login(other)
    _, olu_data = change_form_data(client, step)  # ...Olu opens it too, and saves first.
    olu_data["body"] = "Olu's version."
    assert client.post(url, olu_data).status_code == 302

    client.force_login(editor)
    edna_data["body"] = "Edna's careful rewrite."
    response = client.post(url, edna_data)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "olu changed this on" in html
    assert "Edna's careful rewrite." in html  # still in the form, nothing lost
    assert proposals.open_proposal(step).proposed["body"] == "Olu's version."


def test_care_card_changes_need_a_reason_that_is_kept_in_the_history(editor_client, change_form_data, approve):
    card = CareCard.objects.get(slug="urgent")
    url, data = change_form_data(editor_client, card)
    response = editor_client.get(url)
    assert "This is safety copy." in response.content.decode()
    data["body"] = card.body + "\n\nCall 111 any time."
    data.pop("change_reason", None)
    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    assert "change_reason" in refused.context["adminform"].form.errors
    data["change_reason"] = "Say 111 is open all day"
    assert editor_client.post(url, data).status_code == 302
    approve(card)
    assert "Say 111 is open all day" in card.history.order_by("-history_date").first().history_change_reason


def test_changing_a_published_slug_redirects_the_old_address_permanently(
    editor_client, client, change_form_data, approve
):
    question = Question.objects.get(slug="what-if-it-hurts")
    old_url = question.get_absolute_url()
    url, data = change_form_data(editor_client, question)
    data["slug"] = "if-it-hurts"
    assert editor_client.post(url, data).status_code == 302
    approve(question)
    _, data = change_form_data(editor_client, question)
    data["slug"] = "when-it-hurts"
    assert editor_client.post(url, data).status_code == 302
    approve(question)

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/faq/when-it-hurts/"
    assert client.get("/faq/if-it-hurts/")["Location"] == "/faq/when-it-hurts/"
    assert MovedPage.objects.count() == 2


def test_staff_see_drafts_with_a_banner_and_no_cache_while_readers_get_404(editor_client, client):
    step = Step.objects.get(slug="engage-your-core")
    Step.objects.filter(pk=step.pk).update(is_published=False)
    response = editor_client.get(step.get_absolute_url())
    assert response.status_code == 200
    assert 'class="draft-banner"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    client.logout()
    assert client.get(step.get_absolute_url()).status_code == 404


def test_editors_group_can_edit_content_but_not_users_or_groups(editor_client, editor):
    perms = set(Group.objects.get(name="Editors").permissions.values_list("content_type__app_label", flat=True))
    assert perms == {"guides", "feedback"}  # feedback: read readers' answers and mark them dealt with
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:guides_carecard_changelist")).status_code == 200
    assert not editor.has_perm("guides.delete_step")


def test_content_lists_show_review_dates_and_can_filter_overdue(editor_client):
    Question.objects.filter(slug="best-position").update(next_review_due=datetime.date(2020, 1, 1))
    response = editor_client.get(reverse("admin:guides_question_changelist") + "?review=overdue")
    html = unescape(response.content.decode())
    assert "What is the best position for easing my lower back?" in html
    rows = re.findall(r"class=\"field-question\"", html)
    assert len(rows) == 1
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "Due for review" in index and "Overdue" in index


def test_review_status_exits_non_zero_when_something_is_overdue(capsys):
    call_command("review_status")  # fresh content: nothing overdue, exits normally
    Question.objects.filter(slug="best-position").update(next_review_due=datetime.date(2020, 1, 1))
    with pytest.raises(SystemExit) as exit_info:
        call_command("review_status")
    assert exit_info.value.code == 1
    assert "OVERDUE" in capsys.readouterr().out


def test_create_editor_makes_a_staff_account_in_the_editors_group(monkeypatch):
    monkeypatch.setenv("BACKCARE_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "newbie", "--no-input")
    user = User.objects.get(username="newbie")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.check_password(PASSWORD)


def test_anonymous_preview_requests_go_to_login_and_non_staff_get_403(client):
    preview = reverse("markdownx_markdownify")
    response = client.post(preview, {"content": "<img src=x onerror=alert(1)>"})
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    User.objects.create_user("reader", password=PASSWORD)
    client.force_login(User.objects.get(username="reader"))
    assert client.post(preview, {"content": "hi"}).status_code == 403
    assert client.post(reverse("markdownx_upload")).status_code == 403


def test_the_preview_is_the_same_sanitized_html_the_page_shows(editor_client):
    response = editor_client.post(reverse("markdownx_markdownify"), {"content": "Hi <img src=x onerror=alert(1)> **there**"})
    assert response.status_code == 200
    preview, checks = response.content.decode().split('<div class="content-checks"', 1)
    assert preview == "<p>Hi  <strong>there</strong></p>"  # then the field's content checks
    assert editor_client.post(reverse("markdownx_markdownify"), {}).status_code == 400


def test_upload_is_turned_off_even_for_editors(editor_client):
    response = editor_client.post(reverse("markdownx_upload"), {"image": "x"})
    assert response.status_code == 403


def test_login_is_locked_after_five_failures_from_one_address(client):
    User.objects.create_user("target", password=PASSWORD, is_staff=True)
    login = reverse("admin:login")
    for _ in range(5):
        response = client.post(login, {"username": "target", "password": "wrong"}, REMOTE_ADDR="10.0.0.5")
        assert response.status_code in (200, 429)
    locked = client.post(login, {"username": "target", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Someone else, from elsewhere, is not locked out.
    other = client.post(login, {"username": "target", "password": PASSWORD}, REMOTE_ADDR="10.0.0.6")
    assert other.status_code == 302


def test_behind_the_proxy_the_client_address_is_the_last_forwarded_entry(settings, rf):
    from backcare.proxy import client_ip

    request = rf.get("/admin/login/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"  # a client could forge the header: ignore it
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.9"  # the entry our proxy appended


def test_editors_reorder_draft_items_from_the_list_and_each_move_is_in_the_history(editor_client, editor, client):
    """Drafts move at once (a published item's new place waits for sign-off: see test_reordering)."""
    Step.objects.filter(order__in=[2, 3]).update(is_published=False)
    third, second = Step.objects.get(order=3), Step.objects.get(order=2)
    response = editor_client.post(
        reverse("admin:guides_step_changelist"),
        {"action": "move_up", "_selected_action": [third.pk]},
    )
    assert response.status_code == 302
    third.refresh_from_db()
    second.refresh_from_db()
    assert (third.order, second.order) == (2, 3)
    assert third.history.order_by("-history_date").first().history_user == editor
    assert "Moved up" in third.history.order_by("-history_date").first().history_change_reason
    # Staff previews show the drafts in their new order, and the first step cannot move further up.
    html = editor_client.get("/").content.decode()
    assert html.index(third.get_absolute_url()) < html.index(second.get_absolute_url())
    first = Step.objects.get(order=1)
    response = editor_client.post(
        reverse("admin:guides_step_changelist"), {"action": "move_up", "_selected_action": [first.pk]}, follow=True
    )
    assert "Nothing moved: the selected items are already at the top." in response.content.decode()
    first.refresh_from_db()
    assert first.order == 1


def test_a_list_cannot_overwrite_an_editors_change_unseen(editor_client):
    response = editor_client.get(reverse("admin:guides_step_changelist"))
    assert 'name="form-0-is_published"' not in response.content.decode()  # no list editing at all
