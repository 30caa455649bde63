"""Pages beside the steps: questions and answers, topics and tips."""

import html

from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords

from .base import MARKDOWN_HELP, ReviewedContent, markdown_field
from .guide import CareCard, Guide
from .sources import sources_field

class Question(ReviewedContent):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(help_text="Questions are listed in this order, lowest first.")
    question = models.CharField(
        max_length=200, help_text="Written as a reader would ask it. It is the page title and link preview."
    )
    slug = models.SlugField(
        unique=True,
        help_text="The answer's permanent address: /faq/the-slug/. If you change it, the old address keeps working.",
    )
    answer = markdown_field(
        help_text="Make the first sentence a complete answer: it is shown in link previews. " + MARKDOWN_HELP
    )
    answer_html = models.TextField(editable=False, default="")
    shows_check_first = models.BooleanField(
        "shows the check-first list",
        default=False,
        help_text="Tick to show the guide's list of who should check with a professional first, after this "
        "answer. Edit the list itself on the guide.",
    )

    history = HistoricalRecords()
    markdown_fields = ("answer",)
    page_url_name = "guides:question"
    leaves_redirect_when_moved = True

    class Meta:
        ordering = ("order", "pk")

    def __str__(self):
        return self.question

    @property
    def excerpt(self):
        """The start of the answer as plain text, for link previews and search results."""
        return Truncator(html.unescape(strip_tags(self.answer_html))).chars(200)

    def get_absolute_url(self):
        return reverse("guides:question", kwargs={"slug": self.slug})


class Topic(ReviewedContent):
    """A short page on what comes after the first days (sciatica, flare-ups, work, sleep…), with the
    care cards that fit it: the warning signs come from the records, never from its text."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="topics")
    order = models.PositiveSmallIntegerField(help_text="Topics are listed in this order, lowest first.")
    title = models.CharField(max_length=200, help_text="The page's heading and link preview title.")
    slug = models.SlugField(
        unique=True,
        help_text="The page's permanent address: /topics/the-slug/. If you change it, the old address keeps working.",
    )
    summary = models.CharField(
        max_length=200, help_text="One sentence shown in the list of topics and in link previews."
    )
    body = markdown_field(
        help_text="Start with a sentence or two that answer the reader's main question. Link to the warning "
        "signs on the help page rather than listing them. " + MARKDOWN_HELP
    )
    body_html = models.TextField(editable=False, default="")
    care_cards = models.ManyToManyField(
        CareCard, blank=True, related_name="topics", help_text="Safety cards shown at the end of this page."
    )
    sources = sources_field("topics", "The pages this topic was checked against, listed at its end.")

    history = HistoricalRecords(m2m_fields=[care_cards, sources])
    markdown_fields = ("body",)
    page_url_name = "guides:topic"
    leaves_redirect_when_moved = True

    class Meta:
        ordering = ("order", "pk")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guides:topic", kwargs={"slug": self.slug})


class Tip(ReviewedContent):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="tips")
    order = models.PositiveSmallIntegerField(help_text="Tips are listed in this order, lowest first.")
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, help_text="Used as the tip's anchor on the tips page.")
    body = markdown_field(help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, default="")

    history = HistoricalRecords()
    markdown_fields = ("body",)

    class Meta:
        ordering = ("order", "pk")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guides:tips") + f"#{self.slug}"
