import dataclasses
import datetime
import html

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from .illustrations import ILLUSTRATION_CHOICES
from .markdown import render_markdown

MARKDOWN_HELP = (
    "Markdown: a blank line starts a new paragraph, '- ' starts a bullet, "
    "**bold**, [link text](https://…). Use ## for a subheading. "
    "HTML is removed for safety."
)


REVIEW_WARNING_DAYS = 30


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user, *, through_guide=False):
        """Readers see published items (with through_guide: of a published guide too);
        staff also see drafts, to preview them. The one place that decides who sees what."""
        if user.is_staff:
            return self
        return self.published().filter(guide__is_published=True) if through_guide else self.published()

    def review_due(self, today=None, within_days=REVIEW_WARNING_DAYS):
        """Items whose next review is overdue or falls within the warning window."""
        today = today or timezone.localdate()
        return self.filter(next_review_due__lte=today + datetime.timedelta(days=within_days))


class RenderedMarkdownModel(models.Model):
    """Stores the sanitized HTML of each Markdown field, rendered once on save.

    Subclasses list their Markdown fields in `markdown_fields`; each `name`
    has a hidden `name_html` twin that templates print.
    """

    markdown_fields = ()

    class Meta:
        abstract = True

    def render_html(self):
        for name in self.markdown_fields:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)))

    def save(self, *args, **kwargs):
        # Browsers send textareas with CRLF line ends; store LF so history diffs show only real edits.
        for name in self.markdown_fields:
            setattr(self, name, (getattr(self, name) or "").replace("\r\n", "\n"))
        self.render_html()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            rendered = {f"{name}_html" for name in self.markdown_fields if name in update_fields}
            kwargs["update_fields"] = set(update_fields) | rendered
        super().save(*args, **kwargs)


class ReviewedContent(RenderedMarkdownModel):
    """A piece of published copy with an editor-set review record."""

    is_published = models.BooleanField(
        "published",
        default=True,
        help_text="Untick to hide this from readers. Staff can still preview it.",
    )
    last_reviewed = models.DateField(
        help_text="The date a clinical reviewer last checked this copy. Set by their approval."
    )
    reviewed_by = models.CharField(
        max_length=200,
        help_text="The clinical reviewer's public name and role, as readers see it. Set by their approval.",
    )
    next_review_due = models.DateField(
        help_text="When this copy must be checked again. Set by a clinical approval.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    change_log = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Approved changes, newest first, as readers see them under 'What changed'. Set by approvals.",
    )
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one on every save. The admin refuses a save made from an older version.",
    )

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True

    def review_status(self, today=None):
        today = today or timezone.localdate()
        if self.next_review_due < today:
            return "overdue"
        if self.next_review_due <= today + datetime.timedelta(days=REVIEW_WARNING_DAYS):
            return "due soon"
        return "ok"

    def save(self, *args, **kwargs):
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        previous = type(self).objects.filter(pk=self.pk).first()
        self.version = (previous.version if previous else self.version) + 1
        super().save(*args, **kwargs)
        if previous is not None and previous.is_published:
            keep_old_address_working(previous, self)


def keep_old_address_working(previous, current):
    """When a published page moves (its slug changed), redirect the old address for good."""
    if not hasattr(current, "get_absolute_url"):
        return
    old, new = previous.get_absolute_url(), current.get_absolute_url()
    if old == new or "#" in old:
        return
    MovedPage.objects.filter(old_path=new).delete()
    MovedPage.objects.filter(new_path=old).update(new_path=new)
    MovedPage.objects.update_or_create(old_path=old, defaults={"new_path": new})


class MovedPage(models.Model):
    """An address a published page used to have. Readers following an old link are sent on (301)."""

    old_path = models.CharField(max_length=200, unique=True, help_text="For example /faq/old-slug/")
    new_path = models.CharField(max_length=200, help_text="Where the page lives now.")
    moved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("old_path",)
        verbose_name = "old address"
        verbose_name_plural = "old addresses (sent on to the new ones)"

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"


class Guide(ReviewedContent):
    title = models.CharField(max_length=200, help_text="The guide's name, shown as the home page heading.")
    slug = models.SlugField(unique=True, help_text="Used in the guide's address. Lowercase words joined by hyphens.")
    summary = models.CharField(
        max_length=300,
        help_text="One sentence shown under the title and in search results and link previews.",
    )
    introduction = MarkdownxField(help_text=MARKDOWN_HELP)
    introduction_html = models.TextField(editable=False, default="")
    conclusion = MarkdownxField(help_text=MARKDOWN_HELP)
    conclusion_html = models.TextField(editable=False, default="")
    key_points = MarkdownxField(help_text="A bullet list of the points to remember. " + MARKDOWN_HELP)
    key_points_html = models.TextField(editable=False, default="")
    sources = MarkdownxField(
        help_text="Where the guide's facts come from, with links. Shown on every guide page. " + MARKDOWN_HELP
    )
    sources_html = models.TextField(editable=False, default="")

    history = HistoricalRecords()
    markdown_fields = ("introduction", "conclusion", "key_points", "sources")

    class Meta:
        ordering = ("title",)

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guides:home")


