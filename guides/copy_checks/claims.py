"""Claims health pages must not make: a rule's phrase as a pattern, and denials that excuse it."""

import dataclasses
import functools
import re

from .items import ERROR, Problem
from .text import plain



@dataclasses.dataclass(frozen=True)
class ClaimRule:
    """A claim a health page must not make. In `phrase`, `*` is any one word, `word*` any word
    starting with `word`, `(a|b c|d*)` any one of these, `(a|b)?` one of them or nothing, and `...` up
    to `words_between` words; case and punctuation do not matter. `family` names the kind of claim
    (e.g. 'a promise of a cure') for the editor."""

    phrase: str
    severity: str = ERROR
    explanation: str = ""
    allow_when_negated: bool = True
    family: str = ""
    words_between: int = 3

    @property
    def regex(self):
        return phrase_regex(self.phrase, self.words_between)

    @property
    def denies_itself(self):
        """The phrase has a 'not' of its own ('no need to see anyone'): only words before it can negate it."""
        return bool(NEGATION.search(self.phrase.lower()))


PHRASE_TOKEN = re.compile(r"\([^)]*\)\??|\S+")

GAP = ("...", "…")


@functools.lru_cache(maxsize=1024)
def phrase_regex(phrase, words_between=3):
    """The regular expression of a rule's phrase (see ClaimRule)."""
    pattern, gap = "", ""
    for token in PHRASE_TOKEN.findall(phrase.lower()):
        if token in GAP:
            gap = rf"(?:\W+[\w']+){{0,{int(words_between)}}}"
            continue
        optional = token.endswith(")?")
        if token.startswith("("):
            choices = [c.split() for c in token.rstrip("?")[1:-1].split("|")]
            words = "(?:" + "|".join(r"\W+".join(_word_regex(w) for w in c) for c in choices if c) + ")"
        else:
            words = _word_regex(token)
        if not pattern:
            pattern = words
        elif optional:
            pattern += f"{gap}(?:\\W+{words})?"
        else:
            pattern += rf"{gap}\W+{words}"
        gap = ""
    return re.compile(rf"(?<![\w']){pattern}(?![\w'])")


def _word_regex(word):
    if word == "*":
        return r"[\w']+"
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"[\w']*"
    return re.escape(word)


NEGATION = re.compile(r"\b(?:not|never|no|nor|nothing|none|nobody|cannot|without|isn't|aren't|doesn't|don't|won't|can't)\b|n't\b")

CLAUSE_BREAK = re.compile(r"[,;:–—()]|\bbut\b")

NEGATION_WINDOW = 6  # words before a phrase that can negate it


def negated(sentence, start, end=None):
    """A 'not' in the words before `start` (in the same clause), or, given `end`, inside the match:
    'joints do not click back' denies what 'joints ... click back' looks for."""
    before = CLAUSE_BREAK.split(sentence[:start])[-1].split()[-NEGATION_WINDOW:]
    return bool(NEGATION.search(" ".join(before))) or (end is not None and bool(NEGATION.search(sentence[start:end])))


def check_claims(field, sentences, claims):
    problems = []
    for sentence in sentences:
        if sentence.rstrip("\"'”’)").endswith("?"):
            continue  # a question asks; it does not claim
        text = plain(sentence)
        found = {}  # one problem per family and sentence: an error before a warning, then the fewest words
        for rule in claims:
            match = rule.regex.search(text)
            end = None if rule.denies_itself else match and match.end()
            if match is None or (rule.allow_when_negated and negated(text, match.start(), end)):
                continue
            key, rank = rule.family or rule.phrase, (rule.severity != ERROR, len(match.group(0)))
            if key not in found or rank < found[key][0]:
                found[key] = (rank, rule, match)
        for _, rule, match in found.values():
            family = f" ({rule.family})" if rule.family else ""
            problems.append(Problem(
                rule.severity, field, "claim",
                f"Health pages must not say '{match.group(0)}'{family}. {rule.explanation}".strip(),
                sentence,
            ))
    return problems
