"""The content checks where editors and operators meet them: admin saves, the live preview,
the "Content checks" page and `check_content`."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from guides.content_checks import changed_since_review, check_site
from guides.models import CareCard, ClaimRule, HardWord, Question, Step, StepItem
from signoff import proposals
from admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def form_errors(response):
    return response.context["adminform"].form.errors


# The shipped content

def test_the_shipped_content_has_no_errors():
    errors = [(str(r.obj), p.message) for r in check_site() for p in r.report.errors]
    assert errors == []


def test_check_content_prints_each_page_with_its_figures_and_succeeds(capsys):
    call_command("check_content")
    out = capsys.readouterr().out
    assert "/guide/warm-up/" in out and "reading age" in out and "Flesch-Kincaid grade" in out
    assert "0 error(s)" in out


def test_check_content_exits_1_on_an_error_and_reports_it_as_json(capsys):
    Question.objects.filter(slug="best-position").update(answer_html="<p>This stretch will cure your back.</p>")
    with pytest.raises(SystemExit) as exit:
        call_command("check_content", "--format", "json")
    assert exit.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 1
    page, = [p for p in report["pages"] if p["page"] == "/faq/best-position/"]
    problem, = page["items"][0]["problems"]
    assert problem["check"] == "claim" and problem["severity"] == "error" and problem["field"] == "answer"
    assert page["items"][0]["figures"]["reading_age"] > 0


def test_a_claim_rule_added_in_admin_is_checked(editor_client):
    ClaimRule.objects.create(phrase="wonder stretch", severity="error", explanation="No wonders.")
    Question.objects.filter(slug="best-position").update(answer_html="<p>Try this wonder stretch.</p>")
    assert [p.message for r in check_site() for p in r.report.errors] == [
        "Health pages must not say 'wonder stretch'. No wonders."
    ]


# Saving in admin

def test_a_banned_claim_blocks_the_save_at_its_field_and_keeps_the_text(editor_client):
    question = Question.objects.get(slug="best-position")
    url, data = change_form_data(editor_client, question)
    data["answer"] = "Lie on your back. This realigns your spine."
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "realigns" in " ".join(form_errors(response)["answer"])
    assert "This realigns your spine." in response.content.decode()
    question.refresh_from_db()
    assert "realign" not in question.answer


def test_a_draft_with_an_error_saves_and_says_what_to_fix(editor_client):
    question = Question.objects.get(slug="best-position")
    url, data = change_form_data(editor_client, question)
    data.pop("is_published")
    data["answer"] = "This realigns your spine."
    response = editor_client.post(url, data, follow=True)
    assert "Fix before publishing" in response.content.decode()
    assert proposals.open_proposal(question).proposed["answer"] == "This realigns your spine."


def test_a_link_to_a_missing_page_blocks_the_save(editor_client):
    question = Question.objects.get(slug="best-position")
    url, data = change_form_data(editor_client, question)
    data["answer"] = "See [the warm-up](/guide/no-such-step/)."
    response = editor_client.post(url, data)
    assert "does not exist" in " ".join(form_errors(response)["answer"])


def test_a_step_that_lists_emergency_signs_without_the_card_is_refused(editor_client):
    step = Step.objects.get(slug="warm-up")
    url, data = change_form_data(editor_client, step)
    data["body"] = step.body + "\n\nCall 999 if you lose control of your bladder."
    response = editor_client.post(url, data)
    assert "emergency signs" in " ".join(form_errors(response)["body"])


def test_a_new_warning_needs_the_box_ticked_and_a_reason_kept_in_the_history(editor_client):
    question = Question.objects.get(slug="best-position")
    url, data = change_form_data(editor_client, question)
    data["answer"] = question.answer + "\n\nA physiotherapist can check for osteoporosis."
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "osteoporosis" in " ".join(form_errors(response)["answer"])
    assert 'type="checkbox" name="accept_warnings"' in response.content.decode()

    data["accept_warnings"] = "on"
    data["change_reason"] = ""
    response = editor_client.post(url, data)
    assert "kept in the history" in " ".join(form_errors(response)["change_reason"])

    data["change_reason"] = "Readers asked about thin bones"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    proposal = proposals.open_proposal(question)  # waiting for clinical sign-off, with the reason
    assert proposal.reason == "Readers asked about thin bones (accepted 1 check warning)"


@pytest.mark.published_directly
def test_warnings_the_saved_text_already_had_do_not_need_accepting_again(editor_client):
    step = Step.objects.get(slug="talk-to-a-professional")
    step.body += "\n\nAsk them about osteoporosis."
    step.save()
    url, data = change_form_data(editor_client, step)
    data["summary"] = step.summary.replace("Most", "Most new")
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)


def test_editors_can_add_a_word_readers_may_not_know(editor_client):
    response = editor_client.post(reverse("admin:guides_hardword_add"), {"word": "proprioception", "plain": "sense of position"})
    assert response.status_code == 302
    assert HardWord.objects.filter(word="proprioception").exists()


# The live preview

def test_the_preview_shows_the_fields_checks_under_it(editor_client):
    text = "Your spine needs **stenosis** care. This stretch will cure your back pain for good."
    response = editor_client.post(reverse("markdownx_markdownify"), {"content": text})
    html = response.content.decode()
    assert html.startswith("<p>Your spine")
    assert '<div class="content-checks"' in html and "reading age" in html
    assert "Health pages must not say" in html and "cure" in html
    assert "<mark>stenosis</mark>" in html


def test_the_preview_escapes_the_text_it_quotes(editor_client):
    response = editor_client.post(reverse("markdownx_markdownify"), {"content": "Type `<b>` for stenosis & cure it"})
    checks = response.content.decode().split('<div class="content-checks"', 1)[1]
    assert "&lt;b&gt; for <mark>stenosis</mark> &amp; cure it" in checks and "<b>" not in checks


PARTIAL_999_LIST = "If you have chest pain or pain in both legs, rest and see how you feel."


def preview(client, content, **target):
    """Post to the live preview as a field's editor does: at the address its box names."""
    address = reverse("markdownx_markdownify") + ("?" + "&".join(f"{k}={v}" for k, v in target.items()) if target else "")
    return client.post(address, {"content": content}).content.decode().split('<div class="content-checks"', 1)[1]


