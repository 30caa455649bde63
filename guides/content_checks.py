"""Runs the content checks (guides/copy_checks/) on the site's models: what the admin, the live
preview and `check_content` share. The checks stay pure; this module knows the pages."""

import dataclasses

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from . import copy_checks as checks
from .markdown import render_markdown
from .models import CareCard, ClaimRule, Guide, HardWord, MovedPage, Question, Step, StepItem, Tip, Topic, WarningSign

# Where each Markdown field's own headings start on its page (None: the field may have none).
HEADING_LEVELS = {
    (Guide, "introduction"): 2,  # under the page's h1
    (Guide, "conclusion"): 3,  # under "In short" (h2)
    (Guide, "key_points"): 4,  # under "Key points" (h3)
    (Guide, "check_first"): None,  # under its own h2 or h3
    (Step, "body"): 3,  # under an h2 (hidden on the step page, the step's title on /guide/all/)
    (StepItem, "text"): 4,  # under the item's title (h3)
    (Question, "answer"): None,  # under an h1 on its page but an h2 on /faq/
    (Tip, "body"): 3,  # under the tip's title (h2)
    (Topic, "body"): 2,  # under the page's h1
    (CareCard, "body"): None,  # under the card's heading (h2 or h3)
}
PLAIN_FIELDS = {
    Guide: ("title", "summary"),
    Step: ("title", "summary", "illustration_caption"),
    StepItem: ("title", "stop_if", "change_position_if"),
    Question: ("question",),
    Tip: ("title",),
    Topic: ("title", "summary"),
    CareCard: ("heading",),
    WarningSign: ("words",),
}
CHECKED_MODELS = (Guide, Step, StepItem, Question, Topic, Tip, CareCard, WarningSign)
TEXT_FIELDS = {model: (*PLAIN_FIELDS[model], *model.markdown_fields) for model in CHECKED_MODELS}


def current_rules():
    """The rules as admins set them, and what the site knows about its own pages."""
    return checks.Rules(
        claims=tuple(
            checks.ClaimRule(
                r.phrase, r.severity, r.explanation, r.allow_when_negated, r.get_family_display(), r.words_between
            )
            for r in ClaimRule.objects.all()
        ),
        hard_words=tuple(checks.HardWord(w.word, w.plain) for w in HardWord.objects.all()),
        link_exists=page_exists,
        emergency_links=emergency_card_paths(),
        warning_signs=warning_sign_rules(),
    )


def warning_sign_rules():
    """Each published warning sign as the checks see it: its words, the phrases that name it, its tier."""
    signs = WarningSign.objects.published().select_related("card")
    return tuple(
        checks.WarningSign(sign.words, tuple(sign.phrases), sign.card.slug, sign.card.heading.rstrip(":"), sign.card.level)
        for sign in signs
    )


