"""Moving items in the admin list: a new place for published copy waits for clinical sign-off; drafts move at once."""

import re
import shutil
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from guides.content_files import SEED_DIR
from guides.models import CareCard, Question, Step, Tip
from signoff import ordering, proposals, services
from signoff.models import Proposal, ReviewerProfile

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:guides_step_changelist"


def move(client, step, direction="down"):
    """Select one step in the admin list and run "Move selected items up/down one place"."""
    return client.post(
        reverse(CHANGELIST), {"action": f"move_{direction}", "_selected_action": [step.pk]}, follow=True
    )


def page_text(response):
    return unescape(response.content.decode())


def step_titles_on_home_page():
    html = unescape(Client().get(reverse("guides:home")).content.decode())
    return re.findall(r'<span class="step-card__number">Step \d+</span> ([^<]+)</a>', html)


def decide_order(client, step, button, comment=""):
    """A click on one of the buttons of the new-order panel on a step's admin page."""
    url = reverse("admin:guides_step_change", args=[step.pk])
    page = client.get(url).content.decode()
    proposal = re.search(r'name="order_proposal" value="(\d+)"', page).group(1)
    revision = re.search(r'name="order_revision" value="(\d+)"', page)
    data = {button: "1", "order_proposal": proposal, "order_comment": comment,
            "order_revision": revision.group(1) if revision else "1"}
    return client.post(url, data, follow=True)


@pytest.fixture
def reviewer_client(reviewer):
    """The clinical reviewer in a browser of their own (editor_client is the test's client)."""
    browser = Client()
    browser.force_login(reviewer)
    return browser


@pytest.fixture
def listen():
    return Step.objects.get(slug="listen-to-your-body")


@pytest.fixture
def get_help():
    return Step.objects.get(slug="get-help")


def test_moving_a_published_step_waits_for_sign_off_and_readers_keep_the_old_order(editor_client, listen, get_help):
    before = step_titles_on_home_page()
    response = move(editor_client, listen)
    message = page_text(response)
    assert "Move step 'Listen to your body and know when to stop' from 7 to 8: this new order is waiting for sign-off" in message
    assert (Step.objects.get(pk=listen.pk).order, Step.objects.get(pk=get_help.pk).order) == (7, 8)
    assert step_titles_on_home_page() == before
    next_link = unescape(Client().get(listen.get_absolute_url()).content.decode())
    assert re.search(r'rel="next" href="/guide/get-help/"', next_link)
    proposal = Proposal.objects.get(kind=Proposal.Kind.REORDER)
    assert proposal.status == Proposal.Status.WAITING and proposal.item == listen
    # The list still shows the live order, and says a new one is waiting.
    changelist = page_text(editor_client.get(reverse(CHANGELIST)))
    assert "A new order is waiting for sign-off (Move step 'Listen to your body" in changelist
    assert changelist.index("Listen to your body") < changelist.index("Get help if your pain")


def test_a_reviewer_reads_the_new_order_and_approves_it_and_readers_then_see_it(
    editor_client, reviewer_client, reviewer, listen, get_help
):
    client = reviewer_client
    move(editor_client, listen)
    home = page_text(client.get(reverse("admin:index")))
    assert "Order of the steps: Listen to your body" in home
    page = page_text(client.get(reverse("admin:guides_step_change", args=[listen.pk])))
    assert "New order waiting for sign-off" in page
    rows = re.findall(r'<th scope="row">(\d+)</th><td( class="[^"]+")?>([^<]+)</td><td( class="[^"]+")?>([^<]+)', page)
    assert rows[6][1:] == (' class="signoff-diff__old"', "Listen to your body and know when to stop",
                           ' class="signoff-diff__new"', "Get help if your pain is not getting better ")
    assert "Get help if your pain is not getting better <em>(moved)</em>" in page
    assert rows[0][1] == ""  # unchanged places are not marked

    response = decide_order(client, listen, "_approve_order", comment="Safer to read last")
    assert "Approved: readers see the new order now." in page_text(response)
    assert step_titles_on_home_page()[-2:] == [
        "Get help if your pain is not getting better", "Listen to your body and know when to stop"]
    step_page = unescape(Client().get(listen.get_absolute_url()).content.decode())
    assert "Step 8 of 8" in step_page and 'rel="prev" href="/guide/get-help/"' in step_page
    assert "Moved to a new place, checked by a clinician" in step_page
    latest = Step.objects.get(pk=listen.pk).history.first()
    assert latest.history_user == reviewer and latest.history_change_reason.startswith("Order approved: Move step")
    assert Proposal.objects.get(kind=Proposal.Kind.REORDER).status == Proposal.Status.APPROVED
    # Undoing it is one more move, signed off the same way.
    move(editor_client, Step.objects.get(pk=listen.pk), "up")
    decide_order(client, listen, "_approve_order")
    assert Step.objects.get(pk=listen.pk).order == 7


