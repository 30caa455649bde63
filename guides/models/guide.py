"""The guide itself, its care cards (how urgently to get help) and the warning signs on them."""

from django.db import models
from django.urls import reverse

from .base import MARKDOWN_HELP, History, ReviewedContent, ReviewedContentQuerySet, markdown_field
from .sources import sources_field


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
    sources = sources_field(
        "guides", "The pages the guide as a whole was checked against, listed on 'Where this information comes "
        "from'. Add a page that is not in the list under Sources first.",
    )
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

    history = History(m2m_fields=[sources])
    markdown_fields = ("introduction", "conclusion", "key_points", "check_first", "funding", "conflicts_of_interest")

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

    history = History()
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
    sources = sources_field("signs", "The page or pages this sign was checked against, e.g. 'NHS website: Back pain'.")

    history = History(m2m_fields=[sources])

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