def preview_addresses(client, url):
    return re.findall(r'data-markdownx-urls-path="([^"]+)"', client.get(url).content.decode())


def test_each_markdown_box_previews_at_an_address_naming_its_field_and_item(editor_client):
    question = Question.objects.get(slug="best-position")
    step = Step.objects.get(slug="warm-up")
    item = step.items.first()
    base = reverse("markdownx_markdownify")

    assert preview_addresses(editor_client, reverse("admin:guides_question_change", args=[question.pk])) == [
        f"{base}?field=guides.question.answer&amp;object={question.pk}"
    ]
    step_boxes = preview_addresses(editor_client, reverse("admin:guides_step_change", args=[step.pk]))
    assert f"{base}?field=guides.step.body&amp;object={step.pk}" in step_boxes
    assert f"{base}?field=guides.stepitem.text&amp;object={item.pk}" in step_boxes
    assert f"{base}?field=guides.stepitem.text&amp;step={step.pk}" in step_boxes  # "Add another exercise"
    assert preview_addresses(editor_client, reverse("admin:guides_question_add")) == [f"{base}?field=guides.question.answer"]


def test_the_preview_flags_a_partial_list_of_emergency_signs_as_the_editor_types_an_answer(editor_client):
    question = Question.objects.get(slug="best-position")
    emergency = CareCard.objects.get(level=CareCard.Level.EMERGENCY)

    in_an_answer = preview(editor_client, PARTIAL_999_LIST, field="guides.question.answer", object=question.pk)
    in_the_emergency_card = preview(editor_client, PARTIAL_999_LIST, field="guides.carecard.body", object=emergency.pk)

    assert "names some emergency signs (pain, weakness or numbness in both legs, chest pain)" in in_an_answer
    assert "content-checks__error" in in_an_answer
    assert "emergency signs" not in in_the_emergency_card  # the card is the whole list
    assert "emergency signs" not in preview(editor_client, PARTIAL_999_LIST)  # no field named: the save checks it


