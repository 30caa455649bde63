"""Every step page fits five phone screens (360 × 740 CSS px), its "Next" link inside them and at the top."""


import pytest
from playwright.sync_api import expect

from guides.models import Step

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


# Every step page fits five phone screens with Next inside them, and links to the warning signs on
# /help/: checked in the one pass over every page, tests/browser/test_every_page_on_a_phone.py.


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
