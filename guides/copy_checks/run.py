"""Running the checks: one field (the live preview) or a whole item (saving, check_content)."""

import datetime

from .claims import check_claims
from .items import WARNING, Item, Problem, Report
from .language import check_alt_text, check_hard_words, check_long_sentences, check_reading_age
from .safety import check_emergency_signs, check_says_when_to_stop, check_warning_signs
from .structure import check_headings, check_links
from .text import field_blocks, item_text_of, outline, reading_figures, split_sentences



def check_review(item, today):
    problems = []
    if item.next_review_due and item.next_review_due < today:
        problems.append(Problem(
            WARNING, "next_review_due", "review",
            f"The review was due on {item.next_review_due:%-d %B %Y}. Check the copy against the sources, "
            "then set new review dates.",
        ))
    if item.changed_since_review and item.last_reviewed:
        when = item.changed_since_review
        problems.append(Problem(
            WARNING, "last_reviewed", "review",
            f"The text changed on {when:%-d %B %Y}, after its last review on {item.last_reviewed:%-d %B %Y}. "
            "Ask the clinical reviewer to check it.",
        ))
    return problems


def check_field(field, rules, item=None, item_text=""):
    """The checks that need only one field (and its item's text): what the live preview shows."""
    item = item or Item(label="", fields=[field])
    blocks = field_blocks(field)
    sentences = split_sentences(blocks)
    figures = reading_figures(sentences)
    text = " ".join(blocks)
    parsed = outline(field.html) if field.html else None
    links = parsed.links if parsed else []
    problems = []
    if field.plain_language:
        problems += check_reading_age(field.name, figures)
        problems += check_long_sentences(field.name, sentences)
        problems += check_hard_words(field.name, text, item_text or text, rules.hard_words)
    problems += check_claims(field.name, sentences, rules.claims)
    if parsed is not None:
        problems += check_headings(field.name, parsed.headings, field.heading_level, field.text)
        problems += check_links(field.name, links, rules.link_exists)
    problems += check_emergency_signs(field.name, text, links, item, rules.emergency_links)
    problems += check_warning_signs(field.name, field.text, item, rules.warning_signs)
    if item.needs_stop_advice and field.is_markdown:
        problems += check_says_when_to_stop(field.name, sentences, item.page_text)
    return figures, problems


def check_item(item, rules, today=None):
    today = today or datetime.date.today()
    item_text = item_text_of(item)
    field_figures, problems, all_sentences = {}, [], []
    for field in item.fields:
        figures, found = check_field(field, rules, item, item_text)
        field_figures[field.name] = figures
        problems += found
        all_sentences += split_sentences(field_blocks(field))
    for name, has_picture, alt in item.pictures:
        problems += check_alt_text(name, has_picture, alt)
    problems += check_review(item, today)
    return Report(item=item, figures=reading_figures(all_sentences), field_figures=field_figures, problems=problems)
