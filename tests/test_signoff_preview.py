"""Issue 23: a preview is the normal reader page built from an unsaved copy of the item as proposed."""

from html import unescape

import pytest

import guides.models.base
import signoff.proposals
from guides.models import Step
from signoff import proposals, services

pytestmark = pytest.mark.django_db
NEW_EXERCISE_TEXT = "Breathe out slowly as you lower your knees."


def propose_exercise_text(step, editor):
    values = proposals.values_of(step)
    values["items"][0]["text"] = NEW_EXERCISE_TEXT
    return services.propose(step, values, editor, reason="Clearer breathing")


def test_a_preview_shows_a_steps_proposed_exercises_on_its_own_page_and_the_live_step_keeps_its_own(
    client, editor, guide, monkeypatch
):
    step = Step.objects.filter(is_published=True, items__isnull=False).distinct().first()
    proposal = propose_exercise_text(step, editor)
    client.force_login(editor)

    def no_rendering(text):
        raise AssertionError("a preview renders no Markdown: the proposal's HTML was rendered when it was proposed")

    monkeypatch.setattr(signoff.proposals, "render_markdown", no_rendering)
    monkeypatch.setattr(guides.models.base, "render_markdown", no_rendering)
    preview = unescape(client.get(proposals.preview_url(step, proposal)).content.decode())
    assert "Awaits sign-off" in preview and NEW_EXERCISE_TEXT in preview
    live = unescape(client.get(step.get_absolute_url()).content.decode())
    assert NEW_EXERCISE_TEXT not in live
    assert NEW_EXERCISE_TEXT not in Step.objects.get(pk=step.pk).items.first().text


def test_the_proposed_copy_is_an_unsaved_model_instance_and_the_live_item_is_untouched(editor, guide):
    step = Step.objects.filter(is_published=True, items__isnull=False).distinct().first()
    values = {**proposals.values_of(step), "title": "Breathe and tilt"}
    proposal = services.propose(step, values, editor, reason="Shorter title")
    proposed = proposals.as_proposed(step, proposal)
    assert isinstance(proposed, Step) and proposed is not step
    assert proposed.title == "Breathe and tilt" and step.title != "Breathe and tilt"
    assert Step.objects.get(pk=step.pk).title == step.title


def test_a_topic_preview_shows_the_proposed_words_and_readers_keep_the_live_ones(client, editor, guide):
    from guides.models import Topic

    topic = Topic.objects.filter(is_published=True).first()
    values = {**proposals.values_of(topic), "summary": "A proposed summary nobody has approved yet."}
    proposal = services.propose(topic, values, editor, reason="Shorter summary")
    client.force_login(editor)
    preview = unescape(client.get(proposals.preview_url(topic, proposal)).content.decode())
    assert "Awaits sign-off" in preview and "A proposed summary nobody has approved yet." in preview
    client.logout()
    assert "A proposed summary" not in unescape(client.get(topic.get_absolute_url()).content.decode())
