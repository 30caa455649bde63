"""The exercise sheet printed to PDF by Chromium: what to do on the first pages, when to get help on a
page of its own, real text, pictures big enough to show the pose, no item alone on a page, a QR code
that scans, and a Print button on screen."""

import io
import logging

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from guides.models import StepItem

pytestmark = pytest.mark.browser

MM_PER_POINT = 25.4 / 72


def picture_widths_mm(pdf_page):
    """The printed width of each drawing on a PDF page: Chromium draws each inline SVG as a form
    XObject, placed with the current transformation matrix when the page paints it (`Do`)."""
    forms = pdf_page["/Resources"].get("/XObject")
    forms = forms.get_object() if forms else {}
    widths = []

    def paint(operator, operands, cm, tm):
        if operator == b"Do" and operands[0] in forms:
            form = forms[operands[0]].get_object()
            if form.get("/Subtype") == "/Form":
                left, _, right, _ = (float(value) for value in form["/BBox"])
                scale = float(form.get("/Matrix", [1])[0]) * cm[0]
                widths.append((right - left) * scale * MM_PER_POINT)

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # nested forms it cannot decode: not ours to read
    pdf_page.extract_text(visitor_operand_before=paint)
    return widths


@pytest.fixture(scope="module")
def printed():
    """The exercise sheet as Chromium prints it, by paper size: printed once for the tests that read it."""
    return {}


@pytest.fixture
def print_sheet(site, new_page, printed):
    def print_sheet(paper):
        if paper not in printed:
            page = new_page()
            page.goto(site + "/guide/exercises/")
            printed[paper] = page.pdf(format=paper, print_background=False)
        return printed[paper]

    return print_sheet


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_exercise_sheet_prints_on_three_pages_with_the_help_on_a_page_of_its_own(site, print_sheet, paper, artifacts):
    pdf = print_sheet(paper)
    (artifacts / f"exercise-sheet-{paper}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 3
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    text = " ".join(pages)
    for item in StepItem.objects.all():
        assert item.title in " ".join(pages[:-1]), item
        assert item.title not in pages[-1], item
    # The last page is the help page, whole: it can be kept by the phone on its own.
    assert pages[-1].startswith("When to get help now")
    assert all("When to get help now" not in earlier for earlier in pages[:-1])
    assert "Call 999" in text
    assert f"{site}/help/" in text
    assert "Guide" not in text.split("Exercise sheet")[0]  # no navigation before the heading
    assert "Print this sheet" not in text  # the button is for the screen


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_pictures_are_35_to_40_mm_wide_and_no_page_holds_a_lone_item(print_sheet, paper):
    reader = PdfReader(io.BytesIO(print_sheet(paper)))
    items = list(StepItem.objects.all())
    widths = [width for pdf_page in reader.pages[:-1] for width in picture_widths_mm(pdf_page)]
    assert len(widths) == len(items)
    assert all(35 <= width <= 40 for width in widths), widths
    for number, pdf_page in enumerate(reader.pages[:-1], start=1):
        text = " ".join((pdf_page.extract_text() or "").split())
        starting_here = [item for item in items if item.title in text]
        assert len(starting_here) != 1, (paper, number, starting_here)
        # The pictures on the page belong to its items: a picture never prints apart from its words.
        assert len(picture_widths_mm(pdf_page)) == len(starting_here), (paper, number)


def test_the_help_instruction_prints_larger_than_its_label(site, page):
    page.goto(site + "/guide/exercises/")
    page.emulate_media(media="print")
    for card in page.locator(".sheet__help .care-card").all():
        label = card.locator(".care-card__label").evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
        heading = card.locator(".care-card__heading").evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
        assert heading > label


def test_the_print_button_prints_the_sheet_and_keeps_the_strict_csp(site, page):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(site + "/guide/exercises/")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button = page.get_by_role("button", name="Print this sheet")
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.printed") == 1
    assert "'unsafe-inline'" not in page.request.get(site + "/guide/exercises/").headers["content-security-policy"]
    assert problems == []


def test_without_javascript_there_is_no_print_button_that_does_nothing(site, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(site + "/guide/exercises/")
    expect(page.get_by_role("button", name="Print this sheet")).to_have_count(0)


def test_the_printed_qr_code_scans_as_the_guides_address(site, new_page):
    page = new_page(device_scale_factor=3)  # about 300 dots per inch, as a printer would draw it
    page.goto(site + "/guide/exercises/")
    page.emulate_media(media="print", color_scheme="dark")
    picture = Image.open(io.BytesIO(page.locator(".qr-code").screenshot()))
    found = zxingcpp.read_barcodes(picture)
    assert [code.text for code in found] == [site + "/"]
