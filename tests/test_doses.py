"""Each exercise's dose is data: editors fill it in, and every page shows it the same way."""

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guides.models import Step, StepItem

pytestmark = pytest.mark.django_db


def dose_lines(html):
    """Each item's dose as a reader sees it: its parts joined with ' · ', and its stop line."""
    found = {}
    for block in html.split('<li class="item" id="')[1:]:
        slug, block = block.split('"', 1)
        block = block.split('<div class="item__text">', 1)[1].split("</div></li>", 1)[0]
        dose = re.search(r'<ul class="dose__parts">(.*?)</ul>', block, re.S)
        parts = re.findall(r"<li>([^<]+)</li>", dose.group(1)) if dose else []
        stop = re.search(r'<p class="dose__stop"><strong>Stop if</strong> ([^<]+)</p>', block)
        found[slug] = (" · ".join(unescape(p) for p in parts), unescape(stop.group(1)) if stop else "")
    return found


def test_a_dose_reads_as_one_line_of_plain_words():
    item = StepItem(repetitions=5, hold_seconds=5, times_a_day=2, times_a_day_up_to=3)
    assert " · ".join(item.dose) == "Repeat 5 times · hold 5 seconds · 2 to 3 times a day"
    assert StepItem(minutes=5, minutes_up_to=10).dose == ["Keep going for 5 to 10 minutes"]
    assert StepItem(hold_seconds=20, hold_seconds_up_to=30, each_side=True).dose == ["Hold 20 to 30 seconds on each side"]
    assert StepItem(each_side=True, times_a_day=2).dose == ["On each side", "twice a day"]
    assert StepItem(repetitions=1, hold_seconds=1, times_a_day=1).dose == ["Do it once", "hold 1 second", "once a day"]
    assert StepItem(times_a_day=2).dose == ["Twice a day"]
    assert StepItem().dose == []


def test_the_warm_ups_carry_their_doses_from_the_content_files():
    pelvic_tilt = StepItem.objects.get(slug="pelvic-tilt")
    assert (pelvic_tilt.repetitions, pelvic_tilt.hold_seconds, pelvic_tilt.times_a_day) == (5, 2, 3)
    walking = StepItem.objects.get(slug="walking")
    assert (walking.minutes, walking.minutes_up_to) == (5, 10)
    # The numbers moved out of the text, so the page does not say them twice.
    assert "10 minutes" not in walking.text
    assert "30 seconds" not in StepItem.objects.get(slug="standing-quad-stretch").text


@pytest.mark.parametrize("url_name", ["step", "all"])
def test_every_exercise_shows_its_dose_and_every_item_says_when_to_stop(client, url_name):
    warm_up = Step.objects.get(slug="warm-up")
    url = warm_up.get_absolute_url() if url_name == "step" else reverse("guides:all")
    shown = dose_lines(client.get(url).content.decode())
    for item in StepItem.objects.all():
        if url_name == "step" and item.step_id != warm_up.pk:
            continue
        assert shown[item.slug] == (" · ".join(item.dose), item.stop_if), item.slug
        if item.step_id == warm_up.pk:
            assert item.dose and item.stop_if, f"{item.slug} is an exercise: it needs a dose and a stop line"
    assert shown["pelvic-tilt"][0] == "Repeat 5 times · hold 2 seconds · 3 times a day"


@pytest.mark.parametrize(
    "values, field",
    [
        ({"repetitions": 0}, "repetitions"),
        ({"repetitions": 31}, "repetitions"),
        ({"hold_seconds": 121}, "hold_seconds"),
        ({"times_a_day": 11}, "times_a_day"),
        ({"minutes": 61}, "minutes"),
    ],
)
def test_a_dose_out_of_a_sane_range_is_refused_with_the_field_named(values, field):
    item = StepItem.objects.get(slug="pelvic-tilt")
    for name, value in values.items():
        setattr(item, name, value)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    "values",
    [
        {"hold_seconds": 30, "hold_seconds_up_to": 20},
        {"hold_seconds": 20, "hold_seconds_up_to": 20},
        {"hold_seconds": None, "hold_seconds_up_to": 20},
        {"times_a_day": None, "times_a_day_up_to": 3},
        {"minutes": 10, "minutes_up_to": 5},
    ],
)
def test_a_range_must_go_up_from_a_first_number(values):
    item = StepItem.objects.get(slug="pelvic-tilt")
    for name, value in values.items():
        setattr(item, name, value)
    with pytest.raises(ValidationError, match="must be bigger than the first one"):
        item.full_clean()


def test_editors_set_a_dose_in_the_step_admin(admin_client, client, change_form_data, approve):
    step = Step.objects.get(slug="warm-up")
    html = admin_client.get(reverse("admin:guides_step_change", args=[step.pk])).content.decode()
    assert "Dose: how much, how often, when to stop" in html
    assert "How long to hold each time, in seconds" in html
    url, data = change_form_data(admin_client, step)
    tilt = next(key for key, value in data.items() if key.endswith("-slug") and value == "pelvic-tilt")
    prefix = tilt.removesuffix("slug")
    data[f"{prefix}repetitions"] = "8"
    data[f"{prefix}hold_seconds_up_to"] = "1"  # smaller than the hold: refused, nothing saved

    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "must be bigger than the first one" in refused.content.decode()
    assert StepItem.objects.get(slug="pelvic-tilt").repetitions == 5

    data[f"{prefix}hold_seconds_up_to"] = "5"
    assert admin_client.post(url, data).status_code == 302
    approve(step)  # a published step's change waits for a clinical reviewer
    assert StepItem.objects.get(slug="pelvic-tilt").dose == ["Repeat 8 times", "hold 2 to 5 seconds", "3 times a day"]
    assert "Repeat 8 times" in client.get(step.get_absolute_url()).content.decode()
