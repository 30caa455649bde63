import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from guides.markdown import link_help_numbers
from guides.models import CareCard, StepItem

pytestmark = pytest.mark.django_db


def test_the_exercise_sheet_holds_every_exercise_and_position_with_its_dose_and_stop_line(client):
    html = client.get(reverse("guides:exercises")).content.decode()
    items = list(StepItem.objects.all())
    assert len(items) == 10
    for item in items:
        assert f"<h3>{item.title}</h3>" in html, item
        if item.stop_if:
            assert item.stop_if in html, item
        for part in item.dose:
            assert part in html, (item, part)
    assert html.count('class="illustration illustration--small"') == len([i for i in items if i.illustration])


def test_the_exercise_sheet_gives_the_emergency_signs_the_help_page_and_its_own_address(client):
    response = client.get(reverse("guides:exercises"))
    html = response.content.decode()
    for card in CareCard.objects.filter(level__in=CareCard.EMERGENCY_LEVELS):  # 999 now, then A&E now
        assert link_help_numbers(escape(card.heading)) in html
        for sign in card.signs.all():
            assert escape(sign.words) in html, sign.slug
    assert html.index('care-card--emergency') < html.index('care-card--a-and-e')
    assert '<a href="/help/">http://testserver/help/</a>' in html
    assert "This sheet: http://testserver/guide/exercises/" in html
    qr_code = r'<svg role="img" aria-label="QR code for the guide&#x27;s web address" [^>]*class="qr-code"'
    assert re.search(qr_code, html)
    assert "Page last reviewed:" in html


def test_the_guide_and_each_exercise_step_link_to_the_sheet(client, steps):
    sheet = reverse("guides:exercises")
    assert f'href="{sheet}"' in client.get("/").content.decode()
    for step in steps:
        linked = f'href="{sheet}"' in client.get(step.get_absolute_url()).content.decode()
        assert linked == step.items.exists(), step


def test_no_step_can_take_the_exercise_sheets_address(steps):
    from django.core.exceptions import ValidationError

    step = steps[0]
    step.slug = "exercises"
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "slug" in error.value.message_dict
