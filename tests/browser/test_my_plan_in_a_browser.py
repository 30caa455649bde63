"""My plan in a real browser on a phone: choosing, ticking days, stepping up safely, reminders,
moving the plan and deleting it, with nothing about the plan sent to the site."""

import json
import re
from pathlib import Path

import icalendar
import pytest

from test_offline_in_a_browser import go_offline, visit_online_and_keep_the_guide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
CHOSEN = ["Pelvic tilt", "Cat-cow stretch", "Lying on your back"]
DOCS = Path(__file__).resolve().parents[2] / "docs"


def add(page, title):
    """Open the item's "How to do it" (the button comes with its instructions) and add it."""
    page.locator(".item", has=page.get_by_role("heading", name=title, exact=True)).locator("summary").click()
    page.get_by_role("button", name=re.compile(f"^Add to my plan.*{title}$")).click()


def add_three(page, site):
    page.goto(f"{site}/guide/warm-up/")
    for title in CHOSEN[:2]:
        add(page, title)
    page.goto(f"{site}/guide/comfortable-position/")
    add(page, CHOSEN[2])
    page.goto(f"{site}/my-plan/")


def tick(page, day, what="I did my plan"):
    page.locator("fieldset.plan-day").nth(day).get_by_label(what).check()


def stored(page):
    return page.evaluate("() => JSON.parse(localStorage.getItem('backcare-plan'))")


def test_a_reader_adds_three_ticks_days_and_is_offered_a_step_up_only_after_the_rules_days(site, new_page):
    page = new_page(viewport=PHONE)
    add_three(page, site)
    assert page.locator("[data-plan-list] h3").all_inner_texts() == CHOSEN
    assert page.locator("[data-plan-list] img.illustration").count() == 3
    assert "Repeat 5 times" in page.locator("[data-plan-list]").inner_text()
    tick(page, 2)
    tick(page, 1)
    assert page.get_by_role("button", name="Step up: repeat 6 times").count() == 0
    tick(page, 0)
    assert page.get_by_role("button", name="Step up: repeat 6 times").count() == 2  # pelvic tilt, cat-cow
    assert "Step up" not in page.locator("[data-plan-list] > li").nth(2).inner_text()  # a position never steps up
    page.screenshot(path=str(DOCS / "my-plan-phone.png"), full_page=True, clip={"x": 0, "y": 0, "width": 360, "height": 1600})
    page.get_by_role("button", name="Step up: repeat 6 times").first.click()
    assert "Now: repeat 6 times" in page.locator("[data-plan-list] > li").first.inner_text()
    tick(page, 3, "It made my pain worse")
    tick(page, 4)
    assert page.get_by_role("button", name="Step up: repeat 6 times").count() == 0
    assert "Do not step up for now" in page.locator("[data-plan-list] > li").nth(1).inner_text()
    page.get_by_role("button", name="Go back to 5 times").click()
    assert "Now: repeat" not in page.locator("[data-plan-list] > li").first.inner_text()
    assert page.get_by_role("button", name="Go back to 5 times").count() == 0

    page.reload()
    assert page.locator("[data-plan-list] h3").all_inner_texts() == CHOSEN
    assert page.locator("fieldset.plan-day").nth(0).get_by_label("I did my plan").is_checked()


def test_something_has_changed_shows_the_warning_signs_first_and_stops_the_step_up(site, new_page):
    page = new_page(viewport=PHONE)
    add_three(page, site)
    for day in range(3):
        tick(page, day)
    assert page.get_by_role("button", name="Step up: repeat 6 times").count() == 2
    page.get_by_role("button", name="Something has changed").click()
    panel = page.locator("#plan-changed")
    assert panel.locator(".care-card").count() == 4
    assert panel.locator(".care-card").first.evaluate("card => card.classList.contains('care-card--emergency')")
    panel.get_by_label("New numbness, tingling or weakness").check()
    assert page.get_by_role("button", name="Step up: repeat 6 times").count() == 0
    advice = panel.locator("[data-plan-change-advice]")
    for anchor in ("#emergency", "#a-and-e", "#urgent", "#non-urgent"):
        assert advice.locator(f'a[href="/help/{anchor}"]').count() == 1


def test_the_calendar_file_parses_and_holds_the_chosen_times_every_day(site, new_page):
    page = new_page(viewport=PHONE, accept_downloads=True)
    add_three(page, site)
    times = page.locator("[data-plan-time]")
    times.nth(0).fill("07:30")
    times.nth(1).fill("12:15")
    times.nth(2).fill("19:45")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download calendar file").click()
    assert download.value.suggested_filename == "my-plan.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert [(e.decoded("dtstart").hour, e.decoded("dtstart").minute) for e in events] == [(7, 30), (12, 15), (19, 45)]
    assert all(e.get("rrule")["FREQ"] == ["DAILY"] for e in events)


