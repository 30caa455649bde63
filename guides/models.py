import dataclasses
import datetime
import html
import re

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import NoReverseMatch, Resolver404, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from .illustrations import ILLUSTRATION_CHOICES
from .markdown import MAX_LENGTH as MARKDOWN_MAX_LENGTH, render_markdown, stored_text
from .publishing import refuse_unapproved_save

MARKDOWN_HELP = (
    "Markdown: a blank line starts a new paragraph, '- ' starts a bullet, "
    "**bold**, [link text](https://…). Use ## for a subheading. "
    "HTML is removed for safety."
)


REVIEW_WARNING_DAYS = 30
HISTORY_REASON_MAX = 100  # django-simple-history's history_change_reason column; PostgreSQL refuses longer


def history_reason(event, reason=""):
    """An entry's reason as the history keeps it ("Proposed: clearer wording"), shortened to fit the
    column with "…": every reason written goes through here (guides.apps also fits any other on save)."""
    text = f"{event}: {reason}" if reason else event
    if len(text) <= HISTORY_REASON_MAX:
        return text
    return text[: HISTORY_REASON_MAX - 1].rstrip() + "…"


def record_as(obj, user, event, reason=""):
    """Who makes the next save of `obj` and why, as its history row will say (django-simple-history
    reads these two attributes); the reason fits the column. The one place that sets them."""
    obj._history_user = user
    obj._change_reason = history_reason(event, reason) if event else None


def fit_history_reason(history_instance, **kwargs):
    """Signal receiver (pre_create_historical_record): no history row is written with a reason too long."""
    if history_instance.history_change_reason:
        history_instance.history_change_reason = history_reason(history_instance.history_change_reason)
def admin_change_url(model, pk):
    """The admin page of one object of a model: the one place that builds it."""
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])


SLUG_WORD = re.compile(r"[-a-z0-9_]+")


def markdown_field(help_text, **kwargs):
    """A Markdown field editors type into, no longer than the renderer's limit."""
    return MarkdownxField(
        help_text=help_text,
        **kwargs,
        validators=[
            MaxLengthValidator(
                MARKDOWN_MAX_LENGTH,
                message="This text is too long: it has %(show_value)d characters and the limit is "
                "%(limit_value)d. Make it shorter, or split it into two items.",
            )
        ],
    )


def slug_is_reserved(url_name, slug):
    """True when a page with this slug would clash with the site's own addresses, read from the
    URLconf so that an address added later is reserved too: a step called 'all' would hide behind
    /guide/all/, and words the site uses in its paths (guide, faq, tips, admin…) stay unambiguous."""
    if slug in site_path_words():
        return True
    try:
        match = resolve(reverse(url_name, kwargs={"slug": slug}))
    except (NoReverseMatch, Resolver404):  # not a valid slug: the slug field's own check says so
        return False
    return match.view_name != url_name


def site_path_words(patterns=None):
    """The literal words in the site's own URL patterns (not inside the admin's), and 'static'."""
    if patterns is None:
        patterns = get_resolver().url_patterns
        words = {settings.STATIC_URL.strip("/").split("/")[0]}
    else:
        words = set()
    for entry in patterns:
        words |= {word for word in str(entry.pattern).split("/") if SLUG_WORD.fullmatch(word)}
        if isinstance(entry, URLResolver) and entry.app_name != "admin":
            words |= site_path_words(entry.url_patterns)
    return words


