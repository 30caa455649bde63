"""A page cannot take a slug that clashes with the site's own addresses (a step called 'all' would
hide behind /guide/all/): the editor is told why, at the slug field."""

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import include, path

from guides.models import Question, Step

pytestmark = pytest.mark.django_db

# A URLconf with two more addresses, as a later feature might add them.
urlpatterns = [
    path("guide/exercises/", lambda request: HttpResponse(), name="exercises"),
    path("faq/popular/", lambda request: HttpResponse(), name="popular"),
    path("", include("guides.urls")),
]


def slug_errors(obj):
    try:
        obj.full_clean()
    except ValidationError as error:
        return error.message_dict.get("slug", [])
    return []


def test_a_step_cannot_take_the_slug_all_and_the_admin_says_so_at_the_slug(editor_client, change_form_data):
    step = Step.objects.get(slug="warm-up")
    url, data = change_form_data(editor_client, step)
    data["slug"] = "all"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        "The site already uses “all” in its own web addresses, so a page cannot have it. Choose a different slug."
    ]
    assert Step.objects.filter(slug="warm-up").exists()
    assert Step.objects.get(slug="warm-up").body == step.body


@pytest.mark.parametrize("slug", ["all", "guide", "faq", "tips", "admin", "static", "healthz"])
def test_steps_and_answers_cannot_take_words_the_site_uses_in_its_addresses(slug):
    step, question = Step.objects.first(), Question.objects.first()
    step.slug = question.slug = slug
    assert slug_errors(step) and slug_errors(question)


def test_an_address_added_later_is_reserved_without_a_list_to_update(settings):
    settings.ROOT_URLCONF = __name__
    step, question = Step.objects.first(), Question.objects.first()
    step.slug, question.slug = "exercises", "popular"
    assert slug_errors(step) and slug_errors(question)


def test_ordinary_slugs_are_still_accepted():
    step, question = Step.objects.first(), Question.objects.first()
    step.slug, question.slug = "all-fours-stretch", "is-it-safe-to-stretch-every-day"
    assert slug_errors(step) == [] and slug_errors(question) == []