def test_the_copy_link_restores_the_plan_in_a_fresh_browser_and_delete_empties_the_storage(site, new_page):
    page = new_page(viewport=PHONE)
    add_three(page, site)
    tick(page, 0)
    link = page.locator("[data-plan-share]").get_attribute("href")
    assert link.startswith(f"{site}/my-plan/#plan=")

    fresh = new_page(viewport=PHONE)
    fresh.goto(link)
    assert fresh.locator("[data-plan-list] h3").all_inner_texts() == CHOSEN
    assert fresh.locator("fieldset.plan-day").nth(0).get_by_label("I did my plan").is_checked()
    assert "#" not in fresh.url
    fresh.get_by_role("button", name="Delete my plan").click()
    assert fresh.evaluate("() => localStorage.length") == 0
    assert fresh.evaluate("() => document.cookie") == ""
    assert fresh.locator("[data-plan-list] > li").count() == 0


def test_no_request_to_the_site_carries_the_plan(site, new_page):
    page = new_page(viewport=PHONE)
    requests = []
    page.on("request", lambda request: requests.append((request.url, request.post_data or "")))
    add_three(page, site)
    tick(page, 0)
    page.locator("[data-plan-time]").nth(0).fill("06:40")
    page.reload()
    page.goto(f"{site}/guide/warm-up/")
    plan = json.dumps(stored(page))
    assert page.context.cookies() == []
    pictures = [url for url, _ in requests if "/static/guides/illustrations/" in url]
    assert any("hip" in url for url in pictures)  # every picture is fetched, not only the chosen ones
    for url, body in requests:
        if url in pictures:
            continue
        for secret in ("pelvic-tilt", "cat-cow", "on-your-back", "06:40", "06%3A40", "plan="):
            assert secret not in url.split("#")[0].split("/guide/")[0] + body, (url, secret)
        assert plan not in body


def test_the_plan_survives_going_offline(site, new_page):
    page = new_page(viewport=PHONE, service_workers="allow")
    visit_online_and_keep_the_guide(page, site)
    add_three(page, site)
    tick(page, 0)
    go_offline(page)
    page.reload()
    assert page.locator("[data-plan-list] h3").all_inner_texts() == CHOSEN
    assert page.locator("fieldset.plan-day").nth(0).get_by_label("I did my plan").is_checked()


def test_axe_finds_no_violations_on_a_filled_plan_in_light_or_dark(site, new_page, axe_path):
    page = new_page(viewport=PHONE, bypass_csp=True)
    add_three(page, site)
    tick(page, 0)
    page.get_by_role("button", name="Something has changed").click()
    page.get_by_label("My pain is worse").check()
    page.add_script_tag(path=axe_path)
    for color_scheme in ("light", "dark"):
        page.emulate_media(color_scheme=color_scheme)
        violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        assert violations == [], (color_scheme, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations])


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_plan_prints_on_one_page(site, new_page, paper, artifacts):
    import io

    from pypdf import PdfReader

    page = new_page(viewport=PHONE)
    add_three(page, site)
    tick(page, 0)
    pdf = page.pdf(format=paper, print_background=False)
    (artifacts / f"my-plan-{paper}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join((reader.pages[0].extract_text() or "").split())
    assert len(reader.pages) == 1, text
    for title in CHOSEN:
        assert title in text
    assert "I did my plan" in text and "Delete my plan" not in text


def test_the_plan_shows_from_the_first_paint_and_without_javascript_the_note_shows_instead(site, new_page):
    page = new_page(viewport=PHONE)
    page.goto(f"{site}/my-plan/")
    assert page.locator("[data-plan-page]").is_visible() and not page.locator("[data-plan-no-script]").is_visible()
    # No jump when the script starts: the page lays out the plan before any script runs.
    shift = page.evaluate("""() => new Promise(done => {
        let total = 0;
        new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) total += e.value; }))
            .observe({type: "layout-shift", buffered: true});
        setTimeout(() => done(total), 500);
    })""")
    assert shift < 0.05, shift

    no_script = new_page(viewport=PHONE, java_script_enabled=False)
    no_script.goto(f"{site}/my-plan/")
    assert no_script.locator("[data-plan-no-script]").is_visible()
    assert not no_script.locator("[data-plan-page]").is_visible()
