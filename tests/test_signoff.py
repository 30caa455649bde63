"""Clinical sign-off: no change reaches readers until a second, qualified person approves that exact text."""

import datetime
import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from guides.models import CareCard, Question, Step
from signoff import proposals, services
from signoff.models import Proposal, ReviewerProfile

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase-42"


def make_editor(name):
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor(db):
    return make_editor("edna")


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def propose(change_form_data):
    """An author proposes new text for a care card through its admin page; returns the page's address."""

    def propose_card_change(client, author, card, body, reason="Say 111 is open all day", note="Added NHS 111"):
        url, data = change_form_data(as_user(client, author), card)
        data.update(body=body, change_reason=reason, reader_note=note)
        response = client.post(url, data)
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors
        return url

    return propose_card_change


def decide(client, url, button, comment="", revision=None):
    page = client.get(url)
    revision = revision if revision is not None else re.search(r'name="signoff_revision" value="(\d+)"', page.content.decode()).group(1)
    return client.post(url, {button: "1", "signoff_comment": comment, "signoff_revision": revision}, follow=True)


def reader_html(url):
    from django.test import Client

    return unescape(Client().get(url).content.decode())


def test_an_editors_change_to_a_care_card_waits_and_readers_see_nothing_new(client, editor, propose):
    card = CareCard.objects.get(slug="urgent")
    step_url = proposals.page_of(card)
    before = reader_html(step_url)
    propose(client, editor, card, "Ask your GP surgery for an appointment today.")
    card.refresh_from_db()
    assert "Ask your GP surgery for an appointment" not in card.body
    assert reader_html(step_url) == before
    assert "Ask your GP surgery for an appointment" not in reader_html(reverse("guides:all"))
    assert "Ask your GP surgery for an appointment" not in reader_html("/sitemap.xml")
    proposal = proposals.open_proposal(card)
    assert proposal.status == Proposal.Status.WAITING
    assert proposal.proposed["body_html"] == "<p>Ask your GP surgery for an appointment today.</p>"  # rendered once, on save


def test_the_author_cannot_approve_their_own_change_not_even_as_a_superuser(client, propose):
    boss = User.objects.create_superuser("boss", password=PASSWORD)
    ReviewerProfile.objects.create(user=boss, public_name="Dr Bo Ss", role="GP")
    card = CareCard.objects.get(slug="urgent")
    url = propose(client, boss, card, "My own text.")
    assert 'name="_approve"' not in client.get(url).content.decode()
    response = decide(client, url, "_approve", revision=proposals.open_proposal(card).revision)
    assert "another clinical reviewer must approve it" in unescape(response.content.decode())
    card.refresh_from_db()
    assert card.body != "My own text."


def test_an_editor_without_the_reviewer_role_cannot_approve(client, editor, propose):
    other = make_editor("olu")
    card = CareCard.objects.get(slug="urgent")
    url = propose(client, editor, card, "New text.")
    as_user(client, other)
    assert 'name="_approve"' not in client.get(url).content.decode()
    response = client.post(url, {"_approve": "1", "signoff_revision": "1"})
    assert response.status_code == 403
    assert CareCard.objects.get(pk=card.pk).body != "New text."


def test_a_reviewer_sees_it_waiting_previews_it_reads_the_diff_and_approves(client, editor, reviewer, propose):
    card = CareCard.objects.get(slug="urgent")
    old_sentence = proposals.sentences(card.body)[0]
    url = propose(client, editor, card, card.body.replace(old_sentence, "Ask your GP surgery first.", 1))

    as_user(client, reviewer)
    home = unescape(client.get(reverse("admin:index")).content.decode())
    assert "Waiting for sign-off" in home and "edna" in home and "Say 111 is open all day" in home

    page = unescape(client.get(url).content.decode())
    assert "Live now" in page and "Proposed" in page
    pairs = proposals.changes(card, proposals.open_proposal(card))[0]["pairs"]
    assert (old_sentence, "Ask your GP surgery first.") in pairs

    preview = client.get(proposals.preview_url(card, proposals.open_proposal(card)))
    assert "Awaits sign-off" in preview.content.decode() and "Ask your GP surgery first." in unescape(preview.content.decode())
    assert "no-cache" in preview["Cache-Control"]
    assert "Ask your GP surgery first." not in reader_html(proposals.page_of(card))

    response = decide(client, url, "_approve")
    assert "Approved" in unescape(response.content.decode())
    card.refresh_from_db()
    today = timezone.localdate()
    assert "Ask your GP surgery first." in card.body
    assert (card.last_reviewed, card.reviewed_by) == (today, "Dr Rhea Patel, Physiotherapist")
    assert card.next_review_due == services.review_dates(today)[1] > today + datetime.timedelta(days=360)

    html = reader_html(proposals.page_of(card))
    assert "Ask your GP surgery first." in html
    assert "Dr Rhea Patel, Physiotherapist" in html
    assert "What changed" in html and "Added NHS 111" in html
    history = unescape(client.get(reverse("admin:guides_carecard_history", args=[card.pk])).content.decode())
    assert "Approved (clinical review)" in history and "Proposed: Say 111 is open all day" in history