class ReviewedContentQuerySet(models.QuerySet):
    """Which copy readers see, and which copy is due for review."""

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

    def store_line_ends(self):
        """LF line ends, as stored: the length limit is fair and history diffs show only real edits."""
        for name in self.markdown_fields:
            setattr(self, name, stored_text(getattr(self, name)))

    def clean_fields(self, exclude=None):
        self.store_line_ends()
        super().clean_fields(exclude)

    def render_html(self):
        for name in self.markdown_fields:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)))

    def save(self, *args, **kwargs):
        self.store_line_ends()
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

    objects = ReviewedContentQuerySet.as_manager()
    page_url_name = ""  # a kind with pages of its own at /…/<slug>/ names their URL here

    # Items with a page of their own set this: when a published one moves (its slug changed),
    # its old address answers with a permanent redirect to the new one (see MovedPage).
    leaves_redirect_when_moved = False

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.page_url_name and "slug" not in (exclude or ()) and "slug" not in errors:
            if slug_is_reserved(self.page_url_name, self.slug):
                errors["slug"] = [
                    ValidationError(
                        "The site already uses “%(slug)s” in its own web addresses, so a page cannot "
                        "have it. Choose a different slug.",
                        code="reserved",
                        params={"slug": self.slug},
                    )
                ]
        if errors:
            raise ValidationError(errors)

    def review_status(self, today=None):
        today = today or timezone.localdate()
        if self.next_review_due < today:
            return "overdue"
        if self.next_review_due <= today + datetime.timedelta(days=REVIEW_WARNING_DAYS):
            return "due soon"
        return "ok"

    def seen_by_readers(self):
        return type(self).objects.filter(pk=self.pk, is_published=True).exists()

    def save(self, *args, **kwargs):
        if self._state.adding:
            refuse_unapproved_save(self, None, self.is_published)
            super().save(*args, **kwargs)
            return
        previous = type(self).objects.filter(pk=self.pk).first()
        refuse_unapproved_save(self, previous, self.is_published or (previous is not None and previous.is_published))
        self.version = (previous.version if previous else self.version) + 1
        super().save(*args, **kwargs)
        if self.leaves_redirect_when_moved and previous is not None and previous.is_published:
            MovedPage.record_move(previous.get_absolute_url(), self.get_absolute_url())


LOCAL_PATH_HELP = "Give a path on this site, starting with a single '/', for example /faq/old-slug/."


def is_local_path(path):
    """True for an address on this site ("/tips/"), never for one a browser would take elsewhere
    ("//x", "/\\x", "javascript:…"), nor for one with spaces or unprintable characters."""
    return (
        path.startswith("/")
        and path.isprintable()
        and " " not in path
        and url_has_allowed_host_and_scheme(path, allowed_hosts=set())
    )


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

    def clean(self):
        # Both ends are paths on this site: a redirect to anywhere else would be an open redirect.
        problems = {name: LOCAL_PATH_HELP for name in ("old_path", "new_path") if not is_local_path(getattr(self, name))}
        if not problems and self.old_path == self.new_path:
            problems["new_path"] = "A page cannot be moved to the address it moved from."
        if problems:
            raise ValidationError(problems)

    @classmethod
    def record_move(cls, old, new):
        """Send `old` on to `new` for good, keeping every earlier address one hop from the page.

        Moving back to an address removes the redirect away from it, so no chain or loop is left.
        """
        if old == new:
            return
        cls.objects.filter(old_path=new).delete()
        cls.objects.filter(new_path=old).update(new_path=new)
        cls.objects.update_or_create(old_path=old, defaults={"new_path": new})


class Guide(ReviewedContent):
    title = models.CharField(max_length=200, help_text="The guide's name, shown as the home page heading.")
    slug = models.SlugField(unique=True, help_text="Used in the guide's address. Lowercase words joined by hyphens.")
    summary = models.CharField(
        max_length=300,
        help_text="One sentence shown under the title and in search results and link previews.",
    )
    introduction = markdown_field(help_text=MARKDOWN_HELP)
    introduction_html = models.TextField(editable=False, default="")
    conclusion = markdown_field(help_text=MARKDOWN_HELP)
    conclusion_html = models.TextField(editable=False, default="")
    key_points = markdown_field(help_text="A bullet list of the points to remember. " + MARKDOWN_HELP)
    key_points_html = models.TextField(editable=False, default="")
    sources = markdown_field(
        help_text="Where the guide's facts come from, with links. Shown on every guide page. " + MARKDOWN_HELP
    )
    sources_html = models.TextField(editable=False, default="")
    check_first = markdown_field(
        default="",
        help_text="The one list of people who should check with a GP, physiotherapist or midwife before they "
        "start. Shown on the home page and on each step and answer set to show it. " + MARKDOWN_HELP,
    )
    check_first_html = models.TextField(editable=False, default="")
    funding = markdown_field(
        default="",
        blank=True,
        help_text="Who pays for Backcare and how, shown on the 'About this information' page. Left empty, "
        "the page says this part has not been filled in yet. " + MARKDOWN_HELP,
    )
    funding_html = models.TextField(editable=False, default="")
    conflicts_of_interest = markdown_field(
        default="",
        blank=True,
        help_text="Any link between the people who write or check the guide and a company or group that could "
        "gain from what it says, or a plain statement that there is none. Shown on the 'About this "
        "information' page. " + MARKDOWN_HELP,
    )
    conflicts_of_interest_html = models.TextField(editable=False, default="")

    history = HistoricalRecords()
    markdown_fields = ("introduction", "conclusion", "key_points", "sources", "check_first", "funding",
                       "conflicts_of_interest")

    class Meta:
        ordering = ("title",)

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guides:home")


