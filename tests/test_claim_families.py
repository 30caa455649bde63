"""Claims caught by meaning, not only by word (issue 27): the shipped claim rules cover five
families of unsafe claim, whatever words a writer picks; sentences that deny a claim, and the
shipped copy, pass."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from guides import copy_checks as checks
from guides.content_checks import check_site, current_rules
from guides.models import CareCard, ClaimRule, Guide, Question, Step, StepItem, Tip
from signoff import proposals, services

pytestmark = pytest.mark.django_db

FAMILY_NAMES = dict(ClaimRule.Family.choices)

UNSAFE = {
    ClaimRule.Family.SAFETY: [
        "Every move here is completely safe for everyone.",
        "These stretches are 100% safe.",
        "This routine is 100 per cent safe.",
        "It is perfectly safe to do at any age.",
        "The movements are safe for anyone.",
        "This stretch always works.",
        "It works every time.",
        "Results are guaranteed.",
        "Do this daily and you will never need a doctor.",
        "Follow the plan and you'll never need to see a physio again.",
        "The routine is risk-free.",
        "There is no risk at all.",
        "This gentle move can't hurt you.",
        "Nothing can go wrong if you follow these steps.",
    ],
    ClaimRule.Family.CURE: [
        "These stretches cure back pain.",
        "Curing back pain takes just five minutes a day.",
        "This will fix your back for good.",
        "Fix your back pain once and for all.",
        "It permanently eases stiffness.",
        "The exercise can permanently stop your back pain.",
        "Get rid of back pain forever.",
        "Your pain will be gone for good.",
        "The ache will go away completely.",
        "After a week your pain will never come back.",
        "This is a permanent solution to back pain.",
        "One simple move that fixes your back.",
    ],
    ClaimRule.Family.IN_PLACE: [
        "Lean until the vertebra clicks back.",
        "Twist gently until your disc pops back into place.",
        "The joint will slot back in.",
        "You may feel the bones snap right back.",
        "Press here to put the disc back.",
        "This move pushes your vertebrae back into line.",
        "A gentle twist can click your joints back into place.",
        "Rock side to side until everything slides into place.",
        "The stretch helps realign your spine.",
        "You can adjust your spine at home.",
        "Keep turning until you hear a pop.",
        "Your hip may clunk back where it belongs.",
    ],
    ClaimRule.Family.PUTS_OFF_CARE: [
        "There is no need to see anyone about back pain.",
        "No need to bother a GP.",
        "Don't bother with a doctor.",
        "Do not bother seeing a physio.",
        "You can ignore numbness in your leg.",
        "Ignore any tingling in your feet.",
        "Numbness is nothing to worry about.",
        "Some tingling in your legs is normal.",
        "Weakness in your leg will pass.",
        "Try these moves instead of seeing a doctor.",
        "Do these stretches rather than going to your GP.",
        "You don't need to see anyone.",
        "Doctors can't do anything for back pain.",
        "Wait for the numbness to go away.",
    ],
    ClaimRule.Family.THROUGH_PAIN: [
        "Push through the pain.",
        "Push through any pain you feel.",
        "No pain, no gain!",
        "Keep going even if it hurts.",
        "Carry on when it hurts.",
        "Don't stop if it hurts.",
        "Ignore the pain and keep moving.",
        "Try to ignore how much it hurts.",
        "Work through the pain for ten minutes.",
        "Keep going despite the pain.",
        "Pain means it's working.",
        "Stretch further even if it hurts.",
        "The more it hurts, the better.",
        "Lean into the pain.",
    ],
}

# True, safe sentences (many from the shipped copy) that name the same things.
SAFE = [
    "Pressure does not push joints back into place.",
    "You do not need to make your back pop.",
    "You do not need to make your back pop to ease stiffness, and you should never force it.",
    "It does not put bones back into place.",
    "It does not put a bone “back into place”, and you do not need to hear it to feel better.",
    "Joints do not click back into place.",
    "Do not try to put your back \"into place\" or adjust it yourself.",
    "A click during gentle movement is usually harmless.",
    "No exercise is completely safe for everyone.",
    "These painkillers are not safe for everyone.",
    "Nothing is 100% safe for everyone.",
    "These movements are not a cure on their own.",
    "There is no cure, but most back pain gets better within a few weeks.",
    "Back pain often comes back, and that is normal.",
    "Tummy or back pain that does not go away, or keeps coming back, should be checked by a GP.",
    "Pressure on these nerves can cause permanent damage.",
    "Never ignore numbness.",
    "Do not ignore new numbness, tingling or weakness.",
    "Numbness is not harmless.",
    "Numbness in both legs is never normal.",
    "If you have new numbness, tingling or weakness, do not wait for it to settle.",
    "For everyday back pain, you do not need to see a doctor before you try gentle movement.",
    "In many areas you can book an NHS physiotherapist yourself, without seeing a GP first.",
    "Do not push through pain, as this could make things worse.",
    "Do not use painkillers to push through sharp pain when you exercise.",
    "Never keep going if it hurts more.",
    "Do a little more each day, even if it still aches a bit.",
    "Some aching as you get moving again is normal.",
    "Stop, or change position, if it makes your pain worse or gives you new pain.",
    "Don't ignore pain that gets worse.",
    "Slowly push your hips back towards your heels.",
    "Press your lower back into the floor.",
    "Gently press your back against the wall.",
    "Marching in place warms you up.",
    "Keep your hips in line with your shoulders.",
    "Get into position on your hands and knees.",
    "Move your pelvis back and forth.",
    "There is no need to make your back pop, so do not keep trying.",
    "Only go further if it does not hurt.",
    "Slowly move your hips forward until you feel a gentle stretch.",
    "Is it safe to crack your back?",
]


def claim_problems(text, rules=None):
    return checks.check_claims("body", checks.split_sentences([text]), (rules or current_rules()).claims)


@pytest.fixture
def rules(db):
    return current_rules()


@pytest.mark.parametrize("family, sentence", [(f, s) for f, sentences in UNSAFE.items() for s in sentences])
def test_a_sentence_of_each_family_is_an_error_named_by_its_family(rules, family, sentence):
    found = claim_problems(sentence, rules)
    assert found, sentence
    assert all(p.severity == "error" for p in found)
    assert any(f"({FAMILY_NAMES[family]})" in p.message for p in found), [p.message for p in found]


@pytest.mark.parametrize("sentence", SAFE)
def test_sentences_that_deny_a_claim_or_say_something_true_pass(rules, sentence):
    assert claim_problems(sentence, rules) == []


def test_curly_apostrophes_still_negate(rules):
    assert claim_problems("You don’t need to crack your back.", rules) == []
    assert claim_problems("Don’t push through the pain.", rules) == []


def test_every_shipped_rule_is_in_a_family_and_no_rule_finds_anything_in_the_shipped_copy():
    """The false-alarm measurement: all the rules against every item of the shipped content."""
    assert not ClaimRule.objects.filter(family="").exists()
    assert ClaimRule.objects.count() >= 60
    findings = [(str(r.obj), p.field, p.excerpt) for r in check_site() for p in r.report.problems if p.check == "claim"]
    assert findings == []


def test_check_content_passes_on_the_shipped_content(capsys):
    call_command("check_content")
    assert "0 error(s)" in capsys.readouterr().out


# Each family, in every kind of Markdown field: check_content fails, naming the item and the field.

def markdown_fields():
    guide = Guide.objects.get()
    return [
        (guide, "introduction"), (guide, "conclusion"), (guide, "key_points"), (guide, "check_first"),
        (Step.objects.first(), "body"), (StepItem.objects.first(), "text"), (Question.objects.first(), "answer"),
        (Tip.objects.first(), "body"), (CareCard.objects.get(level=CareCard.Level.NON_URGENT), "body"),
    ]


def check_content_problems(capsys):
    with pytest.raises(SystemExit) as exit:
        call_command("check_content", "--format", "json")
    assert exit.value.code == 1
    report = json.loads(capsys.readouterr().out)
    return [
        (item["label"], problem["field"], problem["message"])
        for page in report["pages"] for item in page["items"] for problem in item["problems"]
        if problem["severity"] == "error"
    ]


@pytest.mark.parametrize("family, field_index", [(family, i) for i, family in enumerate(UNSAFE)])
@pytest.mark.published_directly
def test_a_claim_of_each_family_fails_check_content_naming_the_item_and_field(capsys, family, field_index):
    obj, name = markdown_fields()[field_index * 2 % 9]
    setattr(obj, name, f"{getattr(obj, name)}\n\n{UNSAFE[family][0]}")
    obj.save()
    problems = check_content_problems(capsys)
    assert problems and all(label == str(obj) and field == name for label, field, _ in problems), problems
    assert any(FAMILY_NAMES[family] in message for _, _, message in problems)


@pytest.mark.parametrize("index", range(9))
@pytest.mark.published_directly
def test_a_claim_in_any_markdown_field_fails_check_content(capsys, index):
    obj, name = markdown_fields()[index]
    setattr(obj, name, f"{getattr(obj, name)}\n\n- {UNSAFE[ClaimRule.Family.IN_PLACE][0]}")
    obj.save()
    assert [(label, field) for label, field, _ in check_content_problems(capsys)] == [(str(obj), name)]


# A reviewer cannot approve a change that makes such a claim.

@pytest.mark.parametrize("family", list(UNSAFE))
def test_a_reviewer_cannot_approve_a_claim_of_any_family(client, editor, reviewer, family):
    tip = Tip.objects.first()
    values = proposals.values_of(tip)
    values["body"] = f"{tip.body}\n\n{UNSAFE[family][-1]}"
    proposal = services.propose(tip, values, editor, reason="More advice")

    client.force_login(reviewer)
    url = reverse("admin:guides_tip_change", args=[tip.pk])
    response = client.post(url, {"_approve": "1", "signoff_revision": proposal.revision}, follow=True)
    page = response.content.decode()
    assert "Not approved: Health pages must not say" in page
    assert FAMILY_NAMES[family].replace("'", "&#x27;") in page
    tip.refresh_from_db()
    assert UNSAFE[family][-1] not in tip.body
    assert proposals.open_proposal(tip) is not None


def test_one_claim_matched_by_several_rules_of_its_family_is_reported_once_quoting_the_fewest_words(rules):
    problem, = claim_problems("A firm push puts the disc back into place.", rules)
    assert problem.message.startswith("Health pages must not say 'back into place' (a claim that bones")


def test_of_two_rules_of_a_family_the_error_is_reported_before_the_warning():
    rules = (
        checks.ClaimRule("instant* relie*", "warning", "Careful.", family="cures"),
        checks.ClaimRule("instant* relief that cures", "error", "No.", family="cures"),
    )
    problem, = claim_problems("Instant relief that cures.", checks.Rules(claims=rules))
    assert problem.severity == "error"
