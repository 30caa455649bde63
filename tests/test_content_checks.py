"""The content checks (guides/copy_checks/), each with text that passes and text that fails."""

import datetime

import pytest

from guides import copy_checks as checks
from guides.markdown import render_markdown

CLAIMS = (
    checks.ClaimRule("cure*", "error", "Do not promise a cure."),
    checks.ClaimRule("guarantee*", "error", "No promises."),
    checks.ClaimRule("back into place", "error", "A myth."),
    checks.ClaimRule("realign*", "error", "A myth."),
    checks.ClaimRule("crack* your back", "error", "Not on purpose."),
    checks.ClaimRule("no side effects", "warning", "Nothing is safe for everyone.", allow_when_negated=False),
)
HARD_WORDS = (checks.HardWord("osteoporosis", "weak, thin bones"), checks.HardWord("cauda equina"))
RULES = checks.Rules(claims=CLAIMS, hard_words=HARD_WORDS, link_exists=lambda path: path in {"/", "/faq/"},
                     emergency_links=frozenset({"/help/"}))


def markdown(name, text, heading_level=3):
    return checks.Field(name=name, text=text, html=render_markdown(text), heading_level=heading_level)


def problems(text, *, rules=RULES, heading_level=3, **item):
    field = markdown("body", text, heading_level)
    report = checks.check_item(checks.Item(label="test", fields=[field], **item), rules, datetime.date(2026, 11, 25))
    return report.problems


def found(text, check, **kwargs):
    return [p for p in problems(text, **kwargs) if p.check == check]


# Reading age

PLAIN = (
    "Lie on your back with your knees bent. Keep your feet flat on the floor. Breathe slowly and let your "
    "back relax. Stop if it hurts. Rest for a minute, then try again."
)
HARD = (
    "Individuals experiencing persistent musculoskeletal discomfort should consider consulting appropriately "
    "qualified physiotherapy practitioners. Comprehensive assessment facilitates individualised management "
    "strategies. Conservative interventions demonstrate considerable effectiveness. Pharmacological "
    "analgesia remains a complementary consideration."
)


def test_plain_text_has_a_low_reading_age_and_no_warning():
    figures, found_problems = checks.check_field(markdown("body", PLAIN), RULES)
    assert figures.reading_age <= checks.MAX_READING_AGE
    assert figures.reading_ease > 80
    assert not [p for p in found_problems if p.check == "reading-age"]


def test_dense_text_warns_with_its_reading_age_and_grade():
    warning, = found(HARD, "reading-age")
    assert warning.severity == "warning"
    assert "Reading age" in warning.message and "Flesch-Kincaid grade" in warning.message


def test_reading_age_is_the_flesch_kincaid_grade_plus_five():
    figures = checks.reading_figures(["The cat sat on the mat.", "It was a warm day."])
    assert figures.reading_age == round(figures.grade + 5, 1)


def test_each_bullet_counts_as_its_own_sentence():
    figures, _ = checks.check_field(markdown("body", "- your pain is severe\n- you have a fever\n- you feel sick"), RULES)
    assert figures.sentences == 3


def test_textstat_never_downloads_a_dictionary(monkeypatch):
    import nltk

    def no_downloads(*args, **kwargs):
        raise AssertionError("textstat tried to download NLTK data")

    monkeypatch.setattr(nltk, "download", no_downloads)
    checks.reading_figures(["Unprecedented multisyllabic vocabulary considerations."])


# Long sentences

def test_a_sentence_over_25_words_is_listed():
    long = "Then " + " ".join(["word"] * 25) + "."
    warning, = found(f"Short one. {long} Another short one.", "long-sentence")
    assert warning.excerpt == long and "26 words" in warning.message


def test_sentences_of_25_words_pass():
    assert not found(" ".join(["word"] * 25) + ".", "long-sentence")


# Words readers may not know

def test_a_hard_word_is_flagged_with_plain_words_to_use():
    warning, = found("You may have osteoporosis.", "hard-word")
    assert warning.excerpt == "osteoporosis" and "weak, thin bones" in warning.message


@pytest.mark.parametrize("text", [
    "You may have osteoporosis (weak, thin bones).",
    "You may have weak, thin bones (osteoporosis).",
    "Your bones may be thin. This is called osteoporosis.",
    "Osteoporosis is when your bones become weak.",
    "They may check for osteoporosis, where your bones become weak.",
    "Pressure on the nerves is rare. This is called cauda equina syndrome.",
])
def test_a_hard_word_explained_in_the_same_item_passes(text):
    assert not found(text, "hard-word")


def test_a_hard_word_explained_in_another_field_of_the_item_passes():
    fields = [checks.Field("title", "Osteoporosis"), markdown("body", "Osteoporosis (weak, thin bones) is common.")]
    report = checks.check_item(checks.Item("test", fields), RULES)
    assert not [p for p in report.problems if p.check == "hard-word"]


# Claims

@pytest.mark.parametrize("text", [
    "These stretches cure back pain.",
    "Results are guaranteed.",
    "A quick press puts the disc back into place.",
    "This will realign your spine.",
    "Crack your back every morning.",
    "Cracking your back each day keeps you supple.",
    "The cream has no side effects.",
])
def test_banned_claims_are_flagged(text):
    assert found(text, "claim")


