"""The editorial year in the admin: who owns an item's review, and when an approved change goes live.

An item's owner and deputy are people, not copy: changing them needs no sign-off, so a save that
changes only them writes them at once (a history row says who) and proposes nothing. "Publish on"
belongs to the proposal: once a reviewer approves the change, it waits until then
(signoff.schedule).
"""

from django import forms
from django.utils import timezone

from guides.models import record_as
from signoff.proposals import OWNER_FIELDS

WITHDRAW_FIELDS = ("withdraw_on", "withdraw_to")


class PublishOnForm(forms.Form):
    """Mixed into the content form: the time an approved change should go live, if not at once."""

    publish_on = forms.DateTimeField(
        label="Publish on",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty to publish as soon as a clinical reviewer approves. With a date and time, the "
        "approved change waits until then; if the item changes before then, it is not published.",
    )

    def clean_publish_on(self):
        moment = self.cleaned_data.get("publish_on")
        if moment is not None and moment <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or leave it empty to publish on approval.")
        return moment


def owners_changed(form):
    return [name for name in OWNER_FIELDS if name in form.changed_data]


def save_owners(form, user):
    """Write a changed owner or deputy to the live item at once: not copy, so no sign-off
    (guides.publishing lets the save through, as it changes nothing readers see)."""
    changed = owners_changed(form)
    if not changed or form.live is None:
        return
    live = type(form.live).objects.get(pk=form.live.pk)
    for name in changed:
        setattr(live, name, form.cleaned_data[name])
    who = ", ".join(f"{name}: {getattr(live, name) or 'none'}" for name in changed)
    record_as(live, user, "Review owner changed", who)
    live.save()
