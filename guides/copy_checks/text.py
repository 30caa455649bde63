"""Reading the text: blocks, sentences, words and reading figures, from sanitized HTML or Markdown."""

import functools
import re
from html.parser import HTMLParser

from .items import Figures


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


# The one sentence splitter, for sanitized text and Markdown source alike: a full stop, question or
# exclamation mark (and any closing quote or bracket), space, then a capital or a digit, which may
# follow an opening quote, bracket or Markdown's [ or **.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(\[*_]*[A-Z0-9])")

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


# Bounded and bracket-free, so hostile text ("[[[[…", "[a](" repeated) is scanned in linear time.
MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\([ \t]*<?([^()\s<>]{0,2000})>?[^()\n]{0,500}\)")


def markdown_blocks(markdown_text):
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


def item_text_of(item):
    """All an item's words: a hard word explained in any of its fields counts as explained."""
    return " ".join(" ".join(field_blocks(f)) for f in item.fields)
