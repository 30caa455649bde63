"""Where the copy's facts come from: one record per page we check our copy against.

Items (the guide, each warning sign, each topic) link to their sources; pages list them and
give them to search engines as the JSON-LD `citation`. `check_sources` writes what it last saw
on each record, with QuerySet.update(): bookkeeping, not copy, so no history row and no new
page-cache generation."""

from django.apps import apps
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse

from ..publishing import refuse_unapproved_save
from .base import History, LoadedFromFiles


class SourceQuerySet(models.QuerySet):
    def with_problems(self):
        """Sources check_sources last found broken, moved, or reviewed again since an editor checked them."""
        return self.filter(status__in=(Source.Status.BROKEN, Source.Status.MOVED, Source.Status.CHANGED))


class Source(LoadedFromFiles):
    """A page we check our copy against. Once published copy cites it, what readers see of it (its
    title, publisher, address and note) is copy too: only the sign-off changes it, as for any copy.
    To point a page at a new address, add a new source and propose it on the items that cite the
    old one. The date an editor checked it and what check_sources saw are bookkeeping."""

    READER_FIELDS = ("title", "publisher", "url", "note")

    class Status(models.TextChoices):
        UNCHECKED = "", "Not checked yet"
        OK = "ok", "Answers as before"
        BROKEN = "broken", "Broken"
        MOVED = "moved", "Moved"
        CHANGED = "changed", "Reviewed again"

    slug = models.SlugField(
        unique=True, help_text="A short name for the source, used in the content files, e.g. 'nhs-sciatica'."
    )
    title = models.CharField(max_length=200, help_text="The page's title as its publisher gives it, e.g. 'Sciatica'.")
    publisher = models.CharField(
        max_length=200, help_text="Who publishes it, as readers know them, e.g. 'NHS website' or 'NICE'."
    )
    url = models.URLField(
        "address",
        max_length=500,
        unique=True,
        validators=[URLValidator(schemes=("http", "https"))],
        help_text="The page's address, starting https://.",
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional: anything readers should know about the source, e.g. 'Last updated 11 December 2020'.",
    )
    checked_on = models.DateField(
        help_text="The date an editor last checked our copy against this page. check_sources reports the "
        "page once it says it was reviewed after this date."
    )

    # What check_sources saw last (not editable: the command writes them).
    status = models.CharField(max_length=10, choices=Status.choices, blank=True, default="", editable=False)
    status_detail = models.CharField("what the check found", max_length=300, blank=True, default="", editable=False)
    status_checked_at = models.DateTimeField("last checked automatically", null=True, blank=True, editable=False)
    final_url = models.URLField("where it led", max_length=500, blank=True, default="", editable=False)
    review_date_seen = models.DateField(
        "'last reviewed' date seen", null=True, blank=True, editable=False,
        help_text="The date the page said it was last reviewed, when check_sources last read it.",
    )

    history = History(excluded_fields=["status", "status_detail", "status_checked_at", "final_url",
                                                 "review_date_seen"])
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ("publisher", "title")

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    def get_absolute_url(self):
        return reverse("guides:sources") + f"#source-{self.slug}"

    def save(self, *args, **kwargs):
        """An editor's answer to a problem clears it until the next check: a new address (for a broken
        or moved page) is unchecked, and a page checked again since its new review date is fine."""
        previous = Source.objects.filter(pk=self.pk).first() if self.pk else None
        if previous is not None:
            refuse_unapproved_save(self, previous, self.seen_by_readers(), fields=self.READER_FIELDS)
        stored = previous.url if previous is not None else None
        if stored is not None and stored != self.url:
            self.status, self.status_detail, self.final_url, self.status_checked_at = "", "", "", None
        elif self.status == self.Status.CHANGED and self.review_date_seen and self.checked_on >= self.review_date_seen:
            self.status, self.status_detail = self.Status.OK, ""
        super().save(*args, **kwargs)

    def seen_by_readers(self):
        """Whether published copy cites it (a published guide, warning sign or topic), or a change
        waiting for sign-off (or approved for a later date) is to cite it: then what the reviewer
        reads of it is what goes live. The sign-off app answers the second part (under_review())."""
        if not self.pk:
            return False
        citing = ("guides", "signs", "topics")
        if any(getattr(self, relation).filter(is_published=True).exists() for relation in citing):
            return True
        return any(config.under_review(self) for config in apps.get_app_configs() if hasattr(config, "under_review"))

    @property
    def review_label(self):
        """The source as a reviewer reads it in a change: its name, address and any note."""
        note = f" – {self.note}" if self.note else ""
        return f"{self}, {self.url}{note}"

    @property
    def has_problem(self):
        return self.status in (self.Status.BROKEN, self.Status.MOVED, self.Status.CHANGED)

    def cited_by(self):
        """The items that list this source: the guide, warning signs, topics."""
        return [*self.guides.all(), *self.signs.all(), *self.topics.all()]

    def as_dict(self):
        """The source and what check_sources last saw, as JSON values (check_sources, check_content)."""
        return {
            "slug": self.slug,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "checked_on": self.checked_on.isoformat(),
            "status": self.status,
            "detail": self.status_detail,
            "final_url": self.final_url,
            "review_date_seen": self.review_date_seen.isoformat() if self.review_date_seen else None,
            "status_checked_at": self.status_checked_at.isoformat() if self.status_checked_at else None,
        }


def sources_field(related_name, help_text):
    """An item's sources: the pages its copy was checked against, signed off with the copy."""
    return models.ManyToManyField(Source, blank=True, related_name=related_name, help_text=help_text)
