"""The content app's models, one module a room: `base` (what all copy shares), `moved` (old
addresses), `guide` (the guide, care cards, warning signs), `steps` (steps, exercises, positions),
`pages` (questions, topics, tips), `sources` (the pages copy is checked against), `review` (a page's review record) and `rules` (the content
checks' claim rules and hard words). Import them from here: `from guides.models import Step`."""

from .base import (
    HISTORY_REASON_MAX,
    LoadedFromFiles,
    MARKDOWN_HELP,
    REVIEW_WARNING_DAYS,
    RenderedMarkdownModel,
    ReviewedContent,
    ReviewedContentQuerySet,
    admin_change_url,
    fit_history_reason,
    history_reason,
    markdown_field,
    record_as,
    site_path_words,
    slug_is_reserved,
)
from .guide import CareCard, CareCardQuerySet, Guide, WarningSign
from .moved import LOCAL_PATH_HELP, MovedPage, is_local_path
from .pages import WITHDRAWABLE_MODELS, Question, Tip, Topic, Withdrawable
from .review import (
    COPY_MODELS,
    REVIEWED_MODELS,
    PageChange,
    PageReview,
    content_due_for_review,
    content_flagged_for_review,
)
from .rules import ClaimRule, HardWord
from .sources import Source, SourceQuerySet
from .steps import Step, StepItem

__all__ = [
    "CareCard", "CareCardQuerySet", "ClaimRule", "COPY_MODELS", "Guide", "HardWord", "HISTORY_REASON_MAX",
    "LOCAL_PATH_HELP", "LoadedFromFiles", "MARKDOWN_HELP", "MovedPage", "PageChange", "PageReview", "Question",
    "REVIEWED_MODELS", "REVIEW_WARNING_DAYS", "RenderedMarkdownModel", "ReviewedContent", "ReviewedContentQuerySet",
    "Source", "SourceQuerySet", "Step", "StepItem", "Tip", "Topic", "WarningSign", "WITHDRAWABLE_MODELS",
    "Withdrawable", "admin_change_url", "content_due_for_review",
    "content_flagged_for_review", "fit_history_reason", "history_reason", "is_local_path", "markdown_field",
    "record_as", "site_path_words", "slug_is_reserved",
]
