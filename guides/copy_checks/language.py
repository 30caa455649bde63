"""Plain language: reading age, long sentences, hard words and picture descriptions."""

import functools
import re

from .items import (
    ALT_MAX_CHARS, ALT_MIN_WORDS, ERROR, MAX_READING_AGE, MAX_SENTENCE_WORDS, MIN_WORDS_FOR_READING_AGE, WARNING,
    Problem,
)
from .text import count_words



def check_reading_age(field, figures):
    if figures.words < MIN_WORDS_FOR_READING_AGE or figures.reading_age <= MAX_READING_AGE:
        return []
    return [Problem(
        WARNING, field, "reading-age",
        f"Reading age {figures.reading_age:g} (Flesch-Kincaid grade {figures.grade:g}, reading ease "
        f"{figures.reading_ease:g}): aim for {MAX_READING_AGE} or under. Use shorter sentences and "
        "everyday words.",
    )]


def check_long_sentences(field, sentences):
    problems = []
    for sentence in sentences:
        words = count_words(sentence)
        if words > MAX_SENTENCE_WORDS:
            problems.append(Problem(
                WARNING, field, "long-sentence",
                f"This sentence has {words} words; keep sentences to {MAX_SENTENCE_WORDS} or fewer. "
                "Split it in two.",
                sentence,
            ))
    return problems


def explains(term, item_text):
    """The item explains `term`: 'term (…)', '(term)', 'called term', 'known as term',
    'term is/means …', 'term – …' or 'term, where/when …'."""
    t = re.escape(term.lower())
    text = item_text.lower()
    patterns = (
        rf"\b{t}\s*\(", rf"\(\s*{t}\s*\)", rf"\b(?:called|known as)\s+(?:an?\s+|the\s+)?{t}\b",
        rf"\b{t}\s+(?:is|are|means)\b", rf"\b{t}\s*[–—:]\s",
        rf"\b{t},?\s+(?:where|when|which means|meaning)\b",
    )
    return any(re.search(p, text) for p in patterns)


def hard_words_in(text, hard_words):
    lowered = text.lower()
    return [w for w in hard_words if word_regex(w.word).search(lowered)]


@functools.lru_cache(maxsize=1024)
def word_regex(word):
    return re.compile(rf"\b{re.escape(word.lower())}\b")


def check_hard_words(field, text, item_text, hard_words):
    problems = []
    for hard in hard_words_in(text, hard_words):
        if explains(hard.word, item_text):
            continue
        plain_words = f" Try '{hard.plain}', or explain it, e.g. '{hard.word} ({hard.plain})'." if hard.plain else (
            f" Explain it, e.g. 'This is called {hard.word}.'"
        )
        problems.append(Problem(
            WARNING, field, "hard-word", f"Many readers may not know the word '{hard.word}'.{plain_words}", hard.word,
        ))
    return problems


def check_alt_text(field, has_picture, alt):
    alt = " ".join((alt or "").split())
    if not has_picture:
        return []
    if not alt:
        return [Problem(ERROR, field, "alt-text", "Describe the picture for people who cannot see it.")]
    if count_words(alt) < ALT_MIN_WORDS:
        return [Problem(
            WARNING, field, "alt-text",
            "This picture description is too short to be useful: say who is doing what, in a few words.", alt,
        )]
    if len(alt) > ALT_MAX_CHARS:
        return [Problem(
            WARNING, field, "alt-text",
            f"This picture description is {len(alt)} characters long; keep it under {ALT_MAX_CHARS}.", alt,
        )]
    if re.match(r"(?i)(an? )?(image|picture|photo|illustration) (of|showing)\b", alt):
        return [Problem(
            WARNING, field, "alt-text", "Leave out 'image of' or 'picture of': screen readers already say so.", alt,
        )]
    return []