class CareCardQuerySet(ReviewedContentQuerySet):
    def by_urgency(self):
        """Most urgent first (emergency, urgent, non-urgent), then in the editors' order."""
        levels = CareCard.Level.values
        urgency = models.Case(*[models.When(level=level, then=rank) for rank, level in enumerate(levels)])
        return self.order_by(urgency, "order", "pk")


class CareCard(ReviewedContent):
    """Safety copy: when to get help and how urgently (the NHS 'care card')."""

    # The levels are listed most urgent first: by_urgency() ranks cards in this order.

    class Level(models.TextChoices):
        EMERGENCY = "emergency", "Emergency: call 999 now"
        A_AND_E = "a-and-e", "Emergency: go to A&E now"
        URGENT = "urgent", "Urgent: GP today or NHS 111"
        NON_URGENT = "non-urgent", "Soon: see a GP or physiotherapist"

    # Both mean "now": the offline page, the exercise sheet and the home page's box show them.
    EMERGENCY_LEVELS = (Level.EMERGENCY, Level.A_AND_E)
    LABELS = {
        Level.EMERGENCY: "Immediate action required:",
        Level.A_AND_E: "Immediate action required:",
        Level.URGENT: "Urgent advice:",
        Level.NON_URGENT: "Non-urgent advice:",
    }

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="care_cards")
    order = models.PositiveSmallIntegerField(help_text="Cards are listed in this order, lowest first.")
    level = models.CharField(
        max_length=20,
        choices=Level.choices,
        help_text="How urgent the advice is. It sets the card's label and border.",
    )
    heading = models.CharField(max_length=200, help_text="For example: 'Call 999 or go to A&E now if:'")
    slug = models.SlugField(unique=True, help_text="A short name for the card, used in its page anchor.")
    body = markdown_field(help_text=MARKDOWN_HELP)
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

    @property
    def label(self):
        return self.LABELS.get(self.level, "")

    @property
    def is_emergency(self):
        return self.level in self.EMERGENCY_LEVELS


class WarningSign(ReviewedContent):
    """One warning sign, worded once. Its card is its tier: the card's heading and text say what
    to do (call 999, go to A&E, get help today, see a GP soon); every page lists the sign from here."""

    card = models.ForeignKey(
        CareCard,
        on_delete=models.CASCADE,
        related_name="signs",
        verbose_name="tier (care card)",
        help_text="How urgent this sign is: the card it is listed on. Moving it to another card changes "
        "what readers are told to do, so check the source first.",
    )
    order = models.PositiveSmallIntegerField(help_text="Signs are listed on their card in this order, lowest first.")
    slug = models.SlugField(unique=True, help_text="A short name for the sign, used in its anchor on /help/.")
    words = models.CharField(
        max_length=300,
        help_text="The sign as readers see it in the list, finishing the card's sentence, e.g. "
        "'you have pain, tingling, numbness or weakness in both legs'. Plain words, no Markdown.",
    )
    key_phrases = models.CharField(
        max_length=200,
        help_text="Words that name this sign in other copy, separated by commas, e.g. 'both legs'. The content "
        "checks look for them: other pages may link to the sign's tier but must not retype the sign in other "
        "words, or put it in another tier.",
    )
    source_title = models.CharField(max_length=200, help_text="The page this sign was checked against, e.g. 'NHS: Back pain'.")
    source_url = models.URLField(help_text="The address of that page.")

    history = HistoricalRecords()

    class Meta:
        ordering = ("card__order", "order", "pk")
        constraints = [models.UniqueConstraint(fields=("card", "order"), name="unique_sign_order_per_card")]

    def __str__(self):
        return self.words

    def get_absolute_url(self):
        return reverse("guides:help") + f"#sign-{self.slug}"

    @property
    def phrases(self):
        return [phrase.strip() for phrase in self.key_phrases.split(",") if phrase.strip()]


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
    body = markdown_field(help_text=MARKDOWN_HELP)
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
    shows_check_first = models.BooleanField(
        "shows the check-first list",
        default=False,
        help_text="Tick to show the guide's list of who should check with a professional first, after this "
        "step's text. Edit the list itself on the guide.",
    )

    history = HistoricalRecords(m2m_fields=[care_cards])
    markdown_fields = ("body",)
    page_url_name = "guides:step"
    leaves_redirect_when_moved = True

    class Meta:
        ordering = ("order",)
        constraints = [
            models.UniqueConstraint(fields=("guide", "order"), name="unique_step_order_per_guide"),
        ]

    def __str__(self):
        return f"Step {self.order}: {self.title}"

    def get_absolute_url(self):
        return reverse("guides:step", kwargs={"slug": self.slug})


