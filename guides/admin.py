from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from signoff import proposals, services
from signoff import views as signoff_views
from signoff.models import Proposal

from . import admin_sources  # noqa: F401 (registers the sources' admin)
from .admin_checks import ContentChecksAdminMixin
from .admin_editorial import OWNER_FIELDS, WITHDRAW_FIELDS, PublishOnForm, save_owners
from .admin_history import DiffContextHelper, StaleSaveCheck
from .admin_widgets import MarkdownFieldsMixin, PicturePickerMixin
from .models import (
    REVIEW_WARNING_DAYS, CareCard, Guide, MovedPage, Question, Step, StepItem, Tip, Topic, WarningSign,
    admin_change_url,
    record_as,
)

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


class ContentForm(PublishOnForm, forms.ModelForm):
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
        # The live item as the editor opened it (None for a new one): a save changing it proposes.
        self.live = type(self.instance).objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        # An open proposal's text is what its authors work on; the live copy stays as it is. A revert
        # form starts from the old version instead.
        proposal = proposals.open_proposal(self.live) if self.live and self.reverting_to() is None else None
        if proposal is not None:
            self.initial.update(proposals.form_initial(type(self.instance), proposal, self.fields))
            self.initial.setdefault("change_reason", proposal.reason)
            self.initial.setdefault("reader_note", proposal.note)
            self.initial.setdefault("publish_on", proposal.publish_on)


    def reverting_to(self):
        """The history record a revert form (django-simple-history's) starts from, else None."""
        return getattr(self.instance, "_history", None)

    def proposes_change(self):
        """Whether saving proposes a change to a live item for sign-off instead of saving it: any
        change to a published item, and publishing a draft (signoff.services.needs_sign_off)."""
        return self.live is not None and services.needs_sign_off(self.live, proposals.form_values(self.instance, self))

    def _save_m2m(self):
        # A proposed change leaves the live item's lists (a step's care cards) as they are: they are in
        # the proposal. The revert view calls save_m2m() itself, after save_model().
        if not self.proposes_change():
            super()._save_m2m()


class CareCardForm(ContentForm):
    change_reason = forms.CharField(
        label="Reason for change",
        max_length=100,
        help_text="Required for safety copy. It is stored with the history, e.g. 'Added NHS 111 online'.",
    )


