import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_my_plan_explains_itself_without_javascript_and_links_to_the_exercise_sheet(client):
    html = client.get(reverse("guides:my_plan")).content.decode()
    assert "<h1>My plan</h1>" in html
    assert "needs JavaScript" in html
    assert f'href="{reverse("guides:exercises")}"' in html


def test_my_plan_is_in_the_sitemap_and_page_cached_without_any_sql(client, django_assert_num_queries):
    assert "http://testserver/my-plan/" in client.get("/sitemap.xml").content.decode()
    first = client.get(reverse("guides:my_plan"))
    with django_assert_num_queries(0):
        again = client.get(reverse("guides:my_plan"))
    assert again.content == first.content


def test_the_step_up_rule_follows_nhs_inform_on_the_exercises_with_repeats_and_never_on_positions():
    from guides.models import StepItem

    for item in StepItem.objects.all():
        if item.stay_minutes:
            assert not item.step_up, item.slug
    pelvic_tilt = StepItem.objects.get(slug="pelvic-tilt")
    assert (pelvic_tilt.repetitions, pelvic_tilt.step_up_after_days, pelvic_tilt.step_up_by) == (5, 3, 1)
    assert pelvic_tilt.step_up == "Add 1 more repeat every 3 days, if it has not made your pain worse"


def test_a_step_up_needs_both_numbers_and_an_exercise_with_repeats():
    from django.core.exceptions import ValidationError

    from guides.models import StepItem

    walking = StepItem.objects.get(slug="walking")
    walking.step_up_after_days, walking.step_up_by = 3, 1
    with pytest.raises(ValidationError):
        walking.full_clean()
