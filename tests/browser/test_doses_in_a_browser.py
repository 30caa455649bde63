"""Every exercise and every position shows its dose to a reader, on every step page (issue 27)."""

import pytest
from playwright.sync_api import expect

from guides.models import StepItem

pytestmark = pytest.mark.browser


# Every exercise and position on every step page shows a dose: checked in the one pass over every
# page, tests/browser/test_every_page_on_a_phone.py.


def test_a_position_says_how_long_to_stay_and_when_to_change(site, page):
    position = StepItem.objects.get(slug="on-all-fours")
    page.goto(site + position.get_absolute_url())
    item = page.locator("li.item[id='on-all-fours']")
    expect(item.locator(".dose__parts li").first).to_have_text(position.dose[0])
    expect(item.locator(".dose__change")).to_have_text(f"Change position if {position.change_position_if}")
