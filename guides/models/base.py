"""What every piece of copy shares: Markdown rendered once on save, a review record, who sees
what, and the history's user and reason."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import NoReverseMatch, Resolver404, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..markdown import MAX_LENGTH as MARKDOWN_MAX_LENGTH, render_markdown, stored_text
from ..publishing import refuse_unapproved_save
from .moved import MovedPage

MARKDOWN_HELP = (
    "Markdown: a blank line starts a new paragraph, '- ' starts a bullet, "
    "**bold**, [link text](https://…). Use ## for a subheading. "
    "HTML is removed for safety."
)


REVIEW_WARNING_DAYS = 30
EDITORS = models.Q(is_staff=True, is_active=True, groups__name="Editors")  # who may own an item's review
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
    """A Markdown field editors type into, no longer than the renderer's limit. A plain TextField:
    the admin gives every name in a model's `markdown_fields` its editor with the live preview
    (guides.admin_widgets), so the database and migrations know nothing of the editor."""
    return models.TextField(
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


class History(HistoricalRecords):
    """django-simple-history's records for a model of this package. Its historical models live in
    `guides.models` (the package), so they import from where they say they are (`manage.py shell`
    imports them); left to itself, simple-history names the app ("guides") for a model that is not
    in a models.py."""

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        self.module = "guides.models"


class LoadedFromFiles(models.Model):
    """Copy that content files can load (guides.content_files): the item remembers, as a fingerprint
    of its values, what the edition it was last loaded from said, so a later edition can tell from
    the item itself whether anyone has changed it since. Empty: never loaded from files."""

    edition_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="A fingerprint of the values the last content-file edition loaded into this item.",
    )

    class Meta:
        abstract = True


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


class ReviewedContent(LoadedFromFiles, RenderedMarkdownModel):
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
    # Who looks after the review: people, not copy, so changing them needs no sign-off
    # (guides.publishing and signoff.proposals leave them out). Content files do not carry them.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        limit_choices_to=EDITORS, help_text="The editor who looks after this copy. They are emailed 30 days "
        "before its review is due, and on the day. Changing it needs no sign-off.",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        limit_choices_to=EDITORS, help_text="Emailed with the owner on the day the review is due.",
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
