import difflib
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.core.validators import MaxLengthValidator
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils import timezone
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import workflow
from .admin_checks import ContentChecksAdminMixin
from .markdown import stored_text
from .models import (
    REVIEW_WARNING_DAYS, CareCard, Guide, MovedPage, Proposal, Question, ReviewerProfile, Step, StepItem, Tip,
    WarningSign,
    history_reason,
)

NOISY_FIELDS = {"version", "updated_at"}

admin.site.site_header = "Backcare editors"
admin.site.site_title = "Backcare admin"
admin.site.index_title = "Guide content and reviews"


class ReviewStatusFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("due", f"Overdue or due within {REVIEW_WARNING_DAYS} days")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=timezone.localdate())
        if self.value() == "due":
            return queryset.review_due()
        return queryset


class ContentForm(forms.ModelForm):
    """The reason for a change and the note readers see with it, next to the save buttons."""

    change_reason = forms.CharField(
        label="Reason for change",
        required=False,
        max_length=100,
        help_text="A few words for the reviewer and the history, e.g. 'Clearer wording for step 3'.",
    )
    reader_note = forms.CharField(
        label="Note for readers",
        required=False,
        max_length=200,
        help_text="One short line readers see under 'What changed' once it is approved, e.g. 'Added NHS 111 online'.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].label = "Web address name"
        # An open proposal's text is what its authors work on; the live copy stays as it is.
        proposal = getattr(self.instance, "_open_proposal", None)
        if proposal is not None:
            self.initial.update(workflow.form_initial(type(self.instance), proposal, self.fields))
            self.initial.setdefault("change_reason", proposal.reason)
            self.initial.setdefault("reader_note", proposal.note)


class CareCardForm(ContentForm):
    change_reason = forms.CharField(
        label="Reason for change",
        max_length=100,
        help_text="Required for safety copy. It is stored with the history, e.g. 'Added NHS 111 online'.",
    )


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
            proposal = workflow.open_proposal(instance)
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
            proposal = workflow.open_proposal(obj)
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


class MarkdownPreviewWidget(AdminMarkdownxWidget):
    """The Markdown box with its live preview labelled as readers will see it; side by side on a wide screen."""

    template_name = "guides/widgets/markdown.html"
    preview_path = None  # the content-checks form sets it: the preview's address for this field and item

    def add_markdownx_attrs(self, attrs):
        attrs = super().add_markdownx_attrs(attrs)
        if self.preview_path is not None:
            attrs["data-markdownx-urls-path"] = self.preview_path()
        return attrs


MARKDOWN_WIDGET = {MarkdownxField: {"widget": MarkdownPreviewWidget}}


class PicturePicker(forms.RadioSelect):
    """The shipped illustrations as pictures to choose from, not a list of file names."""

    option_template_name = "guides/widgets/picture_option.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "picture-picker", **(attrs or {})}, choices)


class PicturePickerMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "illustration":
            kwargs["widget"] = PicturePicker
        return super().formfield_for_dbfield(db_field, request, **kwargs)


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


class BrowserTextLength(MaxLengthValidator):
    """Counts a textarea's CRLF line ends (as browsers send them) as one character, as stored."""

    def clean(self, x):
        return len(stored_text(x))


class MarkdownLengthFirstMixin:
    """Checks each Markdown box against its model field's length limit while the form's fields are
    cleaned, so an over-long text gets that error at once, before the content checks read it."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in getattr(db_field.model, "markdown_fields", ()):
            formfield.validators += [
                BrowserTextLength(validator.limit_value, validator.message)
                for validator in db_field.validators
                if isinstance(validator, MaxLengthValidator)
            ]
        return formfield


class SignOff:
    """Clinical sign-off in the admin: a change to a published item (or publishing a draft) is
    stored as a proposal for a clinical reviewer, who approves or sends it back from the same page.
    The rules live in guides.workflow."""

    readonly_fields = workflow.REVIEW_FIELDS
    decisions = ("_approve", "_approve_wording", "_send_back", "_confirm_review", "_withdraw")
    order_decisions = ("_approve_order", "_send_back_order", "_withdraw_order")

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._open_proposal = workflow.open_proposal(obj)
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id and any(name in request.POST for name in self.order_decisions):
            return self.decide_order(request, object_id)
        if request.method == "POST" and object_id and any(name in request.POST for name in self.decisions):
            return self.decide(request, object_id)
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        extra_context = {**(extra_context or {}), "signoff": self.signoff_context(request, obj)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def signoff_context(self, request, obj):
        if obj is None:
            return None
        proposal = obj._open_proposal
        reviewer = workflow.is_reviewer(request.user)
        authors = list(proposal.authors.all()) if proposal else []
        return {
            "proposal": proposal,
            "authors": authors,
            "changes": workflow.changes(obj, proposal) if proposal else [],
            "preview_url": workflow.preview_url(obj, proposal) if proposal else None,
            "can_decide": reviewer and proposal is not None and proposal.status == Proposal.Status.WAITING
            and request.user not in authors,
            "is_author": request.user in authors,
            "can_confirm": reviewer and proposal is None,
            "comment": request.session.pop("signoff_comment", ""),
            "reorders": [
                {
                    "proposal": reorder,
                    "authors": list(reorder.authors.all()),
                    "changes": workflow.order_changes(reorder),
                    "preview_url": workflow.preview_url(obj, reorder),
                    "can_decide": reviewer and reorder.status == Proposal.Status.WAITING
                    and request.user not in reorder.authors.all(),
                    "is_author": request.user in reorder.authors.all(),
                    "comment": request.session.pop("order_comment", ""),
                }
                for reorder in workflow.reorders_touching(obj)
            ],
        }

    def decide(self, request, object_id):
        return self.decision(request, object_id, self.decide_copy, "signoff_comment")

    def decide_order(self, request, object_id):
        return self.decision(request, object_id, self.decide_new_order, "order_comment")

    def decision(self, request, object_id, act, comment_field):
        """Runs a reviewer's decision (or an author's withdrawal) and says how it went; a refusal keeps the comment."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        comment = request.POST.get(comment_field, "").strip()
        try:
            done = act(request, obj, request.POST, comment)
        except workflow.SignOffRefused as refusal:
            request.session[comment_field] = comment  # nothing typed is lost
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def decide_copy(self, request, obj, post, comment):
        revision = post.get("signoff_revision", "")
        if "_approve" in post or "_approve_wording" in post:
            wording = "_approve_wording" in post
            workflow.approve(obj, request.user, revision, wording_only=wording, comment=comment)
            return "Approved as a wording change: readers see it now; the review dates stay as they were." if wording \
                else "Approved: readers see the change now, with your name and today's review date."
        if "_send_back" in post:
            workflow.send_back(obj, request.user, revision, comment)
            return "Sent back to the author with your comment. Readers still see the current copy."
        if "_confirm_review" in post:
            workflow.confirm_review(obj, request.user, comment)
            return "Review confirmed: the review dates are renewed and the copy is unchanged."
        return self.withdraw(request, obj._open_proposal, "Your proposed change is withdrawn. Its text stays in the history.")

    def decide_new_order(self, request, obj, post, comment):
        """A decision on a new order shown on this item's page (guides.workflow, "Reordering a list")."""
        pk, revision = post.get("order_proposal", ""), post.get("order_revision", "")
        pk = int(pk) if pk.isascii() and pk.isdigit() and len(pk) < 16 else None  # "²" or 10**30 find nothing
        proposal = workflow.open_reorder(pk)
        if proposal is not None and (
            proposal.content_type.model_class() is not type(obj)  # a question's order is not a step's
            or obj.pk not in {move["id"] for move in proposal.proposed["moves"]}
        ):
            raise PermissionDenied  # decided on the page of an item it moves, with that page's permission
        if "_approve_order" in post:
            workflow.approve_order(pk, request.user, revision, comment)
            return "Approved: readers see the new order now."
        if "_send_back_order" in post:
            workflow.send_back_order(pk, request.user, revision, comment)
            return "Sent back to the author with your comment. Readers still see the current order."
        return self.withdraw(request, workflow.open_reorder(pk),
                             "Your new order is withdrawn. Readers keep the current order; the history keeps your change.")

    def withdraw(self, request, proposal, done):
        if proposal is None or not proposal.authors.filter(pk=request.user.pk).exists():
            raise workflow.SignOffRefused("Only an author of this change can withdraw it.")
        workflow.withdraw(proposal, request.user)
        return done

    def save_model(self, request, obj, form, change):
        obj._change_reason = history_reason(form.cleaned_data["change_reason"]) if form.cleaned_data.get("change_reason") else None
        live = type(obj).objects.filter(pk=obj.pk).first() if change else None
        values = workflow.form_values(obj, form)
        request.signoff_proposal = None
        if not workflow.needs_sign_off(live, values):
            if not change:
                workflow.start_draft(obj)
            elif workflow.keep_as_draft(live, request.user) is not None:
                self.message_user(request, f"Publishing “{obj}” no longer waits for sign-off: you unticked "
                                  "Published, so it stays a draft. Tick Published again to propose it.",
                                  messages.WARNING)
            return super().save_model(request, obj, form, change)
        if not change:  # a new item is saved as a draft; publishing it waits for sign-off
            workflow.start_draft(obj)
            super().save_model(request, obj, form, change)
            request.signoff_pending = values
            return None
        form.save_m2m = lambda: None  # the live copy is not touched (the revert form calls this)
        request.signoff_pending = values
        reverting = getattr(request, "signoff_reverting", None)
        if reverting is not None:
            values.update(workflow.children_as_of(live, reverting))
            self.propose(request, live, values, form)
        return None

    def save_related(self, request, form, formsets, change):
        values = getattr(request, "signoff_pending", None)
        if values is None:
            return super().save_related(request, form, formsets, change)
        live = type(form.instance).objects.get(pk=form.instance.pk)
        if not change:
            super().save_related(request, form, formsets, change)  # the draft gets its exercises
            values = {**workflow.values_of(live), "is_published": True}
        else:
            values.update(workflow.formset_values(live, formsets, workflow.open_proposal(live)))
        self.propose(request, live, values, form)

    def propose(self, request, live, values, form):
        request.signoff_proposal = workflow.propose(
            live, values, request.user, form.cleaned_data.get("change_reason", ""), form.cleaned_data.get("reader_note", "")
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.signoff_reverting = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def construct_change_message(self, request, form, formsets, add=False):
        if not add and getattr(request, "signoff_pending", None) is not None:
            return "Proposed a change for sign-off."  # the exercises' forms were not saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "signoff_proposal", None) is not None:
            message = "Proposed a change for sign-off."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        return self.response_proposed(request, obj) or super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_proposed(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_proposed(self, request, obj):
        if getattr(request, "signoff_proposal", None) is None:
            return None
        self.message_user(
            request,
            f"Your change to “{obj}” is waiting for sign-off. Readers see the current copy until a "
            "clinical reviewer approves it.",
            messages.SUCCESS,
        )
        opts = obj._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        events = workflow.sign_off_history(obj) if obj is not None else []
        return super().history_view(request, object_id, {**(extra_context or {}), "signoff_events": events})


def authors_of(proposal):
    return ", ".join(author.get_username() for author in proposal.authors.all())


class ContentAdmin(
    MarkdownLengthFirstMixin, ContentChecksAdminMixin, StaleSaveCheck, SignOff, PicturePickerMixin,
    SimpleHistoryAdmin, MarkdownxModelAdmin,
):
    """Every change goes through the stale-save check and sign-off (no list_editable: it would skip both)."""

    form = ContentForm
    formfield_overrides = MARKDOWN_WIDGET
    list_filter = ("is_published", ReviewStatusFilter)
    actions = ["move_up", "move_down"]

    def get_fieldsets(self, request, obj=None):
        """The copy first; publishing and review dates after it; the reason and note last, by the buttons."""
        review = ["is_published", *workflow.REVIEW_FIELDS]
        last = ["change_reason", "reader_note"]
        copy = [name for name in self.get_fields(request, obj) if name not in review + last]
        return [(None, {"fields": copy}), ("Publishing and review", {"fields": review}), (None, {"fields": last})]

    @admin.action(description="Move selected items up one place", permissions=["change"])
    def move_up(self, request, queryset):
        self.move(request, queryset, "up")

    @admin.action(description="Move selected items down one place", permissions=["change"])
    def move_down(self, request, queryset):
        self.move(request, queryset, "down")

    def move(self, request, queryset, direction):
        """Drafts move at once; a new place for a published item waits for sign-off (guides.workflow)."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            results = workflow.move_items(self.model, queryset, direction, request.user)
        plural = self.model._meta.verbose_name_plural
        for result in results:
            if result.blocked_by is not None:
                self.message_user(request, format_html(
                    "Nothing was moved: a new order for the {} is already waiting for sign-off ({}, by {}). "
                    "A clinical reviewer must approve or send it back, or its author can withdraw it, "
                    "before the order changes again. <a href=\"{}\">Open that change</a>.",
                    plural, result.blocked_by.reason, authors_of(result.blocked_by),
                    result.blocked_by.get_absolute_url(),
                ), messages.ERROR)
            elif result.proposal is not None:
                request.session["order_change_told"] = result.proposal.pk  # the list need not say it again
                replaced = f" It replaces the order change that was sent back ({result.replaced.reason})." \
                    if result.replaced else ""
                self.message_user(request, format_html(
                    "{}: this new order is waiting for sign-off. Readers see the current order until a "
                    "clinical reviewer approves it.{} <a href=\"{}\">Open the change</a>.",
                    result.summary, replaced, result.proposal.get_absolute_url(),
                ), messages.SUCCESS)
            else:
                self.message_user(request, f"{result.summary}: done (drafts move at once).", messages.SUCCESS)
        if not results:
            end = "top" if direction == "up" else "bottom"
            self.message_user(request, f"Nothing moved: the selected items are already at the {end}.", messages.WARNING)

    def changelist_view(self, request, extra_context=None):
        """Say when a new order is waiting: the list shows the order readers see until it is approved."""
        told = request.session.pop("order_change_told", None)
        if request.method == "GET" and "order" in {field.name for field in self.model._meta.fields}:
            for proposal in Proposal.objects.open().filter(
                kind=Proposal.Kind.REORDER, content_type=ContentType.objects.get_for_model(self.model)
            ).exclude(pk=told).prefetch_related("authors"):
                state = "was sent back to its author" if proposal.status == Proposal.Status.SENT_BACK \
                    else "is waiting for sign-off"
                self.message_user(request, format_html(
                    "A new order {} ({}, by {}). This list shows the order readers see until a clinical "
                    "reviewer approves it. <a href=\"{}\">Open the change</a>.",
                    state, proposal.reason, authors_of(proposal), proposal.get_absolute_url(),
                ), messages.INFO)
        return super().changelist_view(request, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return DiffContextHelper(self.model, historical_record)

    @admin.display(description="review")
    def review_state(self, obj):
        return obj.review_status()


class ProposedItemsFormSet(BaseInlineFormSet):
    """A step's exercises as its open proposal has them, so the author goes on from their own text."""

    proposed = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        proposal = getattr(self.instance, "_open_proposal", None)
        self.proposed = None
        if proposal is not None and "items" in proposal.proposed:
            self.proposed = workflow.preview_children(self.instance, proposal)
            new = [child for child in self.proposed if child.pk is None]
            self.initial_extra = [{name: getattr(child, name) for name in self.form.base_fields if hasattr(child, name)} for child in new]
            self.extra = max(self.extra, len(new))

    def get_queryset(self):
        if self.proposed is None:
            return super().get_queryset()
        return [child for child in self.proposed if child.pk is not None]

    def _construct_form(self, i, **kwargs):
        # New exercises already in the proposal must be kept even when left unchanged.
        if self.proposed is not None and 0 <= i - self.initial_form_count() < len(self.initial_extra or []):
            kwargs["empty_permitted"] = False
        return super()._construct_form(i, **kwargs)


class StepItemInline(MarkdownLengthFirstMixin, PicturePickerMixin, admin.StackedInline):
    model = StepItem
    formset = ProposedItemsFormSet
    extra = 0
    classes = ["collapse"]  # a step's exercises stay closed until opened
    verbose_name, verbose_name_plural = "exercise or position", "exercises and positions"
    fieldsets = [
        (None, {"fields": ["order", "title", "slug", "text", "illustration", "illustration_alt"]}),
        ("Dose: how much, how often, when to stop (a position uses only 'times a day' here)", {"fields": [
            "repetitions", ("hold_seconds", "hold_seconds_up_to"), ("minutes", "minutes_up_to"),
            ("times_a_day", "times_a_day_up_to"), "each_side", "stop_if", ("step_up_after_days", "step_up_by"),
        ]}),
        ("Dose of a position: how long to stay, when to change position (leave empty for an exercise)", {"fields": [
            ("stay_minutes", "stay_minutes_up_to"), "change_position_if",
        ]}),
    ]
    prepopulated_fields = {"slug": ("title",)}
    formfield_overrides = MARKDOWN_WIDGET


@admin.register(Guide)
class GuideAdmin(ContentAdmin):
    list_display = ("title", "is_published", "last_reviewed", "next_review_due", "review_state")
    actions = []
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "summary", "introduction", "conclusion", "key_points")


@admin.register(Step)
class StepAdmin(ContentAdmin):
    list_display = ("title", "order", "is_published", "last_reviewed", "next_review_due", "review_state")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "summary", "body")
    filter_horizontal = ("care_cards",)
    inlines = [StepItemInline]


