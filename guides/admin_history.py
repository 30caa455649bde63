"""The admin's history side: the stale-save check (no editor overwrites another unseen) and the
word-by-word diffs the history shows."""

import difflib
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils import timezone
from simple_history.template_utils import HistoricalRecordContextHelper

from signoff import proposals

NOISY_FIELDS = {"version", "updated_at"}


class StaleSaveCheck:
    """Refuses a save made from an older version of an item, or of its proposed change, so no
    editor overwrites another unseen. Holds the check's hidden fields, its form, `get_form` and
    the revert (history) form together."""

    stale_fields = ["version", "proposal_revision"]

    class Form(forms.ModelForm):
        proposal_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.initial["proposal_revision"] = getattr(self.instance, "_seen_revision", None)

        def clean(self):
            # A stale save is refused before anything else is checked.
            self.check_not_stale(self.cleaned_data)
            return super().clean()

        def check_not_stale(self, cleaned_data):
            instance = self.instance
            if instance.pk is None or "version" not in cleaned_data:
                return
            # Lock the row until the admin's transaction commits: no save can slip in between.
            model = type(instance)
            current = model.objects.select_for_update().filter(pk=instance.pk).values_list("version", flat=True).first()
            if current is not None and cleaned_data["version"] != current:
                latest = instance.history.order_by("-history_date").first()
                raise self.stale(latest.history_user if latest else None, latest.history_date if latest else None)
            proposal = proposals.open_proposal(instance)
            if (proposal.revision if proposal else None) != cleaned_data.get("proposal_revision"):
                latest = proposal.history.order_by("-history_date").first() if proposal else None
                raise self.stale(latest.history_user if latest else None, latest.history_date if latest else None)

        @staticmethod
        def stale(user, date):
            who = user.get_username() if user else "Another editor"
            when = timezone.localtime(date).strftime("%-d %B %Y at %H:%M") if date else "recently"
            return ValidationError(
                "%(who)s changed this on %(when)s, after you opened it. Your text is still below and has "
                "not been saved. Open the page again in a new tab to see their version, copy your changes "
                "across, and save there.",
                code="stale",
                params={"who": who, "when": when},
            )

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and obj.pk:
            # A revert form starts from an old version; the save must be checked against today's.
            obj.version = type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).first() or obj.version
            proposal = proposals.open_proposal(obj)
            obj._seen_revision = proposal.revision if proposal else None
        form = kwargs.get("form", self.form)
        kwargs["form"] = type(form.__name__, (self.Form, form), {})
        kwargs["widgets"] = {**kwargs.get("widgets", {}), "version": forms.HiddenInput}
        return super().get_form(request, obj, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # One transaction, as in the change view: the stale-save check locks the row (PostgreSQL
        # refuses select_for_update outside a transaction).
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class DiffContextHelper(HistoricalRecordContextHelper):
    """Shows changed text as a word-by-word diff instead of two truncated copies."""

    def context_for_delta_changes(self, delta):
        changes = []
        for change in delta.changes:
            if change.field in NOISY_FIELDS or change.field.endswith("_html"):
                continue
            formatted = self.format_delta_change(change)
            changes.append({"field": formatted.field, "old": formatted.old, "new": formatted.new,
                            "diff": word_diff(change.old, change.new)})
        return changes


def word_diff(old, new):
    """A list of (kind, text) pieces, kind being 'same', 'removed' or 'added'."""
    if not isinstance(old, str) or not isinstance(new, str):
        return None
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            same = "".join(a[i1:i2])
            if len(same) > 160:  # long unchanged stretches are shortened to their ends, at word breaks
                head, tail = same[:80].rsplit(" ", 1)[0], same[-80:].split(" ", 1)[-1]
                same = f"{head} … {tail}"
            pieces.append(("same", same))
            continue
        if i2 > i1:
            pieces.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("added", "".join(b[j1:j2])))
    return pieces
