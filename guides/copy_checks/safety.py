"""Safety copy: emergency signs shown whole, warning signs worded once in their tier, and
instructions to move that say when to stop."""

import re

from .claims import phrase_regex
from .items import ERROR, Problem
from .text import MARKDOWN_LINK, markdown_blocks, split_sentences



# The signs on the emergency card; a page naming one must show the whole card or link to it.
EMERGENCY_SIGNS = {
    "numbness around the genitals or bottom": r"\b(?:genitals|buttocks|saddle area)\b",
    "problems peeing": r"\b(?:difficult(?:y)?(?: to)? pee|cannot control when you pee|can't pee|unable to pee)",
    "loss of bladder or bowel control": r"\b(?:bladder|bowel)\b",
    "pain, weakness or numbness in both legs": r"\bboth legs\b",
    "chest pain": r"\bchest pain\b",
    "a serious fall or accident": r"\bserious (?:fall|accident|injury)\b",
}


def emergency_signs_in(text):
    lowered = text.lower()
    return [sign for sign, pattern in EMERGENCY_SIGNS.items() if re.search(pattern, lowered)]


def links_to_emergency_card(links, emergency_links):
    return any(href in emergency_links or href.split("#")[0] in emergency_links for href in links)


def check_emergency_signs(field, text, links, item, emergency_links):
    if item.is_emergency_card or item.shows_emergency_card or item.is_warning_sign:
        return []
    signs = emergency_signs_in(text)
    if not signs or links_to_emergency_card(links, emergency_links):
        return []
    return [Problem(
        ERROR, field, "emergency-signs",
        f"This names some emergency signs ({', '.join(signs)}) but not the whole list. Readers may miss "
        "the others: add a link to the full list of emergency signs.",
    )]


HELP_ANCHOR = re.compile(r"^/help/#([-\w]+)$")

# Words that place a sentence's advice in a tier, by tier level. 999 is the action of both
# emergency tiers (A&E's says: if no one can take you, call 999).
TIER_CUES = {
    "emergency": re.compile(r"\b999\b|\bambulance\b"),
    "a-and-e": re.compile(r"\ba&e\b|\b999\b"),
    "urgent": re.compile(r"\b111\b|\btoday\b|\burgent"),
    "non-urgent": re.compile(r"\bgp\b|\bphysio"),
}


def check_warning_signs(field, markdown_text, item, signs):
    """Copy that names a listed warning sign must link to the sign's own list on /help/, and must
    not give it another tier's advice: the sign is worded once, in its record, and shown from there."""
    if item.is_warning_sign or not signs:
        return []
    levels = {sign.tier: sign.level or sign.tier for sign in signs}
    problems = []
    for block in markdown_blocks(markdown_text):
        linked = {match.group(1) for href in (m.group(2) for m in MARKDOWN_LINK.finditer(block))
                  if (match := HELP_ANCHOR.match(href)) and match.group(1) in levels}
        for sentence in split_sentences([block]):
            words = MARKDOWN_LINK.sub(lambda m: m.group(1), sentence).lower()
            sentence_links = {match.group(1) for m in MARKDOWN_LINK.finditer(sentence)
                              if (match := HELP_ANCHOR.match(m.group(2))) and match.group(1) in levels}
            cued = {tier for tier, cue in TIER_CUES.items() if cue.search(words)}
            for sign in signs:
                if not any(phrase_regex(phrase).search(words) for phrase in sign.phrases):
                    continue
                tiers = sentence_links | {tier for tier, level in levels.items() if level in cued}
                excerpt = MARKDOWN_LINK.sub(lambda m: m.group(1), sentence).strip()
                if tiers and sign.tier not in tiers:
                    problems.append(Problem(
                        ERROR, field, "warning-sign-tier",
                        f"This gives the warning sign “{sign.words}” another tier's advice. Its record says: "
                        f"{sign.tier_label}. Link it to /help/#{sign.tier} and give that advice, or change the "
                        "sign's record (a clinical reviewer signs it off).",
                        excerpt,
                    ))
                elif sign.tier not in linked:
                    problems.append(Problem(
                        ERROR, field, "warning-sign-words",
                        f"This names the warning sign “{sign.words}” in its own words. Signs are worded once, "
                        f"in their records, and listed on /help/: link these words to /help/#{sign.tier} "
                        f"({sign.tier_label}) instead of retyping the sign.",
                        excerpt,
                    ))
    return problems


MOVE_INSTRUCTION = re.compile(
    r"^(?:\d+\.\s*)?(?:(?:gently|slowly|carefully|then|now|and|try to|you can|you could)\s+)*"
    r"(?:press|stretch|move|push)\b"
)

STOP_ADVICE = re.compile(
    r"\bstop\b|\bease off\b|\bonly as far as\b|\buntil you feel\b|\bif (?:it|this|anything|something) hurts\b"
)


def moves(sentences):
    """Sentences (or clauses after a comma) that tell readers to press, stretch or move."""
    return [
        s for s in sentences
        if any(MOVE_INSTRUCTION.search(clause.strip().lower()) for clause in re.split(r"[,;:]", s))
    ]


def check_says_when_to_stop(field, sentences, page_text):
    instructions = moves(sentences)
    if not instructions or STOP_ADVICE.search((" ".join(sentences) + " " + page_text).lower()):
        return []
    return [Problem(
        ERROR, field, "stop-advice",
        "This tells readers to press, stretch or move but not when to stop. Add, for example, "
        "'Stop if it makes your pain worse or gives you new pain.'",
        instructions[0],
    )]
