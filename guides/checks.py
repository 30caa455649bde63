"""Content checks: a piece of content in, a list of problems out. Pure: no Django.

Each check is a small function that returns `Problem`s, each with a severity
(an error blocks publishing; a warning may be accepted with a reason), the field
it is about and a message written for editors. `check_item` runs them all on one
item; the rules that editors extend in admin (claims, hard words) and what only
the site knows (does a local link exist?) come in as plain data in `Rules`.
"""

import dataclasses
import datetime
import functools
import re
from html.parser import HTMLParser
from typing import Callable


ERROR, WARNING = "error", "warning"

# Reading age = Flesch-Kincaid grade + 5 (the US grade plus the age a child starts grade 1).
GRADE_TO_AGE = 5
MAX_READING_AGE = 11
# Below this many words the formula says more about one sentence than about the text.
MIN_WORDS_FOR_READING_AGE = 25
MAX_SENTENCE_WORDS = 25
ALT_MIN_WORDS, ALT_MAX_CHARS = 4, 200



@dataclasses.dataclass(frozen=True)
class Problem:
    severity: str
    field: str
    check: str
    message: str
    excerpt: str = ""

    def as_dict(self):
        return dataclasses.asdict(self)


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


@dataclasses.dataclass(frozen=True)
class HardWord:
    """A word many readers may not know; fine when the same item explains it."""

    word: str
    plain: str = ""


@dataclasses.dataclass(frozen=True)
class Rules:
    claims: tuple = ()
    hard_words: tuple = ()
    # Whether a local address (path, no host) is a page that exists.
    link_exists: Callable[[str], bool] = lambda path: True
    # Local addresses that show the whole emergency card (paths, or path#anchor).
    emergency_links: frozenset = frozenset()
    # The warning signs, each worded once in its record (WarningSign), and the tiers' anchors.
    warning_signs: tuple = ()


@dataclasses.dataclass
class Field:
    """One field of an item. Markdown fields come with their sanitized HTML."""

    name: str
    text: str
    html: str = ""
    # The level the field's own headings must start at (None: no headings allowed).
    heading_level: int | None = None
    # False for text quoted from elsewhere (titles of sources): no reading or word checks.
    plain_language: bool = True

    @property
    def is_markdown(self):
        return bool(self.html) or self.heading_level is not None


@dataclasses.dataclass
class Item:
    """Everything the checks need to know about one piece of content."""

    label: str
    fields: list
    kind: str = ""
    # (field name, picture chosen?, alt text)
    pictures: list = dataclasses.field(default_factory=list)
    is_emergency_card: bool = False
    # A warning sign's own record: the one place its words live.
    is_warning_sign: bool = False
    # The page this item is on shows the whole emergency card.
    shows_emergency_card: bool = False
    # Text that tells readers to press, stretch or move must say when to stop (steps).
    needs_stop_advice: bool = False
    # Other text on the same page (a step's items), for the stop advice.
    page_text: str = ""
    next_review_due: datetime.date | None = None
    last_reviewed: datetime.date | None = None
    changed_since_review: datetime.datetime | datetime.date | None = None


@dataclasses.dataclass(frozen=True)
class Figures:
    words: int
    sentences: int
    grade: float
    reading_ease: float

    @property
    def reading_age(self):
        return round(self.grade + GRADE_TO_AGE, 1)

    def as_dict(self):
        return {**dataclasses.asdict(self), "reading_age": self.reading_age}


@dataclasses.dataclass
class Report:
    item: Item
    figures: Figures
    field_figures: dict
    problems: list

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self):
        return [p for p in self.problems if p.severity == WARNING]


# ---------------------------------------------------------------------------------------------
# Reading the text