class CareCardQuerySet(PublishedQuerySet):
    def by_urgency(self):
        """Most urgent first (emergency, urgent, non-urgent), then in the editors' order."""
        levels = CareCard.Level.values
        urgency = models.Case(*[models.When(level=level, then=rank) for rank, level in enumerate(levels)])
        return self.order_by(urgency, "order", "pk")


class CareCard(ReviewedContent):
    """Safety copy: when to get help and how urgently (the NHS 'care card')."""

    # The levels are listed most urgent first: by_urgency() ranks cards in this order.

    class Level(models.TextChoices):
        EMERGENCY = "emergency", "Emergency: call 999 or go to A&E"
        URGENT = "urgent", "Urgent: see a doctor today"
        NON_URGENT = "non-urgent", "Non-urgent: see a GP or physiotherapist"

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="care_cards")
    order = models.PositiveSmallIntegerField(help_text="Cards are listed in this order, lowest first.")
    level = models.CharField(
        max_length=20,
        choices=Level.choices,
        help_text="How urgent the advice is. It sets the card's label and border.",
    )
    heading = models.CharField(max_length=200, help_text="For example: 'Call 999 or go to A&E now if:'")
    slug = models.SlugField(unique=True, help_text="A short name for the card, used in its page anchor.")
    body = MarkdownxField(help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, default="")

    history = HistoricalRecords()
    markdown_fields = ("body",)
    objects = CareCardQuerySet.as_manager()

    class Meta:
        ordering = ("order", "pk")

    def __str__(self):
        return f"{self.get_level_display()} – {self.heading}"

    def get_absolute_url(self):
        return reverse("guides:help") + f"#{self.slug}"


class Step(ReviewedContent):
    # A step's exercises and positions are proposed and approved together with it.
    signed_off_with = ("items",)

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(
        help_text="The step's number in the guide. Each step needs a different number."
    )
    title = models.CharField(max_length=200, help_text="A short instruction, e.g. 'Warm up your muscles'.")
    slug = models.SlugField(
        unique=True,
        help_text="The step's web address: /guide/the-slug/. If you change it, the old address keeps working.",
    )
    summary = models.CharField(max_length=200, help_text="One line shown in the list of steps.")
    body = MarkdownxField(help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, default="")
    illustration = models.CharField(
        max_length=100, choices=ILLUSTRATION_CHOICES, help_text="Choose a picture from the shipped set."
    )
    illustration_alt = models.CharField(
        "illustration alt text",
        max_length=300,
        help_text="Describe what the picture shows for people who cannot see it.",
    )
    illustration_caption = models.CharField(
        max_length=300, help_text="A short caption under the picture that a reader can follow."
    )
    care_cards = models.ManyToManyField(
        CareCard, blank=True, related_name="steps", help_text="Safety cards shown at the end of this step."
    )

    history = HistoricalRecords(m2m_fields=[care_cards])
    markdown_fields = ("body",)

    class Meta:
        ordering = ("order",)
        constraints = [
            models.UniqueConstraint(fields=("guide", "order"), name="unique_step_order_per_guide"),
        ]

    def __str__(self):
        return f"Step {self.order}: {self.title}"

    def get_absolute_url(self):
        return reverse("guides:step", kwargs={"slug": self.slug})


class StepItem(RenderedMarkdownModel):
    """One exercise or position inside a step, with a picture of its own."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(help_text="Items are shown in this order, lowest first.")
    title = models.CharField(max_length=200)
    slug = models.SlugField(help_text="Used as the item's anchor on the step page.")
    text = MarkdownxField(help_text=MARKDOWN_HELP)
    text_html = models.TextField(editable=False, default="")
    illustration = models.CharField(
        max_length=100, choices=ILLUSTRATION_CHOICES, blank=True, help_text="Optional picture from the shipped set."
    )
    illustration_alt = models.CharField(
        "illustration alt text",
        max_length=300,
        blank=True,
        help_text="Describe what the picture shows. Needed when there is a picture.",
    )

    history = HistoricalRecords()
    markdown_fields = ("text",)

    class Meta:
        ordering = ("step_id", "order")
        constraints = [
            models.UniqueConstraint(fields=("step", "order"), name="unique_item_order_per_step"),
            models.UniqueConstraint(fields=("step", "slug"), name="unique_item_slug_per_step"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.step.get_absolute_url()}#{self.slug}"


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
    answer = MarkdownxField(
        help_text="Make the first sentence a complete answer: it is shown in link previews. " + MARKDOWN_HELP
    )
    answer_html = models.TextField(editable=False, default="")

    history = HistoricalRecords()
    markdown_fields = ("answer",)

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


class Tip(ReviewedContent):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="tips")
    order = models.PositiveSmallIntegerField(help_text="Tips are listed in this order, lowest first.")
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, help_text="Used as the tip's anchor on the tips page.")
    body = MarkdownxField(help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, default="")

    history = HistoricalRecords()
    markdown_fields = ("body",)

    class Meta:
        ordering = ("order", "pk")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guides:tips") + f"#{self.slug}"


class ReviewerProfile(models.Model):
    """A clinical reviewer as readers see them: how they would sign a patient leaflet."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    public_name = models.CharField(max_length=100, help_text="For example: Dr Amira Shah")
    role = models.CharField(max_length=100, help_text="Their profession, for example: Physiotherapist")

    class Meta:
        ordering = ("public_name",)

    def __str__(self):
        return f"{self.public_name}, {self.role}" if self.role else self.public_name


