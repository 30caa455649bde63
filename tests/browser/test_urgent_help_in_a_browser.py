"""The way to the 999 signs on a 360 × 740 phone: first in every header, at the top of the home page."""

import re

import pytest
from playwright.sync_api import expect

from guides.models import Question

pytestmark = pytest.mark.browser

SCREEN = {"width": 360, "height": 740}


def rgb(css_colour):
    return tuple(int(part) for part in re.findall(r"\d+", css_colour)[:3])


def contrast(one, two):
    def luminance(colour):
        channels = [c / 255 for c in colour]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def is_red(colour):
    red, green, blue = colour
    return red >= 180 and green <= 80 and blue <= 80


def inside_first_screen(locator):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SCREEN["height"]


# Every page's urgent-help link (first screen, next tab stop after the skip link) is checked in the
# one 360 px pass over every page: tests/browser/test_every_page_on_a_phone.py.


def test_the_urgent_help_link_opens_the_999_signs_without_javascript(site, new_page):
    page = new_page(viewport=SCREEN, java_script_enabled=False)
    page.goto(site + "/guide/engage-your-core/")
    page.locator(".urgent-link").click()

    assert page.url == site + "/help/#emergency"
    heading = page.locator("#emergency .care-card__heading")
    expect(heading).to_contain_text("Call 999")
    expect(heading).to_be_in_viewport()


def test_on_the_home_page_the_999_summary_is_inside_the_first_screen_and_leads_to_both_cards(site, new_page):
    page = new_page(viewport=SCREEN)
    page.goto(site + "/")
    summary = page.locator(".emergency-summary")
    expect(summary).to_contain_text("Call 999")
    assert inside_first_screen(summary)

    expect(summary.get_by_role("link", name="999", exact=True)).to_have_attribute("href", "tel:999")
    for anchor in ("emergency", "a-and-e"):
        page.goto(site + "/")
        page.locator(".emergency-summary").locator(f'a[href="/help/#{anchor}"]').click()
        expect(page.locator(f"#{anchor} .care-card__heading")).to_be_in_viewport()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_emergency_card_heading_is_red_in_both_colour_schemes(site, new_page, color_scheme):
    page = new_page(viewport=SCREEN, color_scheme=color_scheme)
    page.goto(site + "/help/")
    colours = page.locator("#emergency .care-card__heading").evaluate(
        "(h) => [getComputedStyle(h).backgroundColor, getComputedStyle(h).color]"
    )
    background, text = rgb(colours[0]), rgb(colours[1])
    assert is_red(background), colours
    assert contrast(background, text) >= 4.5, colours
    border = rgb(page.locator("#emergency").evaluate("(c) => getComputedStyle(c).borderTopColor"))
    page_background = rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    assert is_red(border) and contrast(border, page_background) >= 3


def test_the_faq_lists_its_questions_before_the_first_answer_and_shares_each_answer_one_way(site, new_page):
    questions = list(Question.objects.published())
    page = new_page(viewport=SCREEN)
    page.goto(site + "/faq/")

    listed = page.locator(".contents a")
    expect(listed).to_have_count(len(questions))
    last_listed = listed.last.bounding_box()
    first_answer = page.locator("section.answer").first.bounding_box()
    assert last_listed["y"] + last_listed["height"] <= first_answer["y"]

    listed.nth(2).click()
    expect(page.locator(f"h2#{questions[2].slug}")).to_be_in_viewport()
    for answer in page.locator("section.answer").all():
        expect(answer.locator(".permalink").get_by_role("button", name=re.compile("^Copy link"))).to_have_count(1)
        expect(answer.locator(".permalink a")).to_have_count(0)


def test_without_javascript_each_answer_keeps_its_plain_link(site, new_page):
    page = new_page(viewport=SCREEN, java_script_enabled=False)
    page.goto(site + "/faq/")
    for answer in page.locator("section.answer").all():
        expect(answer.locator(".permalink a")).to_have_count(1)
        expect(answer.locator(".permalink button")).to_have_count(0)


# Each exercise's dose on a phone (one line, when to stop, inside the screen) is checked in the one
# pass over every page: tests/browser/test_every_page_on_a_phone.py.