class _Outline(HTMLParser):
    """Blocks of text (paragraphs, list items, headings), headings and links of sanitized HTML."""

    BLOCKS = {"p", "li", "h2", "h3", "h4", "blockquote", "pre", "br", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.headings, self.links = [], [], []
        self._text, self._heading = [], None

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(text)
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._flush()
        if tag in {"h2", "h3", "h4"}:
            self._heading = (int(tag[1]), len(self._text))
        if tag == "a":
            href = dict(attrs).get("href")
            if href is not None:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in {"h2", "h3", "h4"} and self._heading:
            self.headings.append((self._heading[0], " ".join("".join(self._text).split())))
            self._heading = None
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        self._text.append(data)

    def close(self):
        super().close()
        self._flush()


@functools.lru_cache(maxsize=512)
def outline(html):
    """Parsed once per text (callers must not change the result)."""
    parser = _Outline()
    parser.feed(html or "")
    parser.close()
    return parser


SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
WORD = re.compile(r"[A-Za-z0-9][\w'’&-]*")


def field_blocks(field):
    return outline(field.html).blocks if field.html else [" ".join(field.text.split())] if field.text.strip() else []


def split_sentences(blocks):
    """Each paragraph, list item and heading ends a sentence, with or without a full stop."""
    return [s.strip() for block in blocks for s in SENTENCE_END.split(block) if s.strip()]


def count_words(text):
    return len(WORD.findall(text))


@functools.cache
def textstat():
    """textstat, imported on first use: it imports NLTK (about 0.4 s), which no page needs."""
    import textstat
    from textstat.backend.counts import _count_syllables

    # textstat 0.7.13 looks words up in NLTK's CMU dictionary, and when that is not installed it
    # downloads it from the internet at run time (and fails offline with LookupError). Its own
    # fallback, Pyphen's US hyphenation dictionary (shipped in the wheel), needs no download: use it
    # alone. On our copy it reads about half a grade lower than with the CMU dictionary (at most 1.3);
    # Pyphen's en_GB dictionary reads 1.3 grades lower, so we keep textstat's en_US.
    _count_syllables.get_cmudict = lambda lang: None
    return textstat


def reading_figures(sentences):
    # Lists and headings rarely end in a full stop; give each one so textstat counts it alone.
    text = " ".join(s if s[-1] in ".!?:" else s + "." for s in sentences)
    text = text.replace(":", ".")
    if not count_words(text):
        return Figures(words=0, sentences=0, grade=0.0, reading_ease=100.0)
    return Figures(
        words=count_words(text),
        sentences=len(sentences),
        grade=round(textstat().flesch_kincaid_grade(text), 1),
        reading_ease=round(textstat().flesch_reading_ease(text), 1),
    )


def plain(text):
    """Lower case, quotes and dashes gone: what phrase rules are matched against."""
    text = re.sub(r"(?<=\w)[’‘](?=\w)", "'", text.lower())  # don’t → don't, so a curly "not" still negates
    return " ".join(re.sub(r"[\"“”‘’`*_]|(?<!\w)'|'(?!\w)", " ", text).split())


# ---------------------------------------------------------------------------------------------
# The checks: each returns a list of problems.


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


def check_headings(field, headings, start_level, markdown_text):
    problems = []
    if re.search(r"^ {0,3}#(?!#)\s", markdown_text or "", re.M):
        problems.append(Problem(
            WARNING, field, "heading", "A line starting with a single # is removed: use ## for a subheading.",
        ))
    if start_level is None:
        if headings:
            problems.append(Problem(
                ERROR, field, "heading",
                "This text sits under the page's own headings: use **bold** text instead of a subheading.",
                headings[0][1],
            ))
        return problems
    previous = start_level - 1
    for level, text in headings:
        if level < start_level:
            problems.append(Problem(
                ERROR, field, "heading",
                f"This subheading is too big for where it sits: use {'#' * start_level} (not {'#' * level}).", text,
            ))
        elif level > previous + 1:
            problems.append(Problem(
                ERROR, field, "heading",
                f"Headings must go in order: this {'#' * level} needs a {'#' * (previous + 1)} before it.", text,
            ))
        previous = max(level, start_level)
    return problems


def check_links(field, links, link_exists):
    problems = []
    for href in links:
        if href.startswith(("https://", "mailto:", "sms:", "tel:", "#")):
            continue
        if href.startswith("/") and not href.startswith("//"):
            path = href.split("#")[0].split("?")[0]
            if not link_exists(path):
                problems.append(Problem(
                    ERROR, field, "link", f"The link to {href} goes to a page that does not exist. Check the address.",
                    href,
                ))
            continue
        problems.append(Problem(
            ERROR, field, "link",
            f"The link {href} must start with https:// (a secure web address) or / (a page on this site).", href,
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


@dataclasses.dataclass(frozen=True)
class WarningSign:
    """A warning sign as its record words it, the phrases that name it in other copy, and its tier:
    the anchor of its list on the help page (`tier`) and what readers are told to do (`tier_label`)."""

    words: str
    phrases: tuple
    tier: str
    tier_label: str
    level: str = ""  # emergency, a-and-e, urgent or non-urgent: which words (TIER_CUES) give its advice


HELP_ANCHOR = re.compile(r"^/help/#([-\w]+)$")
# Words that place a sentence's advice in a tier, by tier level. 999 is the action of both
# emergency tiers (A&E's says: if no one can take you, call 999).
TIER_CUES = {
    "emergency": re.compile(r"\b999\b|\bambulance\b"),
    "a-and-e": re.compile(r"\ba&e\b|\b999\b"),
    "urgent": re.compile(r"\b111\b|\btoday\b|\burgent"),
    "non-urgent": re.compile(r"\bgp\b|\bphysio"),
}
# Bounded and bracket-free, so hostile text ("[[[[…", "[a](" repeated) is scanned in linear time.
MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\([ \t]*<?([^()\s<>]{0,2000})>?[^()\n]{0,500}\)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _blocks(markdown_text):
    """Paragraphs and list items of Markdown source, links kept: a sign's link may sit in any
    sentence of its paragraph or bullet."""
    block, blocks = [], []
    for line in (markdown_text or "").splitlines():
        starts_item = re.match(r"\s*(?:[-*+]|\d+[.)])\s", line)
        if not line.strip() or starts_item:
            if block:
                blocks.append(" ".join(block))
            block = [line] if line.strip() else []
        else:
            block.append(line)
    if block:
        blocks.append(" ".join(block))
    return blocks


def check_warning_signs(field, markdown_text, item, signs):
    """Copy that names a listed warning sign must link to the sign's own list on /help/, and must
    not give it another tier's advice: the sign is worded once, in its record, and shown from there."""
    if item.is_warning_sign or not signs:
        return []
    levels = {sign.tier: sign.level or sign.tier for sign in signs}
    problems = []
    for block in _blocks(markdown_text):
        linked = {match.group(1) for href in (m.group(2) for m in MARKDOWN_LINK.finditer(block))
                  if (match := HELP_ANCHOR.match(href)) and match.group(1) in levels}
        for sentence in SENTENCE_END.split(block):
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


# ---------------------------------------------------------------------------------------------
# Running them


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


def item_text_of(item):
    """All an item's words: a hard word explained in any of its fields counts as explained."""
    return " ".join(" ".join(field_blocks(f)) for f in item.fields)


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