class ProposalQuerySet(models.QuerySet):
    def open(self):
        """Waiting for sign-off, or sent back to its authors: still being worked on."""
        return self.filter(status__in=Proposal.OPEN)

    def of(self, item):
        return self.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)

    def approved_for(self, items):
        """Approved changes to any of the items, newest first: the "What changed" list readers see."""
        pairs = models.Q(pk__in=[])
        by_type = {}
        for item in items:
            by_type.setdefault(type(item), set()).add(item.pk)
        for model, pks in by_type.items():
            pairs |= models.Q(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)
        return self.filter(pairs, status=Proposal.Status.APPROVED).order_by("-decided_at", "-pk")


class Proposal(models.Model):
    """A change to a piece of copy that waits for a clinical reviewer before readers see it.

    `proposed` holds the item's editable values as the authors want them (with the HTML of its
    Markdown rendered once, here); `base` holds the live values they started from, so approval
    applies only what the authors changed. `revision` goes up on every edit: an approval names
    the revision the reviewer read, and is refused if the text changed since.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for sign-off"
        SENT_BACK = "sent-back", "Sent back to the author"
        APPROVED = "approved", "Approved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Kind(models.TextChoices):
        CLINICAL = "clinical", "Clinical review"
        WORDING = "wording", "Wording change"
        REVIEW = "review", "Review with no change"

    OPEN = (Status.WAITING, Status.SENT_BACK)

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    proposed = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    base = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    revision = models.PositiveIntegerField(default=1)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="proposals")
    reason = models.CharField(max_length=200, blank=True, help_text="Why the change is needed, for the reviewer.")
    note = models.CharField(
        "note for readers", max_length=200, blank=True, help_text="One short line readers see under 'What changed'."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_signature = models.CharField(max_length=200, blank=True)
    comment = models.TextField(blank=True, help_text="The reviewer's words to the authors.")
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "pk")
        permissions = [("approve_proposal", "Can approve or send back proposed changes")]
        constraints = [
            models.UniqueConstraint(
                fields=("content_type", "object_id"),
                condition=models.Q(status__in=("waiting", "sent-back")),
                name="one_open_proposal_per_item",
            ),
        ]

    def __str__(self):
        return f"Change to {self.item} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        opts = self.content_type.model_class()._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.object_id])

    @property
    def is_open(self):
        return self.status in self.OPEN


@dataclasses.dataclass(frozen=True)
class PageChange:
    """One approved change as readers see it under 'What changed'."""

    date: datetime.date
    kind: str
    note: str
    what: str

    KINDS = {"clinical": "Checked by a clinician", "wording": "Wording change", "review": "Checked by a clinician, no change"}

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)


@dataclasses.dataclass(frozen=True)
class PageReview:
    """The review record a page shows: the least recently reviewed copy on it sets the dates;
    its approved changes, from every piece of copy on it, newest first."""

    last_reviewed: datetime.date
    reviewed_by: str
    next_review_due: datetime.date
    reviewers: tuple = ()
    changes: tuple = ()

    SHOWN_CHANGES = 3

    @classmethod
    def of(cls, *groups):
        items = [item for group in groups for item in group]
        changes = [
            PageChange(datetime.date.fromisoformat(entry["date"]), entry["kind"], entry.get("note", ""), str(item))
            for item in items
            for entry in item.change_log
        ]
        return cls(
            last_reviewed=min(item.last_reviewed for item in items),
            reviewed_by=", ".join(sorted({item.reviewed_by for item in items})),
            reviewers=tuple(sorted({item.reviewed_by for item in items})),
            next_review_due=min(item.next_review_due for item in items),
            changes=tuple(sorted(changes, key=lambda change: change.date, reverse=True)),
        )

    @property
    def recent_changes(self):
        return self.changes[: self.SHOWN_CHANGES]

    @property
    def earlier_changes(self):
        return self.changes[self.SHOWN_CHANGES :]


REVIEWED_MODELS = (Guide, CareCard, Step, Question, Tip)
# Not content: the sign-off workflow's own records (proposed changes and who may approve them).
SIGN_OFF_MODELS = (Proposal, ReviewerProfile)
MARKDOWN_MODELS = (Guide, CareCard, Step, StepItem, Question, Tip)


def content_models():
    """Every model that holds content, by name: what the content_files functions take."""
    return {model.__name__: model for model in (*MARKDOWN_MODELS, MovedPage)}


def content_due_for_review(today=None):
    """Every reviewed item, of any kind, that is overdue or due soon; soonest first."""
    due = [item for model in REVIEWED_MODELS for item in model.objects.review_due(today)]
    return sorted(due, key=lambda item: item.next_review_due)