def test_the_preview_checks_headings_at_the_fields_place_on_its_page(editor_client):
    step = Step.objects.get(slug="warm-up")

    in_a_step = preview(editor_client, "## A big heading\n\nWalk for five minutes.", field="guides.step.body", object=step.pk)
    in_a_new_answer = preview(editor_client, "### A heading\n\nWalk for five minutes.", field="guides.question.answer")

    assert "content-checks__error" in in_a_step and "heading" in in_a_step
    assert "bold" in in_a_new_answer  # answers take no headings, even before they are saved


def test_the_preview_ignores_a_field_it_does_not_know_or_an_item_the_editor_may_not_view(client, make_editor):
    reader_of_nothing = make_editor("nell")
    reader_of_nothing.groups.clear()
    client.force_login(reader_of_nothing)
    question = Question.objects.get(slug="best-position")

    for target in ({"field": "guides.question.answer", "object": question.pk}, {"field": "auth.user.password"},
                   {"field": "guides.question.nothing"}, {"field": "guides.stepitem.text", "step": "x"}):
        checks = preview(client, PARTIAL_999_LIST, **target)
        assert "reading age" in checks and "emergency signs" not in checks, target


# The "Content checks" page

def test_the_content_checks_page_lists_items_worst_reading_age_first(editor_client):
    Question.objects.filter(slug="best-position").update(answer_html="<p>Ask about osteoporosis.</p>")
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert reverse("content_checks") in index
    response = editor_client.get(reverse("content_checks"))
    assert response.status_code == 200
    ages = [row["report"].figures.reading_age for row in response.context["rows"]]
    assert ages == sorted(ages, reverse=True) and len(ages) > 30
    assert "osteoporosis" in response.content.decode()


def test_the_content_checks_page_is_for_staff_only(client):
    response = client.get(reverse("content_checks"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


# Review

@pytest.mark.published_directly
def test_text_changed_after_its_review_shows_in_the_history_check(editor_client):
    question = Question.objects.get(slug="best-position")
    question.last_reviewed = datetime.date(2026, 11, 20)
    question.save()
    assert changed_since_review(question) is None
    question.answer += "\n\nTry each one."
    question.save()
    assert changed_since_review(question) == datetime.date.today()


def test_an_items_stop_if_line_says_when_to_stop(editor_client):
    step = Step.objects.get(slug="comfortable-position")  # its positions say nothing of stopping
    Step.objects.filter(pk=step.pk).update(body="Warm up first.", body_html="<p>Warm up first.</p>")
    StepItem.objects.filter(step=step).update(stop_if="")
    item = StepItem.objects.filter(step=step).first()
    url, data = change_form_data(editor_client, step)
    data["body"] = "Warm up first. Press your back into the floor."
    response = editor_client.post(url, data)
    assert "when to stop" in " ".join(form_errors(response)["body"])

    StepItem.objects.filter(pk=item.pk).update(stop_if="it hurts.")
    url, data = change_form_data(editor_client, step)
    data["body"] = "Warm up first. Press your back into the floor."
    assert editor_client.post(url, data).status_code == 302


@pytest.mark.parametrize("text, flagged", [
    ("Pressure on these nerves can cause permanent damage.", False),
    ("These stretches give permanent relief.", True),
    ("This will fix your back for good.", True),
    ("Your back pain will be gone for good.", True),
])
def test_the_shipped_claim_rules_catch_promised_results_not_safety_copy(text, flagged):
    from guides import copy_checks as checks
    from guides.content_checks import current_rules

    problems = checks.check_claims("body", [text], current_rules().claims)
    assert bool(problems) == flagged


def test_a_reviewer_cannot_approve_a_change_the_checks_now_find_an_error_in(client, editor_client, reviewer):
    question = Question.objects.get(slug="best-position")
    url, data = change_form_data(editor_client, question)
    data["answer"] = "Try the wonder stretch."
    data["change_reason"] = "A new stretch"
    assert editor_client.post(url, data).status_code == 302
    ClaimRule.objects.create(phrase="wonder stretch", severity="error", explanation="No wonders.")

    client.force_login(reviewer)
    revision = proposals.open_proposal(question).revision
    response = client.post(url, {"_approve": "1", "signoff_revision": revision}, follow=True)
    assert "Not approved: Health pages must not say &#x27;wonder stretch&#x27;" in response.content.decode()
    question.refresh_from_db()
    assert "wonder" not in question.answer
    assert proposals.open_proposal(question) is not None
