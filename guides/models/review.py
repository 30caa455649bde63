"""A page's review record as readers see it, and what is due for review."""

import dataclasses
import datetime

from django.apps import apps

from .guide import CareCard, Guide, WarningSign
from .pages import Question, Tip, Topic
from .steps import Step, StepItem

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
    due = [
        item for model in REVIEWED_MODELS for item in model.objects.review_due(today).select_related("owner", "deputy")
    ]
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
