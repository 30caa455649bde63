"""Issue 23: nothing but the sign-off service writes published copy. Every save, delete or change of
a step's care cards that readers would see is refused anywhere else (guides.publishing)."""

import ast
import re
from html import unescape
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from guides.content_files import load_seed
from guides.models import Guide, Question, Step, StepItem, Tip
from guides.publishing import UnapprovedChange, publishing
from signoff import proposals, services

pytestmark = pytest.mark.django_db
NEW_ANSWER = "Stop, rest a little, then start again more gently. Stop if it hurts."
ROOT = Path(__file__).resolve().parent.parent


def published_question():
    return Question.objects.filter(is_published=True).first()


def test_saving_a_published_answer_directly_is_refused_and_readers_keep_the_approved_one(guide):
    question = published_question()
    approved = question.answer
    question.answer = NEW_ANSWER
    with pytest.raises(UnapprovedChange, match="is published"):
        question.save()
    assert Question.objects.get(pk=question.pk).answer == approved


def test_a_published_steps_exercises_tips_and_care_cards_cannot_be_changed_or_removed_directly(guide):
    step = Step.objects.filter(is_published=True, items__isnull=False).distinct().first()
    exercise = step.items.first()
    exercise.text = "Bounce on your heels."
    with pytest.raises(UnapprovedChange):
        exercise.save()
    with pytest.raises(UnapprovedChange):
        StepItem(step=step, order=99, title="New", slug="new", text="Hop.").save()
    with pytest.raises(UnapprovedChange), transaction.atomic():  # a refused delete ends its transaction
        with_cards = Step.objects.filter(is_published=True, care_cards__isnull=False).distinct().first()
        with_cards.care_cards.remove(with_cards.care_cards.first())
    with pytest.raises(UnapprovedChange), transaction.atomic():
        Tip.objects.filter(is_published=True).first().delete()
    with pytest.raises(UnapprovedChange):
        Question(guide=guide, order=90, question="New?", slug="new", answer="Yes.", is_published=True,
                 last_reviewed="2026-01-01", next_review_due="2027-01-01", reviewed_by="Nobody").save()


def test_drafts_and_unchanged_saves_are_not_refused(guide):
    question = published_question()
    question.save()  # nothing readers see changed
    Question.objects.filter(pk=question.pk).update(is_published=False)
    draft = Question.objects.get(pk=question.pk)
    draft.answer = NEW_ANSWER
    draft.save()
    assert Question.objects.get(pk=question.pk).answer == NEW_ANSWER


def test_the_sign_off_service_publishes_an_approved_change(guide, editor, approve):
    question = published_question()
    services.propose(question, {**proposals.values_of(question), "answer": NEW_ANSWER}, editor, reason="Gentler")
    approve(question)
    assert Question.objects.get(pk=question.pk).answer == NEW_ANSWER


def test_an_editor_and_a_reviewer_publish_a_change_through_the_admin_end_to_end(
    client, editor, reviewer, guide, change_form_data
):
    question = published_question()
    client.force_login(editor)
    url, data = change_form_data(client, question)
    data.update(answer=NEW_ANSWER, change_reason="Gentler")
    assert client.post(url, data).status_code == 302
    assert NEW_ANSWER not in unescape(Client().get(question.get_absolute_url()).content.decode())
    client.force_login(reviewer)
    revision = re.search(r'name="signoff_revision" value="(\d+)"', client.get(url).content.decode()).group(1)
    client.post(url, {"_approve": "1", "signoff_revision": revision})
    assert NEW_ANSWER in unescape(Client().get(question.get_absolute_url()).content.decode())


def test_the_loader_publishes_a_first_edition_into_an_empty_database_through_the_service(guide):
    with pytest.raises(UnapprovedChange), transaction.atomic():
        Guide.objects.all().delete()  # not even emptying the site goes round the sign-off
    with publishing():  # an empty database, as on a first install
        Guide.objects.all().delete()
    assert load_seed() is True
    assert Step.objects.filter(is_published=True).count() == 8


def test_only_the_sign_off_service_enters_publishing_in_the_apps_code():
    callers = set()
    for app in ("backcare", "feedback", "guides", "signoff"):
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "publishing":
                    callers.add(path.relative_to(ROOT).as_posix())
    # The service's dated half (signoff.schedule: publish on, withdraw on) publishes through it too.
    assert callers == {"signoff/services.py", "signoff/schedule.py"}


def test_even_a_superuser_cannot_delete_published_copy_in_the_admin_but_can_delete_a_draft(admin_client, guide):
    from django.urls import reverse

    question = published_question()
    assert admin_client.get(reverse("admin:guides_question_delete", args=[question.pk])).status_code == 403
    Question.objects.filter(pk=question.pk).update(is_published=False)
    response = admin_client.post(reverse("admin:guides_question_delete", args=[question.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Question.objects.filter(pk=question.pk).exists()


def test_delete_selected_refuses_published_copy_with_a_page_not_an_error(admin_client, guide):
    published = Question.objects.filter(guide=guide, is_published=True).first()
    url = reverse("admin:guides_question_changelist")
    data = {"action": "delete_selected", "_selected_action": [published.pk]}
    confirmation = admin_client.post(url, data)
    assert confirmation.status_code == 200
    assert "Cannot delete question" in " ".join(confirmation.content.decode().split())
    assert admin_client.post(url, {**data, "post": "yes"}).status_code == 403
    assert Question.objects.filter(pk=published.pk).exists()
