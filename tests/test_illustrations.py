"""The shipped drawings: safe to inline, small, styled by site.css, and each step's its own."""

import gzip
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guides.illustrations import illustration_paths
from guides.models import Step, StepItem

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "static" / "guides" / "illustrations"
SVG = "{http://www.w3.org/2000/svg}"
# Elements a drawing may use; anything else (script, foreignObject, image, use, a, ...) is refused.
DRAWING_ELEMENTS = {"svg", "style", "g", "path", "circle", "ellipse", "rect", "mask"}


def referenced_pictures():
    pictures = set(Step.objects.values_list("illustration", flat=True))
    pictures |= {p for p in StepItem.objects.values_list("illustration", flat=True) if p}
    return sorted(pictures)


def test_every_picture_the_content_uses_is_one_of_the_shipped_files():
    pictures = referenced_pictures()
    assert len(pictures) >= 18
    for picture in pictures:
        assert picture in illustration_paths(), picture
        assert (FOLDER / picture).is_file(), picture


@pytest.mark.parametrize("picture", illustration_paths())
def test_each_drawing_is_valid_svg_with_no_script_handler_or_outside_reference(picture):
    tree = ET.parse(FOLDER / picture)
    assert tree.getroot().tag == f"{SVG}svg"
    assert tree.getroot().get("viewBox") == "0 0 240 160"
    for element in tree.iter():
        assert element.tag.startswith(SVG), (picture, element.tag)
        assert element.tag.removeprefix(SVG) in DRAWING_ELEMENTS, (picture, element.tag)
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (picture, name)
            assert "href" not in name.lower(), (picture, name)
            assert "javascript:" not in value.lower(), (picture, name)
            for reference in re.findall(r"url\(([^)]*)\)", value):
                assert reference.startswith("#"), (picture, value)
    style = "".join(element.text or "" for element in tree.iter(f"{SVG}style"))
    assert "@import" not in style and "url(" not in style, picture


@pytest.mark.parametrize("picture", illustration_paths())
def test_each_drawing_is_small_and_uses_only_classes_site_css_styles(picture):
    text = (FOLDER / picture).read_text(encoding="utf-8")
    assert len(gzip.compress(text.encode(), 9)) < 850, picture
    css = (ROOT / "static" / "css" / "site.css").read_text(encoding="utf-8")
    styled = set(re.findall(r"\.illustration \.([a-z])\b", css))
    used = {name for classes in re.findall(r'class="([^"]+)"', text) for name in classes.split()}
    assert used and used <= styled, (picture, used - styled)


def test_every_step_has_a_picture_of_its_own():
    pictures = list(Step.objects.values_list("illustration", flat=True))
    drawings = [re.sub(r"<style>.*?</style>", "", (FOLDER / p).read_text(), flags=re.S) for p in pictures]
    assert len(set(pictures)) == len(pictures) == len(set(drawings))


def test_the_home_page_draws_every_step_picture_inline_with_ids_that_do_not_clash(client):
    html = client.get("/").content.decode()
    assert html.count('<svg class="illustration illustration--small"') == Step.objects.count()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for reference in re.findall(r"url\(#([^)]+)\)", html):
        assert reference in ids, reference