def test_the_reviewer_who_moved_a_step_cannot_approve_the_new_order(client, reviewer, listen):
    client.force_login(reviewer)
    move(client, listen)
    page = page_text(client.get(reverse("admin:guides_step_change", args=[listen.pk])))
    assert 'name="_approve_order"' not in page and "a clinical reviewer who did not must approve it" in page
    response = decide_order(client, listen, "_approve_order")
    assert "another clinical reviewer must approve it" in page_text(response)
    assert Step.objects.get(pk=listen.pk).order == 7


def test_an_editor_who_is_not_a_reviewer_cannot_approve_a_new_order(editor_client, make_editor, listen):
    move(editor_client, listen)
    other = Client()
    other.force_login(make_editor("olu"))
    proposal = Proposal.objects.get(kind=Proposal.Kind.REORDER)
    response = other.post(reverse("admin:guides_step_change", args=[listen.pk]),
                          {"_approve_order": "1", "order_proposal": proposal.pk, "order_revision": "1"})
    assert response.status_code == 403
    assert Step.objects.get(pk=listen.pk).order == 7


def test_draft_steps_move_at_once_and_the_move_is_in_the_history(editor_client, editor, listen, get_help):
    Step.objects.filter(pk__in=[listen.pk, get_help.pk]).update(is_published=False)
    response = move(editor_client, get_help, "up")
    assert "done (drafts move at once)" in page_text(response)
    assert (Step.objects.get(pk=get_help.pk).order, Step.objects.get(pk=listen.pk).order) == (7, 8)
    latest = Step.objects.get(pk=get_help.pk).history.first()
    assert latest.history_user == editor and latest.history_change_reason == "Moved up in the list (a draft)"
    assert not Proposal.objects.filter(kind=Proposal.Kind.REORDER).exists()


def test_a_draft_that_would_push_a_published_step_to_a_new_place_waits_too(editor_client, listen, get_help):
    Step.objects.filter(pk=get_help.pk).update(is_published=False)
    move(editor_client, get_help, "up")
    assert Step.objects.get(pk=get_help.pk).order == 8
    assert Proposal.objects.get(kind=Proposal.Kind.REORDER).status == Proposal.Status.WAITING


def test_a_second_move_while_a_new_order_waits_is_refused_and_says_why(editor_client, make_editor, listen):
    move(editor_client, listen)
    other = Client()
    other.force_login(make_editor("olu"))
    response = move(other, Step.objects.get(slug="warm-up"), "up")
    text = page_text(response)
    assert "Nothing was moved: a new order for the steps is already waiting for sign-off" in text
    assert "from 7 to 8, by edna" in text
    assert Step.objects.get(slug="warm-up").order == 2
    assert Proposal.objects.open().filter(kind=Proposal.Kind.REORDER).count() == 1


