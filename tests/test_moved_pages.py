import pytest

from guides.models import MovedPage, Question, Step, Tip

pytestmark = pytest.mark.django_db


def rename(item, slug):
    item.slug = slug
    item.save()


@pytest.mark.published_directly
def test_a_moved_answer_redirects_its_old_address_for_a_day_not_for_ever(client):
    question = Question.objects.get(slug="what-if-it-hurts")
    rename(question, "if-it-hurts")

    response = client.get("/faq/what-if-it-hurts/")
    assert response.status_code == 301
    assert response["Location"] == "/faq/if-it-hurts/"
    assert "max-age=86400" in response["Cache-Control"]
    assert client.get("/faq/if-it-hurts/").status_code == 200


@pytest.mark.published_directly
def test_moving_a_page_back_removes_the_redirect_that_would_loop(client):
    step = Step.objects.get(slug="warm-up")
    rename(step, "warm-up-first")
    rename(step, "warm-up")

    assert client.get("/guide/warm-up/").status_code == 200
    response = client.get("/guide/warm-up-first/")
    assert response.status_code == 301
    assert response["Location"] == "/guide/warm-up/"
    assert list(MovedPage.objects.values_list("old_path", "new_path")) == [("/guide/warm-up-first/", "/guide/warm-up/")]


@pytest.mark.published_directly
def test_an_item_without_a_page_of_its_own_leaves_no_redirect_when_renamed():
    rename(Tip.objects.first(), "a-new-anchor")
    assert not MovedPage.objects.exists()


def test_a_draft_that_moves_leaves_no_redirect(client):
    question = Question.objects.get(slug="what-if-it-hurts")
    Question.objects.filter(pk=question.pk).update(is_published=False)
    question.refresh_from_db()
    rename(question, "if-it-hurts")
    assert not MovedPage.objects.exists()
    assert client.get("/faq/what-if-it-hurts/").status_code == 404


def test_an_old_address_that_is_not_a_page_stays_a_404(client):
    MovedPage.objects.create(old_path="/faq/gone/", new_path="/faq/best-position/")
    assert client.get("/faq/not-gone/").status_code == 404
    assert client.get("/faq/gone/")["Location"] == "/faq/best-position/"