def _amount(field_name, unit_help, most, **kwargs):
    """An optional whole number from 1 to `most`, for one part of an item's dose."""
    return models.PositiveSmallIntegerField(
        field_name,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(most)],
        help_text=f"{unit_help} Leave empty if it does not apply. From 1 to {most}.",
        **kwargs,
    )


def _range(low, high):
    return f"{low} to {high}" if high else f"{low}"


class StepItem(RenderedMarkdownModel):
    """One exercise or position inside a step, with a picture of its own and its dose: for an exercise,
    how many times, how long to hold, how long to keep going, how often a day, when to stop; for a
    position, how long to stay, how often a day, when to change position."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="items")

    def seen_by_readers(self):
        return Step.objects.filter(pk=self.step_id, is_published=True).exists()

    def save(self, *args, **kwargs):
        previous = None if self._state.adding else StepItem.objects.filter(pk=self.pk).first()
        steps = {self.step_id, previous.step_id if previous else self.step_id}
        refuse_unapproved_save(self, previous, Step.objects.filter(pk__in=steps, is_published=True).exists())
        super().save(*args, **kwargs)
    order = models.PositiveSmallIntegerField(help_text="Items are shown in this order, lowest first.")
    title = models.CharField(max_length=200)
    slug = models.SlugField(help_text="Used as the item's anchor on the step page.")
    text = markdown_field(help_text=MARKDOWN_HELP)
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
    repetitions = _amount("repeat (times)", "How many times to do it in one go, e.g. 5 for 'Repeat 5 times'.", 30)
    hold_seconds = _amount("hold (seconds)", "How long to hold each time, in seconds, e.g. 5.", 120)
    hold_seconds_up_to = _amount(
        "hold up to (seconds)", "For a range only: the longest hold, e.g. 30 for 'hold 20 to 30 seconds'.", 120
    )
    minutes = _amount("keep going for (minutes)", "For walking and the like: how many minutes, e.g. 5.", 60)
    minutes_up_to = _amount(
        "keep going up to (minutes)", "For a range only: the most minutes, e.g. 10 for '5 to 10 minutes'.", 60
    )
    times_a_day = _amount("times a day", "How often to do it each day, e.g. 2.", 10)
    times_a_day_up_to = _amount(
        "times a day, up to", "For a range only: the most times a day, e.g. 3 for '2 to 3 times a day'.", 10
    )
    each_side = models.BooleanField(
        "on each side", default=False, help_text="Tick if the reader does it once on each side (or with each leg)."
    )
    stop_if = models.CharField(
        "stop if",
        max_length=200,
        blank=True,
        help_text="Finish the sentence 'Stop if …', e.g. 'it makes your pain worse or gives you new pain.' "
        "Shown under the dose.",
    )
    stay_minutes = _amount(
        "stay for (minutes)", "For a position: how long to stay in it, in minutes, e.g. 2.", 30
    )
    stay_minutes_up_to = _amount(
        "stay up to (minutes)", "For a range only: the most minutes, e.g. 5 for 'stay for 2 to 5 minutes'.", 30
    )
    change_position_if = models.CharField(
        "change position if",
        max_length=200,
        blank=True,
        help_text="For a position: finish the sentence 'Change position if …', e.g. 'it makes your pain worse "
        "or gives you new pain.' Some aching is normal, so do not write 'if it hurts'. Shown under the dose.",
    )

    # How "My plan" builds an exercise up, signed off like the dose. NHS inform: start with 5 repetitions
    # 3 times a day, then add 1 or 2 every few days while it feels comfortable. Positions have no step-up.
    step_up_after_days = _amount(
        "step up after (days)",
        "For an exercise with repeats: how many days the reader ticks, without it making their pain worse, "
        "before My plan offers the next step up, e.g. 3.",
        14,
    )
    step_up_by = _amount(
        "step up by (repeats)", "How many repeats to add at each step up, e.g. 1. Needs 'step up after' too.", 5
    )

    history = HistoricalRecords()
    markdown_fields = ("text",)

    class Meta:
        ordering = ("step_id", "order")
        constraints = [
            models.UniqueConstraint(fields=("step", "order"), name="unique_item_order_per_step"),
            models.UniqueConstraint(fields=("step", "slug"), name="unique_item_slug_per_step"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{low}__isnull": False, f"{low}__lt": models.F(f"{low}_up_to")})
                    | models.Q(**{f"{low}_up_to__isnull": True}),
                    name=f"item_{low}_range_goes_up",
                    violation_error_message=f"The 'up to' number must be bigger than the first one "
                    f"({low.replace('_', ' ')}), and needs it filled in.",
                )
                for low in ("hold_seconds", "minutes", "times_a_day", "stay_minutes")
            ],
            models.CheckConstraint(
                condition=models.Q(step_up_after_days__isnull=True, step_up_by__isnull=True)
                | models.Q(step_up_after_days__isnull=False, step_up_by__isnull=False, repetitions__isnull=False),
                name="item_step_up_needs_days_amount_and_repeats",
                violation_error_message="A step up needs both 'step up after (days)' and 'step up by (repeats)', "
                "and the exercise needs 'repeat (times)'.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def step_up(self):
        """The progression rule in words, e.g. "Add 1 more repeat every 3 days, if it has not made your pain
        worse", or "" when there is none."""
        if not (self.step_up_after_days and self.step_up_by):
            return ""
        repeats = "1 more repeat" if self.step_up_by == 1 else f"{self.step_up_by} more repeats"
        days = "day" if self.step_up_after_days == 1 else f"{self.step_up_after_days} days"
        return f"Add {repeats} every {days}, if it has not made your pain worse"

    @property
    def dose(self):
        """The dose in the words every page shows, e.g. ["Repeat 5 times", "hold 5 seconds", "3 times a day"],
        or for a position ["Stay for 2 to 5 minutes", "2 to 3 times a day"]."""
        parts = []
        if self.stay_minutes:
            parts.append(f"stay for {_range(self.stay_minutes, self.stay_minutes_up_to)} "
                         f"minute{'' if self.stay_minutes == 1 and not self.stay_minutes_up_to else 's'}")
        if self.minutes:
            parts.append(f"keep going for {_range(self.minutes, self.minutes_up_to)} "
                         f"minute{'' if self.minutes == 1 and not self.minutes_up_to else 's'}")
        if self.repetitions:
            parts.append("do it once" if self.repetitions == 1 else f"repeat {self.repetitions} times")
        if self.hold_seconds:
            parts.append(f"hold {_range(self.hold_seconds, self.hold_seconds_up_to)} "
                         f"second{'' if self.hold_seconds == 1 and not self.hold_seconds_up_to else 's'}")
        if self.each_side:
            if parts:
                parts[-1] += " on each side"
            else:
                parts.append("on each side")
        if self.times_a_day:
            if self.times_a_day_up_to:
                parts.append(f"{self.times_a_day} to {self.times_a_day_up_to} times a day")
            else:
                parts.append({1: "once a day", 2: "twice a day"}.get(self.times_a_day, f"{self.times_a_day} times a day"))
        if parts:
            parts[0] = parts[0][0].upper() + parts[0][1:]
        return parts

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

    history = HistoricalRecords(m2m_fields=[care_cards])
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