class SignOff:
    """Clinical sign-off in the admin: a change to a published item (or publishing a draft) is
    proposed through signoff.services instead of saved; the item's page shows its sign-off
    (signoff_tags) and hands a posted decision to signoff.views, which asks the service."""

    readonly_fields = proposals.REVIEW_FIELDS

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id and signoff_views.posted_action(request.POST):
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            return signoff_views.decide(request, obj)
        extra_context = {**(extra_context or {}), "signed_off": True}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        record_as(obj, request.user, form.cleaned_data.get("change_reason", ""))
        if form.proposes_change():
            save_owners(form, request.user)  # people, not copy: written at once
            if form.reverting_to() is not None:  # the revert view saves no formsets: the exercises come from the history
                self.propose(request, form, proposals.children_as_of(form.live, form.reverting_to().history_id))
            return  # the live copy is not touched
        if not change:  # a new item is a draft; publishing it waits for sign-off (save_related)
            services.start_draft(obj)
        elif services.keep_as_draft(form.live, request.user) is not None:
            self.message_user(request, f"Publishing “{obj}” no longer waits for sign-off: you unticked "
                              "Published, so it stays a draft. Tick Published again to propose it.",
                              messages.WARNING)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if form.proposes_change():
            proposal = proposals.open_proposal(form.live)
            values = proposals.formset_values(form.live, formsets, proposal)
            wanted = {**proposals.form_values(form.instance, form), **values}
            if proposal is not None or not proposals.same_values(proposals.values_of(form.live), wanted):
                self.propose(request, form, values)  # not when only the owner or deputy changed
            return
        super().save_related(request, form, formsets, change)  # a new draft gets its exercises
        if not change and form.cleaned_data.get("is_published"):
            draft = type(form.instance).objects.get(pk=form.instance.pk)
            self.propose(request, form, {**proposals.values_of(draft), "is_published": True}, live=draft)

    def propose(self, request, form, values, live=None):
        live = live or form.live
        if live is form.live:
            values = {**proposals.form_values(form.instance, form), **values}
        data = form.cleaned_data
        services.propose(live, values, request.user, data.get("change_reason", ""), data.get("reader_note", ""),
                         data.get("publish_on"))

    def construct_change_message(self, request, form, formsets, add=False):
        if not add and form.proposes_change():
            return "Proposed a change for sign-off."  # the exercises' forms were not saved
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        return self.response_proposed(request, obj) or super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_proposed(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_proposed(self, request, obj):
        """After a save that proposed a change (every save that leaves one open does), back to the item."""
        if proposals.open_proposal(obj) is None:
            return None
        self.message_user(
            request,
            f"Your change to “{obj}” is waiting for sign-off. Readers see the current copy until a "
            "clinical reviewer approves it.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(admin_change_url(type(obj), obj.pk))

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        events = proposals.sign_off_history(obj) if obj is not None else []
        return super().history_view(request, object_id, {**(extra_context or {}), "signoff_events": events})


def authors_of(proposal):
    return ", ".join(author.get_username() for author in proposal.authors.all())


class ContentAdmin(
    MarkdownFieldsMixin, ContentChecksAdminMixin, StaleSaveCheck, SignOff, PicturePickerMixin, SimpleHistoryAdmin,
):
    """Every change goes through the stale-save check and sign-off (no list_editable: it would skip both)."""

    form = ContentForm
    list_filter = ("is_published", ReviewStatusFilter)
    actions = ["move_up", "move_down"]

    def has_delete_permission(self, request, obj=None):
        # Published copy goes only through the sign-off (guides.publishing refuses a delete otherwise):
        # unpublish it first, which is a change a reviewer approves.
        return super().has_delete_permission(request, obj) and not getattr(obj, "is_published", False)

    def get_fieldsets(self, request, obj=None):
        """The copy first; publishing and review dates after it; the reason and note last, by the buttons."""
        fields = self.get_fields(request, obj)
        review = [name for name in ("is_published", *proposals.REVIEW_FIELDS, *OWNER_FIELDS, *WITHDRAW_FIELDS) if name in fields]
        last = ["change_reason", "reader_note", "publish_on"]
        copy = [name for name in fields if name not in review + last]
        return [(None, {"fields": copy}), ("Publishing and review", {"fields": review}), (None, {"fields": last})]

    @admin.action(description="Move selected items up one place", permissions=["change"])
    def move_up(self, request, queryset):
        self.move(request, queryset, "up")

    @admin.action(description="Move selected items down one place", permissions=["change"])
    def move_down(self, request, queryset):
        self.move(request, queryset, "down")

    def move(self, request, queryset, direction):
        """Drafts move at once; a new place for a published item waits for sign-off (signoff.services)."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            results = services.reorder(self.model, queryset, direction, request.user)
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
        proposal = proposals.open_proposal(self.instance) if self.instance.pk else None
        self.proposed = None
        if proposal is not None and "items" in proposal.proposed:
            self.proposed = proposals.preview_children(self.instance, proposal)
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


class StepItemInline(MarkdownFieldsMixin, PicturePickerMixin, admin.StackedInline):
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


@admin.register(Guide)
class GuideAdmin(ContentAdmin):
    list_display = ("title", "is_published", "last_reviewed", "next_review_due", "review_state")
    actions = []
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "summary", "introduction", "conclusion", "key_points")
    filter_horizontal = ("sources",)


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


@admin.register(Topic)
class TopicAdmin(ContentAdmin):
    list_display = ("title", "order", "is_published", "last_reviewed", "next_review_due", "review_state")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "summary", "body")
    filter_horizontal = ("care_cards", "sources")


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
    search_fields = ("words", "key_phrases", "sources__title")
    filter_horizontal = ("sources",)


@admin.register(MovedPage)
class MovedPageAdmin(admin.ModelAdmin):
    """Made automatically when a published page's slug changes; editors may tidy them."""

    list_display = ("old_path", "new_path", "moved_at")
    search_fields = ("old_path", "new_path")