def page_exists(path):
    """A local address resolves to a view, and a step or answer with that slug exists (or has moved)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    model = {"guides:step": Step, "guides:question": Question, "guides:topic": Topic}.get(match.view_name)
    if model is None:
        return True
    return model.objects.filter(slug=match.kwargs.get("slug")).exists() or MovedPage.objects.filter(
        old_path=path
    ).exists()


def emergency_card_paths():
    """Pages that show the whole emergency card: the home page, the help page, and steps that carry it."""
    paths = {reverse("guides:home")}
    try:
        paths.add(reverse("guides:help"))
    except NoReverseMatch:
        pass  # the help page is not on this branch yet
    for model in (Step, Topic):
        pages = model.objects.filter(care_cards__level__in=CareCard.EMERGENCY_LEVELS).distinct()
        paths.update(page.get_absolute_url() for page in pages)
    return frozenset(paths)


def markdown_field(model, name, text, html=None):
    return checks.Field(
        name=name,
        text=text or "",
        html=render_markdown(text or "") if html is None else html,
        heading_level=HEADING_LEVELS.get((model, name)),
    )


def item_for(model, values, *, obj=None, rendered=False, changed_since_review=None):
    """A checks.Item from field values (a saved object's, or a form's cleaned data).

    With `rendered`, Markdown fields use the HTML stored on save instead of rendering again.
    """
    fields = [checks.Field(name=name, text=values.get(name) or "") for name in PLAIN_FIELDS[model]]
    for name in model.markdown_fields:
        html = values.get(f"{name}_html") if rendered else None
        fields.append(markdown_field(model, name, values.get(name), html))
    pictures = []
    if "illustration_alt" in values:
        pictures.append(("illustration_alt", bool(values.get("illustration")), values.get("illustration_alt")))
    step = obj if model is Step else getattr(obj, "step", None) if model is StepItem else None
    shows_card = model is Guide
    page_text = ""
    if model is Topic and obj is not None and obj.pk:
        shows_card = any(card.is_emergency for card in obj.care_cards.all())
    if step is not None and step.pk:
        shows_card = any(card.is_emergency for card in step.care_cards.all())
        others = [item for item in step.items.all() if item.pk != getattr(obj, "pk", None) or model is Step]
        page_text = " ".join(f"{render_plain(item.text_html)} {stop_line(item.stop_if)}" for item in others)
        if model is StepItem:
            page_text += " " + render_plain(step.body_html)
    if model is StepItem:
        page_text += " " + stop_line(values.get("stop_if"))
    return checks.Item(
        label=str(obj) if obj is not None else "",
        kind=model._meta.verbose_name,
        fields=fields,
        pictures=pictures,
        is_emergency_card=model is CareCard and values.get("level") in CareCard.EMERGENCY_LEVELS,
        is_warning_sign=model is WarningSign,
        shows_emergency_card=shows_card,
        needs_stop_advice=model in (Step, StepItem),
        page_text=page_text,
        last_reviewed=values.get("last_reviewed"),
        next_review_due=values.get("next_review_due"),
        changed_since_review=changed_since_review,
    )


def errors_before_publishing(obj, children=None, cards=None):
    """The errors the checks find in an item as it is about to be saved (its unsaved values), with a
    step's exercises as they will be (`children`: their values; None: as stored) and the care cards
    it will show (`cards`: their keys; None: as stored). No approval may publish any of them."""
    model = type(obj)
    rules, today = current_rules(), timezone.localdate()
    if children is None and model is Step:
        children = [stored_values(child) for child in obj.items.all()] if obj.pk else []
    exercises = []
    for values in children or ():
        fields = {name: value for name, value in values.items() if name != "id" and not name.endswith("_html")}
        exercises.append(StepItem(pk=values.get("id"), step=obj, **fields))
    if cards is None:
        levels = [card.level for card in obj.care_cards.all()] if model in (Step, Topic) and obj.pk else []
    else:
        levels = list(CareCard.objects.filter(pk__in=cards).values_list("level", flat=True))
    shows_card = any(level in CareCard.EMERGENCY_LEVELS for level in levels)

    def page_text(*others):
        return " ".join(f"{render_plain(render_markdown(item.text))} {stop_line(item.stop_if)}" for item in others)

    item = item_for(model, stored_values(obj))  # obj=None: the page's text is given below, as it will be
    if model is Topic:
        item.shows_emergency_card = shows_card
    if model is Step:
        item.shows_emergency_card, item.page_text = shows_card, page_text(*exercises)
        item.label = str(obj)
    problems = list(checks.check_item(item, rules, today).errors)
    for exercise in exercises:
        checked = item_for(StepItem, stored_values(exercise))
        others = [other for other in exercises if other is not exercise]
        checked.shows_emergency_card = shows_card
        checked.page_text = " ".join(
            [page_text(*others), render_plain(render_markdown(obj.body)), stop_line(exercise.stop_if)]
        )
        problems += checks.check_item(checked, rules, today).errors
    return problems


def stored_values(obj):
    """An object's field values as stored ({attname: value}), what the checks start from."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def stop_line(stop_if):
    """An item's 'Stop if …' line, as the page shows it under the dose."""
    return f"Stop if {stop_if}" if stop_if else ""


def render_plain(html):
    return " ".join(checks.outline(html).blocks)


