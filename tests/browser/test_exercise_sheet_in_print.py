"""The exercise sheet printed to PDF by Chromium: two pages at most, real text, a QR code that scans."""

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from guides.models import StepItem

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_exercise_sheet_prints_on_two_pages_at_most_with_selectable_text(site, page, paper, artifacts):
    page.goto(site + "/guide/exercises/")
    pdf = page.pdf(format=paper, print_background=False)
    (artifacts / f"exercise-sheet-{paper}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 2
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for item in StepItem.objects.all():
        assert item.title in text, item
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
