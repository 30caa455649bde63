"""Pages beside the steps: questions and answers, topics and tips."""

import html

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .base import MARKDOWN_HELP, History, ReviewedContent, markdown_field
from .guide import CareCard, Guide
from .moved import LOCAL_PATH_HELP, is_local_path
from .sources import sources_field


class Withdrawable(models.Model):
    """Copy that can be taken off the site on a date (signoff.schedule, `publish_scheduled`): questions,
    topics and tips stand alone. Steps cannot (the guide's numbered order and its Previous and Next
    links), nor the guide, care cards or warning signs (safety copy other pages show)."""

    can_be_withdrawn = True

    withdraw_on = models.DateTimeField(
        null=True, blank=True,
        help_text="Take this off the site at this time. Like any change, it waits for a clinical "
        "reviewer's approval.",
    )
    withdraw_to = models.CharField(
        "withdraw to", max_length=200, blank=True,
        help_text="Optional: once withdrawn, send readers to this page of the site (for example /help/). Left "
        "empty, readers get a page saying it was withdrawn, with links to the help page and the guide.",
    )
    withdrawn_on = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean(self):
        # Checked as MovedPage checks its paths: a redirect to anywhere else would be an open redirect.
        super().clean()
        if self.withdraw_to and not is_local_path(self.withdraw_to):
            raise ValidationError({"withdraw_to": LOCAL_PATH_HELP})
        if self.withdraw_to and self.slug and self.withdraw_to == self.get_absolute_url():
            raise ValidationError({"withdraw_to": "Choose another page: this is the address being withdrawn."})


class Question(ReviewedContent, Withdrawable):
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

    history = History()
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


class Topic(ReviewedContent, Withdrawable):
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

    history = History(m2m_fields=[care_cards, sources])
    markdown_fields = ("body",)
    page_url_name = "guides:topic"
    leaves_redirect_when_moved = True

    class Meta:
        ordering = ("order", "pk")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guides:topic", kwargs={"slug": self.slug})


class Tip(ReviewedContent, Withdrawable):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="tips")
    order = models.PositiveSmallIntegerField(help_text="Tips are listed in this order, lowest first.")
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, help_text="Used as the tip's anchor on the tips page.")
    body = markdown_field(help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, default="")

    history = History()
    markdown_fields = ("body",)

    class Meta:
        ordering = ("order", "pk")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guides:tips") + f"#{self.slug}"


# Items that can be withdrawn on a date.
WITHDRAWABLE_MODELS = (Question, Topic, Tip)
