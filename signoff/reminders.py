"""Review reminders (`manage.py send_review_reminders`, run daily): each piece of published copy has
an owner (an editor) and a deputy. The owner is emailed 30 days before its next review is due, and
the owner and the deputy on the day. Copy with no owner (or none who can get mail) goes to the
Editors group instead, so nothing falls through.

Each reminder sent is recorded (ReviewReminder: the item, the due date it was about, which
reminder), so the command can run twice a day, or after days without a run, and still send each
reminder once: a "30 days before" reminder missed on its day is sent on the next run within those
30 days, never after the review is due (the on-the-day one covers it then). A review confirmed or
approved moves the due date, which starts a new round. The mail is sent first and recorded after
it left: a mail server that fails is logged and tried again on the next run.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError
from django.utils import timezone

from guides.models import REVIEW_WARNING_DAYS, REVIEWED_MODELS, admin_change_url

from .models import ReviewReminder

logger = logging.getLogger(__name__)
EDITORS_GROUP = "Editors"


@dataclasses.dataclass
class Reminder:
    item: object
    kind: str  # ReviewReminder.Kind
    recipients: list
    unowned: bool

    @property
    def due(self):
        return self.item.next_review_due

    def describe(self):
        who = ", ".join(self.recipients) or "nobody (no editor has an email address)"
        label = ReviewReminder.Kind(self.kind).label
        unowned = " (no owner: sent to the editors)" if self.unowned else ""
        return f"{label} for {describe_item(self.item)}, due {self.due:%Y-%m-%d}, to {who}{unowned}"


def reminders_due(today=None):
    """The reminders to send today, for published copy: not yet sent for its current due date."""
    today = today or timezone.localdate()
    window = today + datetime.timedelta(days=REVIEW_WARNING_DAYS)
    sent = set(ReviewReminder.objects.filter(due__lte=window).values_list(
        "content_type__app_label", "content_type__model", "object_id", "due", "kind"))
    editors = None
    wanted = []
    for model in REVIEWED_MODELS:
        opts = model._meta
        items = model.objects.published().review_due(today).select_related("owner", "deputy")
        for item in items.order_by("next_review_due", "pk"):
            kind = _kind_on(item.next_review_due, today)
            if (opts.app_label, opts.model_name, item.pk, item.next_review_due, kind) in sent:
                continue
            people = [item.owner] if kind == ReviewReminder.Kind.AHEAD else [item.owner, item.deputy]
            addresses = _addresses(people)
            unowned = not addresses
            if unowned:
                if editors is None:
                    editors = _addresses(get_user_model().objects.filter(groups__name=EDITORS_GROUP))
                addresses = editors
            wanted.append(Reminder(item, kind, addresses, unowned))
    return wanted


def _kind_on(due, today):
    """Before the due date (within the warning window): the owner's early warning. From the day on: both."""
    return ReviewReminder.Kind.AHEAD if today < due else ReviewReminder.Kind.DUE


def _addresses(users):
    return sorted({user.email for user in users if user is not None and user.is_active and user.email})


def send(reminder, today=None):
    """Email one reminder and record it. Returns whether it was sent (False: the mail server failed,
    or nobody could be mailed; it stays due for the next run)."""
    if not reminder.recipients:
        return False
    subject, body = message(reminder, today or timezone.localdate())
    try:
        send_mail(subject, body, None, reminder.recipients)
    except Exception:
        logger.exception("Could not send the review reminder %r", subject)
        return False
    try:
        ReviewReminder.objects.create(
            item=reminder.item, due=reminder.due, kind=reminder.kind, sent_to=", ".join(reminder.recipients)
        )
    except IntegrityError:  # another run sent it at the same moment
        pass
    return True


def message(reminder, today):
    item, due = reminder.item, reminder.due
    link = settings.BACKCARE_SITE_URL.rstrip("/") + admin_change_url(type(item), item.pk)
    what = describe_item(item)
    if reminder.kind == ReviewReminder.Kind.AHEAD:
        subject = f"Backcare: review of “{_short(item)}” due on {due:%-d %B %Y}"
        opening = [f"{what} is due for its clinical review on {due:%-d %B %Y}, in {(due - today).days} days."]
    elif due == today:
        subject = f"Backcare: review of “{_short(item)}” due today"
        opening = [f"{what} is due for its clinical review today, {due:%-d %B %Y}."]
    else:
        subject = f"Backcare: review of “{_short(item)}” overdue since {due:%-d %B %Y}"
        opening = [f"{what} was due for its clinical review on {due:%-d %B %Y}, and it has not been reviewed yet."]
    lines = [
        *opening,
        "",
        "Readers still see it, with its review date. Check it against its sources, then either propose",
        "a change for sign-off or ask a clinical reviewer to confirm the review with no change.",
        "",
        f"Open it: {link}",
        "",
        f"Last reviewed on {item.last_reviewed:%-d %B %Y} by {item.reviewed_by}.",
        f"Owner: {_name(item.owner)}. Deputy: {_name(item.deputy)}.",
    ]
    if reminder.unowned:
        lines += ["", "You get this because no editor owns this item yet. Choose its owner on its admin page."]
    return subject, "\n".join(lines)


def describe_item(item):
    return f"The {item._meta.verbose_name} “{item}”"


def _short(item):
    text = str(item)
    return text if len(text) <= 60 else text[:59].rstrip() + "…"


def _name(user):
    if user is None:
        return "none"
    return user.get_full_name() or user.get_username()