@pytest.mark.parametrize("text", [
    "These movements are not a cure on their own.",
    "It does not put a joint or bone \"back into place\".",
    "Pressure does not push joints back into place.",
    "You do not need to crack your back.",
    "Is it safe to crack your back?",
    "Some people call this cracking their back.",
    "Keep your back secure and supported.",
])
def test_sentences_that_correct_a_myth_or_ask_about_it_pass(text):
    assert not found(text, "claim")


def test_a_claim_carries_its_rules_severity_and_explanation():
    error, = found("This will cure you.", "claim")
    assert error.severity == "error" and "Do not promise a cure." in error.message
    assert error.excerpt == "This will cure you."


def test_a_rule_can_refuse_negation():
    warning, = found("The exercises have no side effects.", "claim")
    assert warning.severity == "warning"


def test_star_stands_for_one_word_and_word_star_for_any_ending():
    rule = checks.ClaimRule("pop * back")
    assert rule.regex.search("pop your back") and not rule.regex.search("pop back")
    assert checks.ClaimRule("cure*").regex.search("it cures") and not checks.ClaimRule("cure*").regex.search("secure")


# Headings

def test_headings_in_order_pass():
    assert not found("### Before\n\ntext\n\n#### Detail\n\ntext\n\n### After\n\ntext", "heading")


def test_a_skipped_heading_level_is_an_error():
    error, = found("text\n\n#### Too deep\n\ntext", "heading")
    assert error.severity == "error" and "###" in error.message


def test_a_heading_bigger_than_its_place_is_an_error():
    error, = found("## Too big\n\ntext", "heading")
    assert error.severity == "error"


def test_fields_that_allow_no_headings_say_so():
    error, = found("### A heading\n\ntext", "heading", heading_level=None)
    assert "bold" in error.message


def test_a_single_hash_heading_warns_that_it_is_removed():
    warning, = found("# Title\n\ntext", "heading")
    assert warning.severity == "warning"


# Links

def test_secure_and_existing_local_links_pass():
    assert not found("[NHS](https://www.nhs.uk/) and [questions](/faq/) and [top](#top)", "link")


def test_a_plain_http_link_is_an_error():
    error, = found("[NHS](http://www.nhs.uk/)", "link")
    assert error.severity == "error" and "https://" in error.message


def test_a_local_link_to_a_missing_page_is_an_error():
    error, = found("[gone](/guide/no-such-step/)", "link")
    assert error.severity == "error" and "does not exist" in error.message


# Emergency signs

EMERGENCY = "Call 999 if you have numbness around your genitals or bottom, or weakness in both legs."


def test_naming_some_emergency_signs_without_the_full_list_is_an_error():
    error, = found(EMERGENCY, "emergency-signs")
    assert error.severity == "error" and "both legs" in error.message


def test_naming_emergency_signs_with_a_link_to_the_full_list_passes():
    assert not found(EMERGENCY + "\n\nSee [all the emergency signs](/help/#emergency).", "emergency-signs")


def test_a_page_that_shows_the_whole_card_may_name_signs():
    assert not found(EMERGENCY, "emergency-signs", shows_emergency_card=True)
    assert not found(EMERGENCY, "emergency-signs", is_emergency_card=True)


def test_ordinary_words_are_not_taken_for_emergency_signs():
    assert not found("Squeeze as if you are stopping yourself peeing. Rest at the bottom of the stairs.",
                     "emergency-signs")


# Steps say when to stop

def test_a_step_that_says_press_without_when_to_stop_is_an_error():
    error, = found("Press on the muscles beside your spine.", "stop-advice", needs_stop_advice=True)
    assert error.severity == "error" and error.excerpt.startswith("Press")


@pytest.mark.parametrize("text", [
    "Press on the muscles beside your spine. Stop if it hurts.",
    "Slowly move your hips forward until you feel a gentle stretch.",
    "1. Move slowly between the two, only as far as feels comfortable.",
    "If it feels good, you can press and ease off a few more times.",
    "Lie on your back. This helps you move more easily.",
])
def test_a_step_that_says_when_to_stop_passes(text):
    assert not found(text, "stop-advice", needs_stop_advice=True)


def test_stop_advice_elsewhere_on_the_step_page_counts():
    assert not found("Press gently.", "stop-advice", needs_stop_advice=True, page_text="Stop if anything hurts.")


# Pictures

@pytest.mark.parametrize("alt, severity", [
    ("", "error"),
    ("A person", "warning"),
    ("Image of a person lying on their back", "warning"),
    ("x " * 120, "warning"),
])
def test_missing_short_or_noisy_alt_text_is_flagged(alt, severity):
    problem, = checks.check_alt_text("illustration_alt", True, alt)
    assert problem.severity == severity


def test_useful_alt_text_passes_and_no_picture_needs_none():
    assert not checks.check_alt_text("illustration_alt", True, "A person lying on their back with knees bent")
    assert not checks.check_alt_text("illustration_alt", False, "")


# Review

def test_an_item_past_its_review_date_warns():
    warning, = found(PLAIN, "review", next_review_due=datetime.date(2026, 11, 1))
    assert warning.field == "next_review_due" and "1 November 2026" in warning.message


def test_an_item_changed_after_its_review_warns():
    warning, = found(PLAIN, "review", last_reviewed=datetime.date(2026, 1, 5),
                     changed_since_review=datetime.date(2026, 3, 1))
    assert warning.field == "last_reviewed" and "1 March 2026" in warning.message


def test_an_item_reviewed_on_time_and_unchanged_passes():
    assert not found(PLAIN, "review", next_review_due=datetime.date(2027, 1, 1), last_reviewed=datetime.date(2026, 1, 5))
