"""The rules editors set for the content checks: claims pages must not make, and hard words."""

from django.core.validators import MaxValueValidator
from django.db import models

from .base import admin_change_url

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