def test_a_new_move_replaces_a_sent_back_order_and_says_so(editor_client, reviewer_client, listen):
    client = reviewer_client
    move(editor_client, listen)
    refused = decide_order(client, listen, "_send_back_order")
    assert "Say what needs to change" in page_text(refused)
    decide_order(client, listen, "_send_back_order", comment="Keep it before the last step")
    editor_page = page_text(editor_client.get(reverse("admin:guides_step_change", args=[listen.pk])))
    assert "Keep it before the last step" in editor_page
    response = move(editor_client, listen, "up")
    assert "It replaces the order change that was sent back (Move step 'Listen" in page_text(response)
    statuses = list(Proposal.objects.filter(kind=Proposal.Kind.REORDER).values_list("status", flat=True))
    assert statuses == [Proposal.Status.WITHDRAWN, Proposal.Status.WAITING]


def test_the_author_can_withdraw_a_new_order(editor_client, listen):
    move(editor_client, listen)
    response = decide_order(editor_client, listen, "_withdraw_order")
    assert "Your new order is withdrawn." in page_text(response)
    assert Proposal.objects.get(kind=Proposal.Kind.REORDER).status == Proposal.Status.WITHDRAWN
    assert Step.objects.get(pk=listen.pk).order == 7


def test_a_new_order_is_not_approved_if_the_list_changed_since(editor_client, reviewer_client, listen, get_help):
    client = reviewer_client
    move(editor_client, listen)
    Step.objects.filter(pk=get_help.pk).update(order=9)  # the list changed some other way meanwhile
    response = decide_order(client, listen, "_approve_order", comment="Fine by me")
    text = page_text(response)
    assert "The order of the steps changed after this was proposed, so it was not approved." in text
    assert "Fine by me" in text  # the reviewer's comment is kept in the box
    assert Step.objects.get(pk=listen.pk).order == 7


def test_staff_preview_the_new_order_on_the_home_page_and_readers_do_not(editor_client, listen):
    move(editor_client, listen)
    preview = proposals.preview_url(listen, Proposal.objects.get(kind=Proposal.Kind.REORDER))
    html = page_text(editor_client.get(preview))
    assert html.index("Get help if your pain") < html.index("Listen to your body")
    reader = unescape(Client().get(preview).content.decode())
    assert reader.index("Listen to your body") < reader.index("Get help if your pain")


def test_a_change_waiting_on_a_moved_step_keeps_its_new_place_when_approved(
    editor_client, reviewer_client, change_form_data, approve, listen
):
    url, data = change_form_data(editor_client, listen)
    data.update(summary="Stop if anything hurts.", change_reason="Shorter")
    assert editor_client.post(url, data).status_code == 302
    move(editor_client, listen)
    decide_order(reviewer_client, listen, "_approve_order")
    approve(listen)
    listen.refresh_from_db()
    assert (listen.order, listen.summary) == (8, "Stop if anything hurts.")


def test_a_superuser_reviewer_cannot_approve_their_own_new_order(client, listen):
    boss = User.objects.create_superuser("boss", password="a-long-test-passphrase-42")
    boss.groups.add(Group.objects.get(name="Clinical reviewers"))
    ReviewerProfile.objects.create(user=boss, public_name="Dr Bo Ss", role="GP")
    client.force_login(boss)
    move(client, listen)
    proposal = Proposal.objects.get(kind=Proposal.Kind.REORDER)
    with pytest.raises(services.SignOffRefused):
        services.approve_order(proposal.pk, boss, proposal.revision)
    assert Step.objects.get(pk=listen.pk).order == 7


def test_an_approval_that_would_give_two_steps_one_number_is_refused_with_a_reason(editor, reviewer, listen):
    services.propose(listen, {**proposals.values_of(listen), "order": 8}, editor, reason="Last")  # 8 is taken
    proposal = proposals.open_proposal(listen)
    with pytest.raises(services.SignOffRefused, match="clashes with another item"):
        services.approve(Step.objects.get(pk=listen.pk), reviewer, proposal.revision)
    assert Step.objects.get(pk=listen.pk).order == 7
    assert proposals.open_proposal(listen).status == Proposal.Status.WAITING


