"""The words on each shareable page's link-preview picture, and the picture's address.

A picture's address ends in a digest of its words (and of the drawing's version), so when an editor
changes the words the address changes too and chat apps that keep pictures fetch the new one.
Views put a page's card in its context (base.html prints the tags); the picture view finds the
card again from the address and draws it with guides/share_images.
"""

import dataclasses
import hashlib
import html
import re

from django.urls import reverse
from django.utils.html import strip_tags

from .models import Guide, Question, Step, Topic
from .share_images import DESIGN_VERSION, HEIGHT, WIDTH

SITE_NAME = "Backcare"
SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@dataclasses.dataclass(frozen=True)
class ShareCard:
    kind: str  # "step", "question", "topic" or "page"
    slug: str
    title: str
    line: str
    width = WIDTH
    height = HEIGHT

    @property
    def digest(self):
        words = "\n".join((DESIGN_VERSION, SITE_NAME, self.kind, self.slug, self.title, self.line))
        return hashlib.sha256(words.encode()).hexdigest()[:12]

    @property
    def alt(self):
        return f"{SITE_NAME}: {self.title} {self.line}"

    def get_absolute_url(self):
        return reverse("guides:share_image", kwargs={"kind": self.kind, "name": f"{self.slug}-{self.digest}"})


def first_sentence(rendered_html):
    """The first sentence of some stored HTML, as plain text."""
    text = html.unescape(strip_tags(rendered_html)).strip()
    first_paragraph = text.split("\n", 1)[0]
    return SENTENCE_END.split(first_paragraph, 1)[0]


def for_home(guide):
    return ShareCard("page", "home", guide.title, guide.summary)


def for_help(cards):
    """The most urgent card's heading ('Call 999 or go to A&E now if:') leads into the page."""
    line = f"{cards[0].heading.rstrip(': ')}…" if cards else "When to call 999, NHS 111 or a GP."
    return ShareCard("page", "help", "When to get help", line)


def for_step(step):
    return ShareCard("step", step.slug, step.title, step.summary)


def for_question(question):
    return ShareCard("question", question.slug, question.question, first_sentence(question.answer_html))


def for_topic(topic):
    return ShareCard("topic", topic.slug, topic.title, topic.summary)


def find(kind, slug, user):
    """The card of the page a picture address names, as this user may see it; None if there is none."""
    if kind == "step":
        step = Step.objects.visible_to(user, through_guide=True).filter(slug=slug).first()
        return step and for_step(step)
    if kind == "question":
        question = Question.objects.visible_to(user, through_guide=True).filter(slug=slug).first()
        return question and for_question(question)
    if kind == "topic":
        topic = Topic.objects.visible_to(user, through_guide=True).filter(slug=slug).first()
        return topic and for_topic(topic)
    if kind == "page" and slug in ("home", "help"):
        guide = Guide.objects.visible_to(user).first()
        if guide is None:
            return None
        if slug == "home":
            return for_home(guide)
        return for_help(list(guide.care_cards.visible_to(user).by_urgency()))
    return None
