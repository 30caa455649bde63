"""The guide's steps and the exercises and positions in them, with their doses."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from ..illustrations import ILLUSTRATION_CHOICES
from ..publishing import refuse_unapproved_save
from .base import MARKDOWN_HELP, History, LoadedFromFiles, RenderedMarkdownModel, ReviewedContent, markdown_field
from .guide import CareCard, Guide

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

    history = History(m2m_fields=[care_cards])
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


class StepItem(LoadedFromFiles, RenderedMarkdownModel):
    """One exercise or position inside a step, with a picture of its own and its dose: for an exercise,
    how many times, how long to hold, how long to keep going, how often a day, when to stop; for a
    position, how long to stay, how often a day, when to change position."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="items")

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

    history = History()
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

    def seen_by_readers(self):
        return Step.objects.filter(pk=self.step_id, is_published=True).exists()

    def save(self, *args, **kwargs):
        previous = None if self._state.adding else StepItem.objects.filter(pk=self.pk).first()
        steps = {self.step_id, previous.step_id if previous else self.step_id}
        refuse_unapproved_save(self, previous, Step.objects.filter(pk__in=steps, is_published=True).exists())
        super().save(*args, **kwargs)

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
