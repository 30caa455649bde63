"""What the checks read and say: an item and its fields in, problems and figures out."""

import dataclasses
import datetime
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


@dataclasses.dataclass(frozen=True)
class WarningSign:
    """A warning sign as its record words it, the phrases that name it in other copy, and its tier:
    the anchor of its list on the help page (`tier`) and what readers are told to do (`tier_label`)."""

    words: str
    phrases: tuple
    tier: str
    tier_label: str
    level: str = ""  # emergency, a-and-e, urgent or non-urgent: which words (TIER_CUES) give its advice
