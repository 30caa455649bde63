"""Every exercise and every position shows its dose to a reader, on every step page (issue 27)."""

import pytest
from playwright.sync_api import expect

from guides.models import Step, StepItem

pytestmark = pytest.mark.browser


def test_every_exercise_and_position_on_every_step_page_shows_a_dose(site, page):
    checked = 0
    for step in Step.objects.published():
        slugs = list(StepItem.objects.filter(step=step).order_by("order").values_list("slug", flat=True))
        page.goto(site + step.get_absolute_url())
        expect(page.locator("li.item")).to_have_count(len(slugs))
        for slug in slugs:
            item = page.locator(f"li.item[id='{slug}']")
            parts = item.locator(".dose .dose__parts li")
            expect(parts.first).to_be_visible()
            assert parts.count() >= 1 and parts.first.inner_text().strip(), f"{step.slug}#{slug} shows no dose"
            when = item.locator(".dose .dose__stop")
            expect(when).to_be_visible()
            assert when.inner_text().startswith(("Stop if", "Change position if")), f"{step.slug}#{slug}"
            checked += 1
    assert checked == StepItem.objects.filter(step__in=Step.objects.published()).count() >= 10


def test_a_position_says_how_long_to_stay_and_when_to_change(site, page):
    position = StepItem.objects.get(slug="on-all-fours")
    page.goto(site + position.get_absolute_url())
    item = page.locator("li.item[id='on-all-fours']")
    expect(item.locator(".dose__parts li").first).to_have_text(position.dose[0])
    expect(item.locator(".dose__change")).to_have_text(f"Change position if {position.change_position_if}")
