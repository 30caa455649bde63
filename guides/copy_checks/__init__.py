"""The copy checks (not Django's system checks): a piece of content in, a list of problems out. Pure: no Django.

Each check is a small function that returns `Problem`s, each with a severity
(an error blocks publishing; a warning may be accepted with a reason), the field
it is about and a message written for editors. `check_item` runs them all on one
item; the rules that editors extend in admin (claims, hard words) and what only
the site knows (does a local link exist?) come in as plain data in `Rules`.

One module a concern: `items` (what goes in and comes out), `text` (blocks, sentences, reading
figures), `claims`, `language` (reading age, hard words, picture descriptions), `structure`
(headings, links), `safety` (emergency and warning signs, when to stop) and `run`.
"""

from .claims import ClaimRule, check_claims, phrase_regex
from .items import (
    ERROR, MAX_READING_AGE, MIN_WORDS_FOR_READING_AGE, WARNING, Field, Figures, HardWord, Item, Problem, Report, Rules,
    WarningSign,
)
from .language import check_alt_text
from .run import check_field, check_item
from .text import field_blocks, item_text_of, outline, plain, reading_figures, split_sentences, textstat

__all__ = [
    "ERROR", "MAX_READING_AGE", "MIN_WORDS_FOR_READING_AGE", "WARNING", "ClaimRule", "Field", "Figures", "HardWord",
    "Item", "Problem", "Report", "Rules", "WarningSign", "check_alt_text", "check_claims", "check_field",
    "check_item", "field_blocks", "item_text_of", "outline", "phrase_regex", "plain", "reading_figures",
    "split_sentences", "textstat",
]
