"""The exercise sheet printed to PDF by Chromium: what to do on the first pages, when to get help on a
page of its own, real text, a QR code that scans."""

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from guides.models import StepItem

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_exercise_sheet_prints_on_three_pages_with_the_help_on_a_page_of_its_own(site, page, paper, artifacts):
    page.goto(site + "/guide/exercises/")
    pdf = page.pdf(format=paper, print_background=False)
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


def test_the_printed_qr_code_scans_as_the_guides_address(site, new_page):
    page = new_page(device_scale_factor=3)  # about 300 dots per inch, as a printer would draw it
    page.goto(site + "/guide/exercises/")
    page.emulate_media(media="print", color_scheme="dark")
    picture = Image.open(io.BytesIO(page.locator(".qr-code").screenshot()))
    found = zxingcpp.read_barcodes(picture)
    assert [code.text for code in found] == [site + "/"]