def history_of(model, pks=None):
    """Each item's history records, oldest first, by primary key: one query for a whole model."""
    if not hasattr(model, "history") or not hasattr(model, "last_reviewed"):
        return {}
    records = model.history.model.objects.order_by("history_date")
    if pks is not None:
        records = records.filter(id__in=pks)
    by_pk = {}
    for record in records.only("id", "history_date", "last_reviewed", *TEXT_FIELDS[model]):
        by_pk.setdefault(record.id, []).append(record)
    return by_pk


def changed_since_review(obj, records=None):
    """When the text first changed after the current review date was set, from the history; or None."""
    if not hasattr(obj, "last_reviewed"):
        return None
    names = TEXT_FIELDS[type(obj)]
    if records is None:
        records = history_of(type(obj), [obj.pk]).get(obj.pk, [])
    reviewed = [r for r in records if r.last_reviewed == obj.last_reviewed]
    if not reviewed:
        return None
    text_at_review = [getattr(reviewed[0], n) for n in names]
    later = [r for r in records if r.history_date > reviewed[0].history_date]
    changed = [r for r in later if [getattr(r, n) for n in names] != text_at_review]
    return timezone.localtime(changed[0].history_date).date() if changed else None


def check_object(obj, rules=None, today=None, history=None):
    values = stored_values(obj)
    changed = changed_since_review(obj, history)
    item = item_for(type(obj), values, obj=obj, rendered=True, changed_since_review=changed)
    return checks.check_item(item, rules or current_rules(), today or timezone.localdate())


@dataclasses.dataclass
class PageReport:
    """One item's report with where it lives."""

    obj: object
    report: checks.Report

    @property
    def url(self):
        try:
            return self.obj.get_absolute_url()
        except AttributeError:
            return None


def check_site(today=None):
    """Every item of content, checked; the rules are read once."""
    rules = current_rules()
    today = today or timezone.localdate()
    reports = []
    for model in CHECKED_MODELS:
        queryset = model.objects.all()
        if model is Step:
            queryset = queryset.prefetch_related("items", "care_cards")
        if model is StepItem:
            queryset = queryset.select_related("step").prefetch_related("step__items", "step__care_cards")
        history = history_of(model)
        reports += [
            PageReport(obj, check_object(obj, rules, today, history.get(obj.pk, []))) for obj in queryset
        ]
    return reports


def page_of(page_report):
    """The page an item is read on: its address without the anchor (care cards appear on several)."""
    if isinstance(page_report.obj, CareCard):
        return "Care cards (on the home page, the steps that use them and the help page)"
    return (page_report.url or "").split("#")[0]


def pages_of(reports):
    """The reports grouped by page, in site order."""
    pages = {}
    for page_report in reports:
        pages.setdefault(page_of(page_report), []).append(page_report)
    return pages


def by_reading_age(reports):
    """Worst first: the highest reading age, then the most problems."""
    return sorted(reports, key=lambda r: (-r.report.figures.reading_age, -len(r.report.problems)))


def check_preview(text, html, model=None, name=None, obj=None):
    """The checks the live preview shows for one Markdown field, as the editor types.

    Told the field (`model`, `name`), it checks the field as the save will: headings at their
    level on the page; and, told the item too (`obj`: saved, or a new exercise of a saved step),
    the emergency signs and stop advice against the rest of its page. Told nothing, it leaves
    out the checks that need the page; the save runs them."""
    rules = current_rules()
    if model is None:
        field = checks.Field(name="preview", text=text or "", html=html)
        figures, problems = checks.check_field(field, rules)
        problems = [p for p in problems if p.check not in PAGE_CHECKS]
    else:
        values = stored_values(obj) if obj else {}
        values.update({name: text, f"{name}_html": html})
        item = item_for(model, values, obj=obj, rendered=True)
        field = next(field for field in item.fields if field.name == name)
        figures, problems = checks.check_field(field, rules, item, checks.item_text_of(item))
        if obj is None:  # a new item: which page it goes on, and with which card, is not known yet
            problems = [p for p in problems if p.check not in PAGE_CHECKS - {"heading"}]
    sentences = checks.split_sentences(checks.field_blocks(field))
    return figures, problems, sentences


PAGE_CHECKS = {"heading", "emergency-signs", "stop-advice"}
