"""'Take this to your appointment' in a real browser: filled in offline, kept in the browser only,
printed on one A4 page."""

import io

import pytest
from pypdf import PdfReader

from test_offline_in_a_browser import go_offline, visit_online_and_keep_the_guide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def test_offline_a_reader_fills_in_the_appointment_note_and_it_prints_on_one_a4_page(site, new_page, artifacts):
    page = new_page(service_workers="allow", viewport=PHONE)
    visit_online_and_keep_the_guide(page, site)
    go_offline(page)
    sent = []
    page.on("request", lambda request: sent.append((request.url, request.post_data)))

    page.goto(f"{site}/appointment/")
    assert page.locator("h1").inner_text() == "Take this to your appointment"
    answers = {
        "When did the pain start?": "Three weeks ago, on a Sunday",
        "What makes it worse?": "Sitting in the car for more than an hour",
        "What worries you most?": "That I will not be able to lift my grandson",
        "My other questions": "Can I keep swimming?",
    }
    for label, answer in answers.items():
        page.get_by_label(label, exact=True).fill(answer)
    page.reload()  # kept in this browser, on this device
    for label, answer in answers.items():
        assert page.get_by_label(label, exact=True).input_value() == answer

    pdf = page.pdf(format="A4")
    (artifacts / "appointment-A4.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for answer in answers.values():
        assert answer in text
    assert "What would happen if I waited, or did nothing for now?" in text
    assert "Print" not in text.split("Questions to ask")[1]  # the buttons stay off paper
    # Nothing the reader typed left the browser (offline, and no request carries it).
    assert not any(answer in (url + (body or "")) for url, body in sent for answer in answers.values())


def test_clear_empties_the_boxes_and_the_browsers_copy(site, new_page):
    page = new_page(viewport=PHONE)
    page.goto(f"{site}/appointment/")
    page.get_by_label("What worries you most?").fill("Losing my job")
    page.get_by_role("button", name="Clear").click()
    assert page.get_by_role("status").inner_text() == "Cleared. Nothing is kept now."
    page.reload()
    assert page.get_by_label("What worries you most?").input_value() == ""
    assert page.evaluate("localStorage.getItem('backcare-appointment')") is None