def test_a_change_edited_after_the_reviewer_opened_it_cannot_be_approved(client, editor, reviewer, propose):
    card = CareCard.objects.get(slug="non-urgent")
    url = propose(client, editor, card, "First version.")
    seen = proposals.open_proposal(card).revision  # the reviewer opens it...
    propose(client, editor, card, "Second version, not yet read.")  # ...the author edits it again
    as_user(client, reviewer)
    response = decide(client, url, "_approve", comment="Looks right", revision=seen)
    html = unescape(response.content.decode())
    assert "changed this proposal after you opened it" in html
    assert "Looks right" in html  # the reviewer's comment is kept in the box
    card.refresh_from_db()
    assert card.body not in ("First version.", "Second version, not yet read.")


def test_a_wording_only_approval_keeps_the_review_dates(client, editor, reviewer, propose):
    card = CareCard.objects.get(slug="emergency")
    dates = (card.last_reviewed, card.reviewed_by, card.next_review_due)
    url = propose(client, editor, card, card.body + "\n\nA clearer last line.", note="Clearer wording")
    as_user(client, reviewer)
    decide(client, url, "_approve_wording")
    card.refresh_from_db()
    assert "A clearer last line." in card.body
    assert (card.last_reviewed, card.reviewed_by, card.next_review_due) == dates
    assert card.change_log[0]["kind"] == "wording"


def test_a_send_back_keeps_the_text_for_its_author_with_the_comment(client, editor, reviewer, propose):
    card = CareCard.objects.get(slug="urgent")
    url = propose(client, editor, card, "Draft wording to rethink.")
    as_user(client, reviewer)
    assert "Say what needs to change" in unescape(decide(client, url, "_send_back").content.decode())
    decide(client, url, "_send_back", comment="Please name NHS 111 online too.")
    as_user(client, editor)
    page = unescape(client.get(url).content.decode())
    assert "Please name NHS 111 online too." in page
    assert "Draft wording to rethink." in page  # the author's text is in the form again
    assert CareCard.objects.get(pk=card.pk).body != "Draft wording to rethink."


def test_a_reviewer_confirms_a_review_with_no_change_and_the_dates_renew(client, reviewer):
    card = CareCard.objects.get(slug="urgent")
    body = card.body
    url = reverse("admin:guides_carecard_change", args=[card.pk])
    as_user(client, reviewer)
    client.post(url, {"_confirm_review": "1", "signoff_comment": "Checked against NHS 111 page"})
    card.refresh_from_db()
    assert card.body == body and card.last_reviewed == timezone.localdate()
    assert card.reviewed_by == "Dr Rhea Patel, Physiotherapist"


def test_editors_cannot_type_the_review_fields(client, editor, change_form_data):
    card = CareCard.objects.get(slug="urgent")
    url, data = change_form_data(as_user(client, editor), card)
    assert "last_reviewed" not in data and "reviewed_by" not in data
    data.update(reviewed_by="Myself", last_reviewed="2030-01-01", change_reason="Sneaky")
    client.post(url, data)
    assert proposals.open_proposal(card) is None or "reviewed_by" not in proposals.open_proposal(card).proposed


def test_a_step_and_its_exercises_are_proposed_and_approved_together(client, editor, approve, change_form_data):
    step = Step.objects.get(slug="warm-up")
    first = step.items.first()
    url, data = change_form_data(as_user(client, editor), step)
    prefix = "items-0-"
    data[prefix + "text"] = "Hold it for **ten** seconds."
    response = client.post(url, data)
    assert response.status_code == 302
    assert step.items.get(pk=first.pk).text != "Hold it for **ten** seconds."
    approve(step)
    assert step.items.get(pk=first.pk).text_html == "<p>Hold it for <strong>ten</strong> seconds.</p>"