@dataclasses.dataclass(frozen=True)
class PageChange:
    """One approved change as readers see it under 'What changed'."""

    date: datetime.date
    kind: str
    note: str
    what: str

    KINDS = {
        "clinical": "Checked by a clinician",
        "wording": "Wording change",
        "review": "Checked by a clinician, no change",
        "reorder": "Moved to a new place, checked by a clinician",
    }

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


# Every model that carries a review record.
REVIEWED_MODELS = (Guide, CareCard, WarningSign, Step, Question, Topic, Tip)
# Every model whose copy readers see: the Markdown the rerender command renders again, and the
# saves that start a new page-cache generation.
COPY_MODELS = (Guide, CareCard, WarningSign, Step, StepItem, Question, Topic, Tip)


def content_due_for_review(today=None):
    """Every reviewed item, of any kind, that is overdue or due soon; soonest first."""
    due = [item for model in REVIEWED_MODELS for item in model.objects.review_due(today)]
    return sorted(due, key=lambda item: item.next_review_due)


def content_flagged_for_review():
    """Items other apps ask editors to review, each with its reasons: {item: [reason, ...]}.

    An app takes part by giving its AppConfig a review_flags() method that returns (item, reason)
    pairs (reader feedback does), so guides imports none of them."""
    flags = {}
    for config in apps.get_app_configs():
        for item, reason in config.review_flags() if hasattr(config, "review_flags") else ():
            flags.setdefault(item, []).append(reason)
    return flags