@admin.register(Question)
class QuestionAdmin(ContentAdmin):
    list_display = ("question", "order", "is_published", "last_reviewed", "next_review_due", "review_state")
    prepopulated_fields = {"slug": ("question",)}
    search_fields = ("question", "answer")


@admin.register(Tip)
class TipAdmin(ContentAdmin):
    list_display = ("title", "order", "is_published", "last_reviewed", "next_review_due", "review_state")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "body")


@admin.register(CareCard)
class CareCardAdmin(ContentAdmin):
    form = CareCardForm
    list_display = ("heading", "level", "order", "is_published", "last_reviewed", "next_review_due", "review_state")
    list_filter = ("level", "is_published", ReviewStatusFilter)
    prepopulated_fields = {"slug": ("heading",)}
    search_fields = ("heading", "body")
    change_form_template = "admin/guides/carecard/change_form.html"


@admin.register(WarningSign)
class WarningSignAdmin(ContentAdmin):
    """Each warning sign once: every page lists it from here. Its card is its tier."""

    form = CareCardForm  # safety copy: a reason for every change
    list_display = ("words", "card", "order", "is_published", "last_reviewed", "next_review_due", "review_state")
    list_filter = ("card", "is_published", ReviewStatusFilter)
    list_select_related = ("card",)
    ordering = ("card__order", "order")
    actions = []  # its place is its order and card, changed (and signed off) on the sign itself
    prepopulated_fields = {"slug": ("words",)}
    search_fields = ("words", "key_phrases", "source_title")


@admin.register(MovedPage)
class MovedPageAdmin(admin.ModelAdmin):
    """Made automatically when a published page's slug changes; editors may tidy them."""

    list_display = ("old_path", "new_path", "moved_at")
    search_fields = ("old_path", "new_path")


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    """How each clinical reviewer signs their approvals, as readers see it."""

    list_display = ("public_name", "role", "user")
    search_fields = ("public_name", "role", "user__username")