def test_reverting_a_step_restores_its_exercises_with_it(client, editor, approve, change_form_data):
    step = Step.objects.get(slug="warm-up")
    original = {item.pk: item.text for item in step.items.all()}
    first_version = step.history.order_by("history_date").first()
    url, data = change_form_data(as_user(client, editor), step)
    data["items-0-text"] = "Changed exercise."
    data["change_reason"] = "Trying"
    client.post(url, data)
    approve(step)
    revert_url = reverse("admin:guides_step_simple_history", args=[step.pk, first_version.history_id])
    _, data = change_form_data(client, step)
    revert = client.get(revert_url).context["adminform"].form
    data.update({name: revert[name].value() for name in ("body", "title", "summary") if revert[name].value()})
    data["change_reason"] = "Back to the first edition"
    assert client.post(revert_url, data).status_code == 302
    approve(step)
    assert {item.pk: item.text for item in step.items.all()} == original


def test_page_data_names_the_reviewer_as_a_person_with_the_date(client, editor, approve, change_form_data):
    question = Question.objects.get(slug="how-long-to-hold")
    url, data = change_form_data(as_user(client, editor), question)
    data.update(answer=question.answer + "\n\nOne more line.", reader_note="One more line")
    assert client.post(url, data).status_code == 302
    approve(question)
    client.logout()
    html = client.get(question.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["lastReviewed"] == timezone.localdate().isoformat()
    assert data["reviewedBy"] == {"@type": "Person", "name": "Dr Rhea Patel", "jobTitle": "Physiotherapist"}


def test_create_editor_makes_a_clinical_reviewer_with_a_public_name(monkeypatch):
    monkeypatch.setenv("BACKCARE_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "amira", "--no-input", "--clinical-reviewer", "--public-name", "Dr Amira Shah",
                 "--role", "Physiotherapist")
    user = User.objects.get(username="amira")
    assert set(user.groups.values_list("name", flat=True)) == {"Editors", "Clinical reviewers"}
    assert services.is_reviewer(user) and services.signature(user) == "Dr Amira Shah, Physiotherapist"


def test_publishing_a_new_item_is_a_proposal_too(client, editor, approve):
    card = CareCard.objects.get(slug="urgent")
    url = reverse("admin:guides_carecard_add")
    as_user(client, editor)
    response = client.post(url, {
        "guide": card.guide_id, "order": 9, "level": "urgent", "heading": "New card", "slug": "new-card",
        "body": "New safety text.", "is_published": "on", "change_reason": "A new card", "version": 1,
    })
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    new = CareCard.objects.get(slug="new-card")
    assert not new.is_published
    approve(new)
    new.refresh_from_db()
    assert new.is_published


def test_two_editors_a_reviewer_and_a_superuser_working_at_once_lose_nothing(
    client, editor, reviewer, change_form_data
):
    from django.test import Client

    olu, boss = make_editor("olu"), User.objects.create_superuser("boss", password=PASSWORD)
    edna_client, olu_client, rhea_client, boss_client = (as_user(Client(), user) for user in (editor, olu, reviewer, boss))
    card = CareCard.objects.get(slug="urgent")
    url, edna_data = change_form_data(edna_client, card)  # Edna and Olu open the same card
    _, olu_data = change_form_data(olu_client, card)

    edna_data.update(body="Edna's wording.", change_reason="Edna's reason")
    assert edna_client.post(url, edna_data).status_code == 302  # Edna proposes first
    olu_data.update(body="Olu's wording.", change_reason="Olu's reason")
    refused = olu_client.post(url, olu_data)
    assert refused.status_code == 200 and "Olu's wording." in unescape(refused.content.decode())  # kept for Olu
    assert "edna changed this on" in unescape(refused.content.decode())

    seen = re.search(r'name="signoff_revision" value="(\d+)"', rhea_client.get(url).content.decode()).group(1)
    _, boss_data = change_form_data(boss_client, card)  # the superuser edits the proposal meanwhile
    boss_data.update(body="Edna's wording, tidied by the boss.", change_reason="Tidied")
    assert boss_client.post(url, boss_data).status_code == 302

    stale = rhea_client.post(url, {"_approve": "1", "signoff_revision": seen}, follow=True)
    assert "changed this proposal after you opened it" in unescape(stale.content.decode())
    assert CareCard.objects.get(pk=card.pk).body != "Edna's wording, tidied by the boss."

    decide(rhea_client, url, "_approve")  # read again, then approved
    assert CareCard.objects.get(pk=card.pk).body == "Edna's wording, tidied by the boss."
    proposal = Proposal.objects.of(card).get()
    assert set(proposal.authors.values_list("username", flat=True)) == {"edna", "boss"}
    every_text = set(proposal.history.values_list("proposed__body", flat=True))
    assert {"Edna's wording.", "Edna's wording, tidied by the boss."} <= every_text  # every version kept
