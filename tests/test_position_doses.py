"""A position's dose, in its own terms (issue 27, point 2): how long to stay in it, how often, and
when to change position, shown by the same include as an exercise's dose."""

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guides.content_checks import check_object
from guides.content_files import export_content, read_file
from guides.models import Step, StepItem

pytestmark = pytest.mark.django_db

POSITIONS = ("on-your-back", "on-your-side", "on-all-fours", "against-a-wall")


def step_page(client):
    return unescape(client.get(reverse("guides:step", kwargs={"slug": "comfortable-position"})).content.decode())


def item_block(html, slug):
    return html.split(f'<li class="item" id="{slug}">', 1)[1].split("</div></li>", 1)[0]


def test_a_positions_dose_reads_as_how_long_to_stay_and_how_often():
    item = StepItem(stay_minutes=2, stay_minutes_up_to=5, times_a_day=2, times_a_day_up_to=3)
    assert item.dose == ["Stay for 2 to 5 minutes", "2 to 3 times a day"]
    assert StepItem(stay_minutes=1).dose == ["Stay for 1 minute"]
    assert StepItem(stay_minutes=3).dose == ["Stay for 3 minutes"]


def test_the_four_positions_carry_their_doses_from_the_content_files():
    positions = StepItem.objects.filter(step__slug="comfortable-position").order_by("order")
    assert [p.slug for p in positions] == list(POSITIONS)
    for position in positions:
        assert position.stay_minutes and position.stay_minutes_up_to and position.times_a_day, position.slug
        assert position.change_position_if.startswith("it makes your pain worse"), position.slug


@pytest.mark.parametrize("slug", POSITIONS)
def test_each_position_shows_how_long_how_often_and_when_to_change(client, slug):
    position = StepItem.objects.get(step__slug="comfortable-position", slug=slug)
    block = item_block(step_page(client), slug)
    parts = re.findall(r"<li>([^<]+)</li>", re.search(r'<ul class="dose__parts">(.*?)</ul>', block, re.S).group(1))
    assert parts == position.dose and parts[0].startswith("Stay for ") and "a day" in parts[-1]
    change = re.search(r'<strong>Change position if</strong> ([^<]+)</p>', block).group(1)
    assert change == position.change_position_if


@pytest.mark.parametrize("slug", POSITIONS)
def test_when_to_change_position_follows_the_wording_rule(slug):
    """Stop or change position if it makes your pain worse or gives you new pain; some aching is
    normal, so never 'if it hurts'."""
    line = StepItem.objects.get(step__slug="comfortable-position", slug=slug).change_position_if
    assert "makes your pain worse" in line and "new pain" in line and "Some aching is normal" in line
    assert "hurts" not in line


def test_the_printed_sheet_shows_the_positions_doses(client):
    html = unescape(client.get(reverse("guides:all")).content.decode())
    for slug in POSITIONS:
        assert "Change position if" in item_block(html, slug)


def test_a_stay_range_must_go_up_and_needs_its_first_number():
    position = StepItem.objects.get(slug="on-your-side")
    position.stay_minutes, position.stay_minutes_up_to = 5, 2
    with pytest.raises(ValidationError) as error:
        position.full_clean()
    assert "stay minutes" in str(error.value)
    position.stay_minutes = 31
    with pytest.raises(ValidationError) as error:
        position.full_clean()
    assert "stay_minutes" in error.value.message_dict


def test_the_position_dose_is_exported_and_read_back(tmp_path):
    export_content(tmp_path)
    path, = tmp_path.glob("items/comfortable-position--*on-your-back.md")
    meta, _ = read_file(path, "item")
    position = StepItem.objects.get(slug="on-your-back")
    assert (meta["stay_minutes"], meta["stay_minutes_up_to"]) == (str(position.stay_minutes), str(position.stay_minutes_up_to))
    assert meta["change_position_if"] == position.change_position_if


def test_editors_find_the_position_dose_in_its_own_fieldset(editor_client):
    step = Step.objects.get(slug="comfortable-position")
    html = unescape(editor_client.get(reverse("admin:guides_step_change", args=[step.pk])).content.decode())
    assert "Dose of a position: how long to stay, when to change position" in html
    for name in ("stay_minutes", "stay_minutes_up_to", "change_position_if"):
        assert f'name="items-0-{name}"' in html
    assert "do not write 'if it hurts'" in html


def test_the_content_checks_read_the_change_position_line():
    position = StepItem.objects.get(slug="on-all-fours")
    position.change_position_if = "you like. No pain, no gain."
    problems = [p for p in check_object(position).problems if p.check == "claim"]
    assert problems and {p.field for p in problems} == {"change_position_if"}