@pytest.mark.parametrize("bad", ["²", "9" * 40, "x", ""])
def test_a_malformed_order_decision_gets_a_clear_answer_not_an_error(reviewer_client, listen, bad):
    response = reviewer_client.post(
        reverse("admin:guides_step_change", args=[listen.pk]),
        {"_approve_order": "1", "order_proposal": bad, "order_revision": "1"}, follow=True,
    )
    assert response.status_code == 200
    assert "There is no change waiting for sign-off here any more." in page_text(response)


def test_moving_a_published_question_waits_too_and_the_faq_changes_once_approved(editor_client, reviewer_client):
    from guides.models import Question

    first, second = Question.objects.get(order=1), Question.objects.get(order=2)
    response = editor_client.post(
        reverse("admin:guides_question_changelist"), {"action": "move_down", "_selected_action": [first.pk]}, follow=True
    )
    assert f"Move question '{first.question}' from 1 to 2: this new order is waiting for sign-off" in page_text(response)
    faq = reverse("guides:faq")
    before = unescape(Client().get(faq).content.decode())
    assert before.index(first.question) < before.index(second.question)
    proposal = Proposal.objects.get(kind=Proposal.Kind.REORDER)
    preview = page_text(editor_client.get(proposals.preview_url(first, proposal)))
    assert preview.index(second.question) < preview.index(first.question)

    url = reverse("admin:guides_question_change", args=[first.pk])
    reviewer_client.post(url, {"_approve_order": "1", "order_proposal": proposal.pk, "order_revision": "1"})
    after = unescape(Client().get(faq).content.decode())
    assert after.index(second.question) < after.index(first.question)


def test_care_cards_move_only_among_cards_of_their_urgency_and_the_reviewer_reads_the_help_pages_order(editor):
    emergency = CareCard.objects.get(level=CareCard.Level.EMERGENCY)
    readers_order = [card.pk for card in CareCard.objects.by_urgency()]

    assert services.reorder(CareCard, CareCard.objects.filter(pk=emergency.pk), "up", editor) == []  # first on /help/
    assert not Proposal.objects.open().exists()
    assert services.reorder(CareCard, CareCard.objects.filter(pk=readers_order[-1]), "down", editor) == []  # last
    table = Proposal(item=emergency, kind=Proposal.Kind.REORDER, proposed={"guide": emergency.guide_id, "moves": []})
    assert [row["old"] for row in ordering.order_changes(table)] == [
        ordering.item_label(card) for card in CareCard.objects.by_urgency()
    ]


def test_a_new_order_is_decided_only_on_the_page_of_an_item_it_moves(editor_client, reviewer_client, listen):
    move(editor_client, listen)
    proposal = Proposal.objects.open().get(kind=Proposal.Kind.REORDER)
    question = Question.objects.first()
    url = reverse("admin:guides_question_change", args=[question.pk])

    response = reviewer_client.post(url, {"_approve_order": "1", "order_proposal": proposal.pk, "order_revision": proposal.revision})

    assert response.status_code == 403
    assert Step.objects.get(pk=listen.pk).order == 7


def test_an_editors_change_to_an_imported_edition_is_not_overwritten_by_the_next_import(guide, tmp_path, capsys, make_editor, editor, approve):
    make_editor("olu")
    edition = tmp_path / "edition"
    shutil.copytree(SEED_DIR, edition)
    tip_file = edition / "tips" / "01-warm-up-first.md"
    tip_file.write_text(tip_file.read_text().replace("Spend a few minutes", "Take a few minutes", 1))
    call_command("import_content", edition, "--update", "--as", "olu")
    tip = Tip.objects.get(slug="warm-up-first")
    proposed = proposals.open_proposal(tip).proposed
    services.propose(tip, {**proposed, "body": proposed["body"] + "\n\nStop if it hurts."}, editor)  # no reason typed
    approve(tip)
    capsys.readouterr()

    call_command("import_content", edition, "--update", "--as", "olu")

    assert "left alone 1" in capsys.readouterr().out
    assert proposals.open_proposal(tip) is None
    tip.refresh_from_db()
    assert "Stop if it hurts." in tip.body
