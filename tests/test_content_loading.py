import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from guides.content_files import ContentFileError, load_seed, parse
from guides.content_files import KINDS
from guides.models import CareCard, Guide, Question, Step, StepItem, Tip, WarningSign

pytestmark = pytest.mark.django_db


def test_a_fresh_migrate_holds_the_complete_guide():
    assert Guide.objects.count() == 1
    assert Step.objects.count() == 8
    assert StepItem.objects.filter(step__slug="warm-up").count() == 6
    assert StepItem.objects.filter(step__slug="comfortable-position").count() == 4
    assert Question.objects.count() == 11
    assert Tip.objects.count() == 4
    assert list(CareCard.objects.by_urgency().values_list("level", flat=True)) == [
        "emergency", "a-and-e", "urgent", "non-urgent",
    ]
    assert all(card.signs.exists() for card in CareCard.objects.all())
    assert list(Step.objects.values_list("order", flat=True)) == list(range(1, 9))
    for step in Step.objects.all():
        assert step.body_html.startswith("<")
        assert step.illustration and step.illustration_alt and step.illustration_caption


def test_every_illustration_in_the_content_exists_as_an_svg():
    static = Path(__file__).resolve().parent.parent / "static" / "guides" / "illustrations"
    pictures = list(Step.objects.values_list("illustration", flat=True))
    pictures += [p for p in StepItem.objects.values_list("illustration", flat=True) if p]
    assert len(pictures) == 18
    for picture in pictures:
        assert (static / picture).read_text().lstrip().startswith("<svg"), picture


def test_the_red_flags_are_listed_at_the_tier_the_nhs_gives_them():
    def signs(level):
        return " ".join(WarningSign.objects.filter(card__level=level).values_list("words", flat=True)).lower()

    for sign in ("chest pain", "accident", "confused", "blue"):
        assert sign in signs("emergency"), sign
    for sign in ("both legs", "genitals", "pee", "poo"):
        assert sign in signs("a-and-e"), sign
    for sign in ("one leg", "temperature", "cancer"):
        assert sign in signs("urgent"), sign
    assert "999" in CareCard.objects.get(level="emergency").heading
    assert "A&E" in CareCard.objects.get(level="a-and-e").heading


@pytest.mark.published_directly
def test_running_the_loader_again_keeps_editors_changes_and_deletions():
    step = Step.objects.get(slug="warm-up")
    step.title = "An editor's better title"
    step.save()
    Tip.objects.filter(slug="use-your-core").delete()
    before = Step.objects.count(), StepItem.objects.count(), Question.objects.count()

    assert load_seed() is False
    call_command("load_guide")

    assert Step.objects.get(slug="warm-up").title == "An editor's better title"
    assert not Tip.objects.filter(slug="use-your-core").exists()
    assert (Step.objects.count(), StepItem.objects.count(), Question.objects.count()) == before


@pytest.mark.published_directly
def test_the_loader_fills_an_empty_database():
    Guide.objects.all().delete()
    assert Step.objects.count() == 0
    assert load_seed() is True
    assert Step.objects.count() == 8
    assert Step.objects.get(slug="get-help").care_cards.count() == 4
    assert WarningSign.objects.count() == len(list((Path(__file__).resolve().parent.parent / "guides" / "content" / "signs").glob("*.md")))


def test_rerender_markdown_rebuilds_stored_html():
    Question.objects.update(answer_html="stale")
    call_command("rerender_markdown")
    assert not Question.objects.filter(answer_html="stale").exists()
    assert '<a href="tel:999">999</a>' in CareCard.objects.get(level="emergency").body_html


@pytest.mark.parametrize(
    "text, problem",
    [
        ("no front matter", "must start"),
        ("---\ntitle: x\nno end", "no closing"),
        ("---\nnot a pair\n---\nbody", "line 2"),
    ],
)
def test_malformed_content_files_are_reported_with_the_problem(text, problem):
    with pytest.raises(ContentFileError, match=problem):
        parse(text, "bad.md")


def test_the_site_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "backcare.settings"},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_loader_leaves_a_renamed_guide_alone():
    Guide.objects.update(slug="renamed-by-an-editor")
    assert load_seed() is False
    assert Guide.objects.get().slug == "renamed-by-an-editor"


def test_the_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_loaded_item_has_a_first_edition_history_entry_to_undo_to():
    for model in (kind.model for kind in KINDS.values()):
        if not hasattr(model, "history"):
            continue
        for obj in model.objects.all():
            first = obj.history.earliest("history_date")
            assert first.history_change_reason == "First edition", obj


def test_no_migration_imports_the_apps_code():
    """Migrations use historical models only: app code changes would otherwise rewrite history."""
    migrations = Path(__file__).resolve().parent.parent / "guides" / "migrations"
    for path in migrations.glob("*.py"):
        text = path.read_text()
        assert "from guides" not in text and "import guides" not in text, path.name
