"""What a reader sees and does in a real browser: Debian's Chromium, headless, against live_server."""

import re

import pytest
from playwright.sync_api import expect

from guides.models import Question, Step

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_a_reader_clicks_next_through_all_eight_steps_and_back_with_previous(site, page):
    titles = list(Step.objects.published().values_list("title", flat=True))
    assert len(titles) == 8

    page.goto(site + "/")
    page.get_by_role("link", name="Start with step 1").click()
    for number, title in enumerate(titles, start=1):
        expect(page.locator(".progress")).to_have_text(f"Step {number} of 8")
        expect(page.locator("h1")).to_have_text(title)
        if number < 8:
            page.locator(".pager--bottom").get_by_role("link", name=re.compile(r"^Next")).click()

    for number in range(7, 0, -1):
        page.locator(".pager--bottom").get_by_role("link", name=re.compile(r"^Previous")).click()
        expect(page.locator(".progress")).to_have_text(f"Step {number} of 8")
        expect(page.locator("h1")).to_have_text(titles[number - 1])
    expect(page.locator(".pager--bottom").get_by_role("link", name=re.compile(r"^Previous"))).to_have_count(0)


def test_a_link_to_an_faq_answer_scrolls_to_that_answer_and_highlights_it(site, new_page):
    questions = list(Question.objects.published())
    target, other = questions[len(questions) // 2], questions[0]
    page = new_page(reduced_motion="reduce")

    page.goto(f"{site}/faq/#{target.slug}")

    heading = page.locator(f"h2#{target.slug}")
    expect(heading).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    style = """(section) => {
      const s = getComputedStyle(section);
      return {outline: s.outlineStyle, background: s.backgroundColor};
    }"""
    highlighted = page.locator(f"section.answer:has(#{target.slug})").evaluate(style)
    plain = page.locator(f"section.answer:has(#{other.slug})").evaluate(style)
    assert highlighted["outline"] == "solid"
    assert plain["outline"] == "none"
    assert highlighted["background"] != plain["background"]


def test_copy_link_puts_the_answers_permalink_on_the_clipboard(site, page):
    question = Question.objects.published()[1]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(site + "/faq/")

    answer = page.locator(f"section.answer:has(#{question.slug})")
    answer.get_by_role("button", name=re.compile(r"^Copy link")).click()

    expect(answer.get_by_role("status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == site + question.get_absolute_url()


# Every page at 360 px (fit, pictures, landmarks, the way to urgent help) and axe in light and dark
# are checked in one pass over every page: tests/browser/test_every_page_on_a_phone.py.


def test_a_step_page_reads_comfortably_on_a_phone_and_on_a_desktop(site, new_page):
    step = Step.objects.published()[2]
    page = new_page(viewport=PHONE)
    page.goto(site + step.get_absolute_url())

    assert float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px")) >= 18
    for link in page.locator(".pager__link").all():
        box = link.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    # Focus is visible: links reached with the keyboard turn dark on yellow, in the header too.
    colours = "(a) => [getComputedStyle(a).color, getComputedStyle(a).backgroundColor]"
    for link in (page.locator(".pager__link").last, page.locator(".site-nav a").first):
        before = link.evaluate(colours)
        link.focus()
        assert link.evaluate(colours) == ["rgb(33, 43, 50)", "rgb(255, 235, 59)"] != before

    # On a wide screen, lines hold about 65 characters of the page's own text.
    page = new_page(viewport=DESKTOP)
    page.goto(site + step.get_absolute_url())
    characters_per_line = page.evaluate(
        """() => {
          const prose = document.querySelector(".prose");
          const text = prose.querySelector("p").textContent;
          const probe = document.createElement("span");
          probe.style.whiteSpace = "nowrap";
          probe.textContent = text;
          prose.appendChild(probe);
          const perCharacter = probe.getBoundingClientRect().width / text.length;
          probe.remove();
          return prose.getBoundingClientRect().width / perCharacter;
        }"""
    )
    assert 55 <= characters_per_line <= 75


def test_printing_the_whole_guide_hides_navigation_and_keeps_every_steps_words(site, page, load_every_image, artifacts):
    steps = list(Step.objects.published())
    page.goto(site + "/guide/all/")
    load_every_image(page)
    page.emulate_media(media="print")

    for chrome in page.locator("nav, .site-header, .skip-link").all():
        expect(chrome).to_be_hidden()
    sections = page.locator(".step-section")
    expect(sections).to_have_count(len(steps))
    for section, step in zip(sections.all(), steps):
        expect(section).to_be_visible()
        expect(section.locator(f"#{step.slug}-heading")).to_have_text(step.title)
        expect(section.locator(".prose").first).to_be_visible()
        # Words only (the page stays under 14 KB): the link to the step's pictures is no use on paper.
        expect(section.locator(".pictures-link")).to_be_hidden()
    for card in page.locator(".care-card").all():
        expect(card).to_be_visible()
    # Printed links show where they go.
    source = page.locator(".care-card__body a[href^='http']").first
    href = source.get_attribute("href")
    assert href in source.evaluate("(a) => getComputedStyle(a, '::after').content")

    page.pdf(path=artifacts / "guide-all-print.pdf", format="A4")


def test_screenshots_of_home_a_step_and_an_faq_answer_at_phone_and_desktop_widths(
    site, new_page, load_every_image, artifacts
):
    step = Step.objects.published()[1]
    question = Question.objects.published()[3]
    shots = {
        "home": "/",
        "step": step.get_absolute_url(),
        "answer": question.get_absolute_url(),
        "faq-target": f"/faq/#{question.slug}",
    }
    written = []
    for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(viewport=viewport, reduced_motion="reduce", device_scale_factor=2 if width_name == "phone" else 1)
        for name, path in shots.items():
            page.goto(site + path)
            load_every_image(page)
            if name == "faq-target":
                # The page scrolls to the answer on load; keep that view.
                page.locator(f"h2#{question.slug}").scroll_into_view_if_needed()
            for color_scheme, suffix in (("light", ""), ("dark", "-dark")):  # one visit, both schemes
                page.emulate_media(color_scheme=color_scheme)
                file = artifacts / f"{name}-{width_name}{suffix}.png"
                page.screenshot(path=file)
                written.append(file)
    assert all(file.stat().st_size > 10_000 for file in written)
