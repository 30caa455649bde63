"""The content checks in admin: on save (errors at the field, warnings to accept with a reason),
the rules editors extend, and the "Content checks" page. The admin hooks this in with one mixin."""

import functools
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from . import copy_checks as checks
from .content_checks import TEXT_FIELDS, by_reading_age, check_site, current_rules, item_for, page_of, stored_values
from .models import HISTORY_REASON_MAX, ClaimRule, HardWord, StepItem, admin_change_url

CHANGE_REASON_MAX = HISTORY_REASON_MAX


class ContentChecksFormMixin(forms.ModelForm):
    """Runs the content checks in clean(). Errors block publishing; new warnings need the box ticked."""

    accept_warnings = forms.BooleanField(
        label="Accept the warnings",
        required=False,
        widget=forms.HiddenInput,
        help_text="Tick to save despite the warnings shown above, and say why in 'Reason for change': "
        "your reason is kept in the history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._meta.model.markdown_fields:
            widget = self.fields[name].widget if name in self.fields else None
            if hasattr(widget, "preview_path"):  # asked when the widget renders, after the formset set the step
                widget.preview_path = functools.partial(self.preview_path, name)

    def preview_path(self, name):
        """The live preview's address for one field, so its checks know the field, the item and its page."""
        model, instance = self._meta.model, self.instance
        query = {"field": f"{model._meta.label_lower}.{name}"}
        if instance.pk:
            query["object"] = instance.pk
        elif model is StepItem:
            parent = getattr(self.fields.get("step"), "parent_instance", None)  # a new exercise of this step
            step_id = instance.step_id or getattr(parent, "pk", None)
            if step_id:
                query["step"] = step_id
        return f"{reverse('markdownx_markdownify')}?{urlencode(query)}"

    def clean(self):
        cleaned_data = super().clean()
        if self.errors or cleaned_data.get("DELETE") or not self.fields_valid(cleaned_data):
            return cleaned_data  # a stale, malformed or too long save comes first; a removed item needs no checks
        model = self._meta.model
        rules = current_rules()
        report = checks.check_item(self.checked_item(model, self.values_after(cleaned_data)), rules, self.today())
        before = set()
        if self.instance.pk is not None:
            stored = checks.check_item(self.checked_item(model, self.values_before()), rules, self.today())
            before = {key(p) for p in stored.warnings}
        self.content_check_report = report
        self.content_check_notes = []
        publishing = cleaned_data.get("is_published", getattr(self.instance, "is_published", True))
        for problem in report.errors:
            if publishing:
                self.add_error(self.field_for(problem), f"{problem.message}{quoted(problem)}")
            else:
                self.content_check_notes.append((messages.ERROR, f"Fix before publishing: {problem.message}"))
        pending = [p for p in report.warnings if key(p) not in before]
        if not pending or self.errors:
            return cleaned_data
        if not cleaned_data.get("accept_warnings"):
            self.fields["accept_warnings"].widget = forms.CheckboxInput()
            for problem in pending:
                self.add_error(self.field_for(problem), f"Warning: {problem.message}{quoted(problem)}")
            self.add_error(None, "The content checks found warnings (shown at each field). Change the text, or "
                           "tick 'Accept the warnings' and give a reason for the change.")
            return cleaned_data
        if "change_reason" in self.fields:
            reason = (cleaned_data.get("change_reason") or "").strip()
            if not reason:
                self.fields["accept_warnings"].widget = forms.CheckboxInput()
                self.add_error("change_reason", "Say why you are accepting the warnings: it is kept in the history.")
                return cleaned_data
            note = f" (accepted {len(pending)} check warning{'s' if len(pending) > 1 else ''})"
            cleaned_data["change_reason"] = reason[: CHANGE_REASON_MAX - len(note)] + note
        self.content_check_notes += [(messages.WARNING, f"Accepted: {p.message}") for p in pending]
        return cleaned_data

    def fields_valid(self, cleaned_data):
        """The model's own validators (such as the length limit) run after clean(): run them first here."""
        for name in TEXT_FIELDS[self._meta.model]:
            if name in cleaned_data:
                try:
                    self._meta.model._meta.get_field(name).run_validators(cleaned_data[name])
                except ValidationError:
                    return False
        return True

    def today(self):
        return timezone.localdate()

    def values_before(self):
        return stored_values(self.instance)

    def values_after(self, cleaned_data):
        return {**self.values_before(), **cleaned_data}

    def checked_item(self, model, values):
        obj = self.instance
        if model is StepItem and getattr(obj, "step_id", None) is None and values.get("step"):
            obj.step = values["step"]
        item = item_for(model, values, obj=obj if obj.pk or model is StepItem else None)
        cards = values.get("care_cards")
        if cards is not None:  # the cards chosen in the form, not the saved ones
            item.shows_emergency_card = any(card.is_emergency for card in cards)
        return item

    def field_for(self, problem):
        return problem.field if problem.field in self.fields else None


def key(problem):
    return (problem.check, problem.field, problem.excerpt or problem.message)


def quoted(problem):
    return f" (“{problem.excerpt}”)" if problem.excerpt and problem.excerpt not in problem.message else ""


def with_checks(form_class):
    if issubclass(form_class, ContentChecksFormMixin):
        return form_class
    return type(form_class.__name__, (ContentChecksFormMixin, form_class), {})


class ContentChecksAdminMixin:
    """For content ModelAdmins: their forms (and inline forms) run the content checks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = with_checks(self.form)

    def get_inline_instances(self, request, obj=None):
        instances = super().get_inline_instances(request, obj)
        for inline in instances:
            if not issubclass(inline.form, ContentChecksFormMixin):
                inline.form = with_checks(inline.form)
        return instances

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for level, note in getattr(form, "content_check_notes", ()):
            self.message_user(request, note, level)


@admin.register(ClaimRule)
class ClaimRuleAdmin(admin.ModelAdmin):
    list_display = ("phrase", "family", "severity", "allow_when_negated", "explanation")
    list_filter = ("family", "severity")
    fields = ("phrase", "family", "words_between", "severity", "allow_when_negated", "explanation")
    search_fields = ("phrase", "explanation")


@admin.register(HardWord)
class HardWordAdmin(admin.ModelAdmin):
    list_display = ("word", "plain")
    search_fields = ("word", "plain")


def content_checks_view(request):
    """Every item, worst reading age first, with its problems."""
    if not request.user.has_perm("guides.view_step"):
        raise PermissionDenied
    rows = []
    for page_report in by_reading_age(check_site()):
        obj = page_report.obj
        opts = obj._meta
        admin_obj = obj.step if isinstance(obj, StepItem) else obj
        rows.append({
            "page": page_of(page_report),
            "report": page_report.report,
            "admin_url": admin_change_url(type(admin_obj), admin_obj.pk),
            "kind": opts.verbose_name,
        })
    context = {
        **admin.site.each_context(request),
        "title": "Content checks",
        "rows": rows,
        "errors": sum(len(r["report"].errors) for r in rows),
        "warnings": sum(len(r["report"].warnings) for r in rows),
        "max_reading_age": checks.MAX_READING_AGE,
    }
    return TemplateResponse(request, "admin/guides/content_checks.html", context)
