import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_my_plan_explains_itself_without_javascript_and_links_to_the_exercise_sheet(client):
    html = client.get(reverse("guides:my_plan")).content.decode()
    assert "<h1>My plan</h1>" in html
    assert "needs JavaScript" in html
    assert f'href="{reverse("guides:exercises")}"' in html


def test_my_plan_is_in_the_sitemap_and_page_cached_without_any_sql(client, django_assert_num_queries):
    assert "http://testserver/my-plan/" in client.get("/sitemap.xml").content.decode()
    first = client.get(reverse("guides:my_plan"))
    with django_assert_num_queries(0):
        again = client.get(reverse("guides:my_plan"))
    assert again.content == first.content


def test_the_step_up_rule_follows_nhs_inform_on_the_exercises_with_repeats_and_never_on_positions():
    from guides.models import StepItem

    for item in StepItem.objects.all():
        if item.stay_minutes:
            assert not item.step_up, item.slug
    pelvic_tilt = StepItem.objects.get(slug="pelvic-tilt")
    assert (pelvic_tilt.repetitions, pelvic_tilt.step_up_after_days, pelvic_tilt.step_up_by) == (5, 3, 1)
    assert pelvic_tilt.step_up == "Add 1 more repeat every 3 days, if it has not made your pain worse"


def test_a_step_up_needs_both_numbers_and_an_exercise_with_repeats():
    from django.core.exceptions import ValidationError

    from guides.models import StepItem

    walking = StepItem.objects.get(slug="walking")
    walking.step_up_after_days, walking.step_up_by = 3, 1
    with pytest.raises(ValidationError):
        walking.full_clean()


def test_my_plan_holds_every_exercise_ready_to_show_with_its_dose_and_step_up_rule(client):
    from django.utils.html import escape

    from guides.models import StepItem

    html = client.get(reverse("guides:my_plan")).content.decode()
    for item in StepItem.objects.select_related("step"):
        assert f'<template data-plan-item="{item.step.slug}/{item.slug}"' in html, item.slug
        for part in item.dose:
            assert part in html, (item.slug, part)
    assert 'data-step-up-after="3" data-step-up-by="1"' in html
    assert escape(StepItem.objects.get(slug="pelvic-tilt").step_up) in html


def test_something_has_changed_shows_the_signs_that_mean_now_in_full_and_links_to_the_others(client):
    # As the offline page and the exercise sheet do: the 999 and A&E signs in full; the urgent and
    # soon tiers as boxes linking to their signs on /help/ (kept offline too), as on the steps.
    from django.utils.html import escape

    from guides.models import CareCard, WarningSign

    html = client.get(reverse("guides:my_plan")).content.decode()
    panel = html[html.index('id="plan-changed"'):html.index("Tick what has changed")]
    for sign in WarningSign.objects.filter(is_published=True).select_related("card"):
        shown = escape(sign.words) in panel or sign.words in panel
        assert shown == sign.card.is_emergency, sign.slug
    for card in CareCard.objects.filter(is_published=True).exclude(level__in=CareCard.EMERGENCY_LEVELS):
        assert f'<a href="/help/#{card.slug}">See the {card.signs.count()} signs' in panel, card.slug
    for anchor in ("emergency", "a-and-e", "urgent", "non-urgent"):
        assert f'href="/help/#{anchor}"' in html


def test_each_exercise_on_a_step_page_can_be_added_to_my_plan(client):
    html = client.get(reverse("guides:step", kwargs={"slug": "warm-up"})).content.decode()
    assert re.search(r'<ul class="items[^"]*" data-plan-step="warm-up">', html) and 'id="pelvic-tilt"' in html
    assert 'src="/static/js/plan-add.js" data-plan-url="/my-plan/"' in html
    assert '<a href="/my-plan/">My plan</a>' in html
