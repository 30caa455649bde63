"""Every public page (and the 404 page) on a 360 × 740 phone, in one pass: each page is loaded once
and everything that must hold on every page is checked there, under the strict CSP. Each check is a
subtest named after what it guards, so a failure names its page and its check, and every failure is
reported, not only the first."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from guides.models import Step, StepItem

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SCREENS = 5  # a step page fits five phone screens
MISSING = "/no-such-page/"  # its 404 is the point; Chromium logs it to the console too

# What holds on every page, read in one call: the width, the pictures, the headings and landmarks.
FACTS = """() => ({
  width: document.documentElement.scrollWidth,
  broken: [...document.images].filter((img) => img.naturalWidth === 0).map((img) => img.src),
  drawings: [...document.querySelectorAll("svg.illustration")].map((svg) => ({
    width: svg.getBoundingClientRect().width,
    stroke: getComputedStyle(svg.querySelector(".f, .t")).stroke})),
  h1: document.querySelectorAll("h1").length,
  lang: document.documentElement.lang,
  landmarks: Object.fromEntries(["header", "main", "footer", "nav"].map((name) =>
    [name, document.querySelectorAll(name).length])),
})"""

# Each exercise or position on a step page: its dose and when to stop, as Playwright judges
# visibility (a box of some size, not visibility: hidden).
DOSES = """() => {
  const visible = (element) => {
    if (!element || getComputedStyle(element).visibility === "hidden") return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  return [...document.querySelectorAll("li.item")].map((item) => {
    const part = item.querySelector(".dose .dose__parts li");
    const stop = item.querySelector(".dose .dose__stop");
    return {
      slug: item.id,
      part: visible(part) ? part.innerText.trim() : null,
      stop: visible(stop) ? stop.innerText : null,
    };
  });
}"""

AXE_RUN = "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"


def test_every_page_on_a_360px_phone_in_one_pass(
    site, public_paths, new_page, axe_path, load_every_image, artifacts, subtests
):
    steps = {step.get_absolute_url(): step for step in Step.objects.published()}
    screenshot_of = Step.objects.published()[1].get_absolute_url()
    page = new_page(viewport=PHONE)
    # axe-core, loaded by the browser itself before each page's scripts: the strict CSP stays on, so
    # a refused inline script or style still shows up below.
    page.add_init_script(script=Path(axe_path).read_text())
    problems = []

    def console(message):
        if message.type == "error" and message.location.get("url") != site + MISSING:
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: response.status >= 400 and response.url != site + MISSING
        and problems.append(f"{response.status} {response.url}"),
    )

    axe_found = {"light": {}, "dark": {}}
    heights, doses_checked = {}, 0
    for path in [*public_paths, MISSING]:
        page.goto(site + path)
        if step := steps.get(path):
            heights[step.slug] = check_step_page(page, step, subtests)
            doses_checked += check_doses(page, step, subtests)
        load_every_image(page)
        if path == screenshot_of:
            page.screenshot(path=artifacts / "step-page-phone.png", full_page=True)
        check_fit_pictures_and_landmarks(page, path, subtests)
        if path != MISSING:
            check_axe(page, path, axe_found, subtests)
        check_the_way_to_urgent_help(page, path, subtests)

    for color_scheme, found in axe_found.items():
        (artifacts.parent / f"axe-{color_scheme}.json").write_text(json.dumps(found, indent=2))
    print("Step page heights in screens of 360 × 740:", heights)
    with subtests.test("every exercise and position on a step page was checked for its dose"):
        assert doses_checked == StepItem.objects.filter(step__in=Step.objects.published()).count() >= 10
    with subtests.test("no page logs an error, fails a request or has a script or style refused"):
        # Console errors include Content-Security-Policy refusals of inline script or style.
        assert problems == []


def check_fit_pictures_and_landmarks(page, path, subtests):
    facts = page.evaluate(FACTS)
    with subtests.test("fits 360 px wide", page=path):
        assert facts["width"] <= PHONE["width"]
    with subtests.test("every picture loads", page=path):
        assert facts["broken"] == []
    with subtests.test("illustrations are inline SVG drawn at a real size, their strokes styled by site.css", page=path):
        drawings = facts["drawings"]
        assert all(d["width"] > 0 and d["stroke"] not in ("none", "") for d in drawings), drawings
    with subtests.test("one h1, the landmarks and the language", page=path):
        assert facts["h1"] == 1
        assert facts["lang"].startswith("en")
        assert all(count >= 1 for count in facts["landmarks"].values()), facts["landmarks"]


def check_the_way_to_urgent_help(page, path, subtests):
    """Inside the first screen, and the next tab stop after the skip link (last: it moves the focus)."""
    with subtests.test("the urgent-help link is in the first screen and the next tab stop after the skip link", page=path):
        urgent = page.locator(".urgent-link")
        box = urgent.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
        expect(urgent).to_have_text(re.compile("999"))
        page.keyboard.press("Tab")
        expect(page.locator(".skip-link")).to_be_focused()
        expect(page.locator(".skip-link")).to_be_in_viewport()
        page.keyboard.press("Tab")
        expect(urgent).to_be_focused()


def check_axe(page, path, found, subtests):
    """No accessibility violations in either colour scheme."""
    for color_scheme in found:
        page.emulate_media(color_scheme=color_scheme)
        violations = page.evaluate(AXE_RUN)
        found[color_scheme][path] = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations
        ]
        with subtests.test(f"axe finds no accessibility violations in {color_scheme}", page=path):
            assert found[color_scheme][path] == []
    page.emulate_media(color_scheme="light")


def check_step_page(page, step, subtests):
    """Before the pictures load, as a reader first meets the page. Returns its height in screens."""
    path = step.get_absolute_url()
    height = page.evaluate("document.documentElement.scrollHeight")
    with subtests.test("a step page fits five phone screens with Next at the top and inside them", page=path):
        assert height <= SCREENS * PHONE["height"], round(height / PHONE["height"], 2)
        top, bottom = page.locator(".pager--top"), page.locator(".pager--bottom")
        expect(top.get_by_role("link", name=re.compile(r"^Next"))).to_be_in_viewport()
        box = bottom.get_by_role("link", name=re.compile(r"^Next")).bounding_box()
        scrolled = page.evaluate("window.scrollY")
        assert box["y"] + scrolled + box["height"] <= SCREENS * PHONE["height"]
    with subtests.test("a step page never lists the warning signs in full: they are a tap away, on /help/", page=path):
        assert page.locator(".care-card__signs").count() == 0
        for box_link in page.locator(".tier-box a[href*='/help/#']").all():
            assert re.search(r"/help/#[a-z-]+$", box_link.get_attribute("href"))
    return round(height / PHONE["height"], 2)


def check_doses(page, step, subtests):
    """Every exercise and position shows its dose and when to stop or change position (issue 27).
    Returns how many items it checked."""
    path = step.get_absolute_url()
    items = list(StepItem.objects.filter(step=step).order_by("order"))
    with subtests.test("every exercise and position shows a dose and when to stop or change position", page=path):
        shown = page.evaluate(DOSES)
        assert len(shown) == len(items)
        by_slug = {item["slug"]: item for item in shown}
        for item in items:
            dose = by_slug.get(item.slug, {})
            assert dose.get("part"), f"{step.slug}#{item.slug} shows no dose"
            assert (dose.get("stop") or "").startswith(("Stop if", "Change position if")), f"{step.slug}#{item.slug}"
    if step.slug == "warm-up":
        with subtests.test("each exercise's dose reads as one line, with when to stop, inside the screen", page=path):
            for item in items:
                assert item.dose and item.stop_if, item.slug
                shown = page.locator(f"#{item.slug} .dose")
                parts = shown.locator(".dose__parts li")
                expect(parts).to_have_text(item.dose)
                # A dot is drawn between the parts, so the list reads as one line.
                separators = parts.evaluate_all("(lis) => lis.map((li) => getComputedStyle(li, '::before').content)")
                assert separators[0] == "none" and all("·" in separator for separator in separators[1:]), separators
                expect(shown.locator(".dose__stop")).to_have_text(f"Stop if {item.stop_if}")
                box = shown.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], item.slug
    return len(items)