class ClaimRule(models.Model):
    """A claim health pages must not make. The content checks look for it in every piece of copy."""

    class Severity(models.TextChoices):
        ERROR = "error", "Error: blocks publishing"
        WARNING = "warning", "Warning: the editor may accept it with a reason"

    class Family(models.TextChoices):
        """The kinds of claim the rules are written for: a new way of saying one is a new rule in its family."""

        SAFETY = "safety", "a promise of total safety or certainty"
        CURE = "cure", "a promise of a cure or a permanent fix"
        IN_PLACE = "in-place", "a claim that bones, joints or discs move back into place"
        PUTS_OFF_CARE = "puts-off-care", "putting readers off getting care"
        THROUGH_PAIN = "through-pain", "telling readers to push through pain"

    phrase = models.CharField(
        max_length=300,
        unique=True,
        help_text="The words to look for. Case and punctuation do not matter. * stands for any one word "
        "('crack * back'); a word ending in * matches any ending ('cure*' finds cure, cures, cured); "
        "(click*|pop*|snap*) matches any one of them; (the|your)? matches either or nothing; ... stands for "
        "up to a few words (see 'words between'), e.g. '(bone*|joint*) ... (click*|pop*) ... back'.",
    )
    family = models.CharField(
        max_length=20,
        choices=Family.choices,
        blank=True,
        help_text="The kind of claim. It is named to the editor with the problem, and helps you see what the "
        "rules cover.",
    )
    words_between = models.PositiveSmallIntegerField(
        "words between",
        default=3,
        validators=[MaxValueValidator(8)],
        help_text="How many words each ... in the phrase may stand for, from 0 to 8. More words find more ways "
        "of saying it, and more false alarms.",
    )
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.ERROR)
    explanation = models.CharField(
        max_length=300, help_text="What to tell the editor: why it is not allowed and what to say instead."
    )
    allow_when_negated = models.BooleanField(
        "allow when the sentence denies it",
        default=True,
        help_text="Allow the phrase in a sentence that says it is not so, e.g. "
        "'Pressure does not push joints back into place.'",
    )

    class Meta:
        ordering = ("family", "phrase")

    def __str__(self):
        return self.phrase

    def get_absolute_url(self):
        return admin_change_url(ClaimRule, self.pk)


class HardWord(models.Model):
    """A word many readers may not know. The content checks flag it unless the same item explains it."""

    word = models.CharField(
        max_length=100, unique=True, help_text="The word or term, e.g. 'osteoporosis'. Case does not matter."
    )
    plain = models.CharField(
        "plain words",
        max_length=200,
        blank=True,
        help_text="Everyday words to use instead or to explain it, e.g. 'weak, thin bones'.",
    )

    class Meta:
        ordering = ("word",)

    def __str__(self):
        return self.word

    def get_absolute_url(self):
        return admin_change_url(HardWord, self.pk)
