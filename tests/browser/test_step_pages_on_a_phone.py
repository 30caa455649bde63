"""Every step page fits five phone screens (360 × 740 CSS px), its "Next" link inside them and at the top."""

import re

import pytest
from playwright.sync_api import expect

from guides.models import Step

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SCREENS = 5


def test_every_step_page_fits_five_phone_screens_with_next_inside_them(site, new_page, artifacts):
    page = new_page(viewport=PHONE)
    heights = {}
    for step in Step.objects.published():
        page.goto(site + step.get_absolute_url())
        height = page.evaluate("document.documentElement.scrollHeight")
        heights[step.slug] = round(height / PHONE["height"], 2)
        assert height <= SCREENS * PHONE["height"], (step.slug, heights[step.slug])

        top, bottom = page.locator(".pager--top"), page.locator(".pager--bottom")
        expect(top.get_by_role("link", name=re.compile(r"^Next"))).to_be_in_viewport()
        next_link = bottom.get_by_role("link", name=re.compile(r"^Next"))
        box = next_link.bounding_box()
        scrolled = page.evaluate("window.scrollY")
        assert box["y"] + scrolled + box["height"] <= SCREENS * PHONE["height"], step.slug
        # The warning signs are a tap away, on /help/, never listed in full here.
        assert page.locator(".care-card__signs").count() == 0, step.slug
        for box_link in page.locator(".tier-box a[href*='/help/#']").all():
            assert re.search(r"/help/#[a-z-]+$", box_link.get_attribute("href"))
    page.goto(site + Step.objects.published()[1].get_absolute_url())
    page.screenshot(path=artifacts / "step-page-phone.png", full_page=True)
    print("Step page heights in screens of 360 × 740:", heights)


def test_an_exercise_shows_its_dose_and_opens_to_say_how_to_do_it(site, new_page):
    page = new_page(viewport=PHONE)
    step = Step.objects.get(slug="warm-up")
    item = step.items.first()
    page.goto(site + step.get_absolute_url())
    row = page.locator(f"#{item.slug}")
    expect(row.locator(".dose")).to_be_visible()
    how = row.get_by_text("How to do it")
    expect(row.locator(".item__how p, .item__how ol, .item__how ul").first).to_be_hidden()
    how.click()
    expect(row.locator(".item__how p, .item__how ol, .item__how ul").first).to_be_visible()
