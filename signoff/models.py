"""Clinical sign-off's records: proposed changes to guides content and who may approve them.

Guides never imports this app; a proposal points at its item through a generic relation."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from simple_history.models import HistoricalRecords

from guides.models import admin_change_url


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

    def edits(self):
        """Changes to an item's own copy (not to the order of a list it is in)."""
        return self.exclude(kind=Proposal.Kind.REORDER)

    def reorders_of(self, model, guide_id):
        """New orders proposed for one list: a guide's steps, questions, tips or care cards."""
        content_type = ContentType.objects.get_for_model(model)
        return self.filter(kind=Proposal.Kind.REORDER, content_type=content_type, proposed__guide=guide_id)

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

    A new order for a list (kind "reorder") is a proposal too, attached to the item that moves:
    `proposed` holds the guide and the moves ({"id", "from", "to"}), and `reason` says them in words.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for sign-off"
        SENT_BACK = "sent-back", "Sent back to the author"
        APPROVED = "approved", "Approved"
        WITHDRAWN = "withdrawn", "Withdrawn"
        # Approved with a "publish on" time still ahead (signoff.schedule); stale: its item changed
        # before that time (or the checks refused it then), so it was never published.
        SCHEDULED = "scheduled", "Approved, will publish on its date"
        STALE = "stale", "Not published on its date"

    class Kind(models.TextChoices):
        CLINICAL = "clinical", "Clinical review"
        WORDING = "wording", "Wording change"
        REVIEW = "review", "Review with no change"
        REORDER = "reorder", "Order change"

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
    publish_on = models.DateTimeField(
        null=True, blank=True, help_text="Once approved, the change waits until this time (publish_scheduled)."
    )

    history = HistoricalRecords()
    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "pk")
        permissions = [("approve_proposal", "Can approve or send back proposed changes")]
        constraints = [
            models.UniqueConstraint(
                fields=("content_type", "object_id"),
                condition=models.Q(status__in=("waiting", "sent-back")) & ~models.Q(kind="reorder"),
                name="one_open_proposal_per_item",
            ),
        ]

    def __str__(self):
        return f"Change to {self.item} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return admin_change_url(self.content_type.model_class(), self.object_id)

    @property
    def is_open(self):
        return self.status in self.OPEN


class ReviewReminder(models.Model):
    """A review reminder sent (signoff.reminders): each is sent once for an item's due date."""

    class Kind(models.TextChoices):
        AHEAD = "ahead", "30 days before"
        DUE = "due", "On the day"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    due = models.DateField(help_text="The next review date the reminder was about.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_to = models.TextField(blank=True)

    class Meta:
        ordering = ("-sent_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=("content_type", "object_id", "due", "kind"), name="one_reminder_each"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.item} (due {self.due:%Y-%m-%d})"


class FactCheckRequest(models.Model):
    """A secret link that lets one outside expert read one revision of a waiting change and comment
    on it once, without an account (signoff.fact_check). Only a hash of the link's secret is kept;
    the comment never approves or sends back anything: that stays with a clinical reviewer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="fact_checks")
    revision = models.PositiveIntegerField(help_text="The revision of the change the expert is asked to read.")
    expert_email = models.EmailField("expert's email address")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True, help_text="When the expert sent their comment.")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = "fact-check link"

    def __str__(self):
        return f"Fact check of {self.proposal.item} by {self.expert_email}"

    def get_absolute_url(self):
        return self.proposal.get_absolute_url()

    @property
    def expert(self):
        """How the history names the expert, who has no account."""
        return f"Outside expert <{self.expert_email}>"


# Not content: the sign-off's own records (proposed changes, who may approve them, fact checks,
# review reminders sent).
SIGN_OFF_MODELS = (Proposal, ReviewerProfile, FactCheckRequest, ReviewReminder)
