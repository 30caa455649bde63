"""export_content / import_content: every content item as a file, and back again with nothing lost."""

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import CommandError, call_command

from guides.models import base as models_module
from guides.content_files import KINDS, SEED_DIR, file_fields, parse
from guides.models import CareCard, ClaimRule, Guide, HardWord, MovedPage, Question, Step, StepItem, Tip
from signoff.models import SIGN_OFF_MODELS

pytestmark = pytest.mark.django_db
CONTENT_MODELS = [kind.model for kind in KINDS.values()]


def snapshot():
    """Every content item's file fields, keyed by model and natural key: what a backup must keep."""
    state = {}
    for model in CONTENT_MODELS:
        for obj in model.objects.all():
            key = (model.__name__, getattr(obj, "step", None) and obj.step.slug, str(obj))
            values = {}
            for field in file_fields(model):
                if field.many_to_many:
                    values[field.name] = sorted(related.slug for related in getattr(obj, field.name).all())
                elif field.is_relation:
                    values[field.name] = getattr(obj, field.name).slug
                else:
                    values[field.name] = field.value_from_object(obj)
            for name in getattr(model, "markdown_fields", ()):
                # Files hold Markdown with Unix line endings; Markdown reads \r\n and \n alike.
                values[name] = values[name].replace("\r\n", "\n")
                values[f"{name}_html"] = getattr(obj, f"{name}_html")
            state[key] = values
    return state


def pages(client, urls):
    cache.clear()
    return {url: (response.status_code, response.content) for url in urls for response in [client.get(url)]}


def files(directory):
    return {path.relative_to(directory).as_posix(): path.read_text() for path in sorted(directory.rglob("*.md"))}


@pytest.fixture
def edited_content(guide):
    """The seed as editors leave it: a draft, new versions, a moved page, line endings from a textarea.

    Returns addresses whose answer is not a plain 200: the draft's (404) and the moved page's old one (301).
    """
    draft = Question.objects.get(slug="how-long-to-hold")
    draft.is_published = False
    draft.save()
    step = Step.objects.get(slug="warm-up")
    step.body = step.body.replace("\n", "\r\n") + "\r\n\r\nOne more line from an editor."
    step.save()
    moved = Question.objects.get(slug="best-position")
    old_address = moved.get_absolute_url()
    moved.slug = "best-position-to-start"
    moved.save()
    assert MovedPage.objects.filter(old_path=old_address).exists()
    return [draft.get_absolute_url(), old_address]


@pytest.mark.published_directly
def test_round_trip_into_an_empty_database_reproduces_every_public_page_byte_for_byte(
    client, public_urls, edited_content, tmp_path
):
    urls = [*public_urls, *edited_content]
    before_pages, before_state = pages(client, urls), snapshot()
    assert [before_pages[url][0] for url in edited_content] == [404, 301]

    call_command("export_content", tmp_path / "backup")
    for model in CONTENT_MODELS:
        model.objects.all().delete()
    assert sum(model.objects.count() for model in CONTENT_MODELS) == 0
    assert pages(client, ["/"])["/"][0] == 404
    call_command("import_content", tmp_path / "backup")

    assert pages(client, urls) == before_pages
    assert snapshot() == before_state


@pytest.mark.published_directly
def test_exporting_what_was_imported_gives_the_same_files(edited_content, tmp_path):
    call_command("export_content", tmp_path / "first")
    call_command("import_content", tmp_path / "first", "--replace")
    call_command("export_content", tmp_path / "second")
    first = files(tmp_path / "first")
    assert first == files(tmp_path / "second")
    assert len(first) == 1 + sum(model.objects.count() for model in CONTENT_MODELS if model is not Guide)
    assert "moved/01-faq-best-position.md" in first


def test_export_writes_the_documented_format(guide, tmp_path):
    call_command("export_content", tmp_path)
    meta, fields = parse((tmp_path / "guide.md").read_text())
    assert meta["slug"] == "lower-back-guide"
    assert meta["last_reviewed"] == guide.last_reviewed.isoformat()
    assert set(fields) == {"", "conclusion", "key_points", "check_first", "funding", "conflicts_of_interest"}
    assert meta["sources"].split(",") == list(guide.sources.values_list("slug", flat=True))
    assert fields[""] == guide.introduction

    meta, fields = parse((tmp_path / "steps/08-get-help.md").read_text())
    assert meta["order"] == "8"
    assert meta["is_published"] == "true"
    assert meta["care_cards"].split(",") == ["emergency", "a-and-e", "urgent", "non-urgent"]
    assert {"last_reviewed", "reviewed_by", "next_review_due"} <= set(meta)
    assert "body_html" not in meta and "updated_at" not in meta and "guide" not in meta

    meta, fields = parse((tmp_path / "items/warm-up--03-pelvic-tilt.md").read_text())
    assert meta["step"] == "warm-up"
    assert fields[""] == StepItem.objects.get(step__slug="warm-up", slug="pelvic-tilt").text


def test_every_content_model_and_every_editable_field_is_exported(guide, tmp_path):
    guides_models = {
        model
        for model in apps.get_app_config("guides").get_models()
        if not model.__name__.startswith("Historical") and model not in SIGN_OFF_MODELS
    }
    guides_models -= {ClaimRule, HardWord}  # the content checks' rules: settings for editors, not copy
    assert guides_models == set(CONTENT_MODELS), "a new content model needs an entry in content_files.KINDS"
    MovedPage.objects.create(old_path="/faq/old/", new_path="/faq/best-position/")
    call_command("export_content", tmp_path)
    for kind in KINDS.values():
        model = kind.model
        path = next(path for path in (tmp_path / kind.folder).glob("*.md")) if kind.folder else tmp_path / "guide.md"
        meta, fields = parse(path.read_text())
        written = (set(meta) | set(fields) | {kind.main_field}) - {""}
        expected = {f.name for f in file_fields(model) if f.name != "guide"}
        assert written == expected, model.__name__


def test_export_refuses_a_folder_that_is_not_empty(guide, tmp_path):
    (tmp_path / "old-file.md").write_text("left over")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_content", tmp_path)


def test_import_refuses_to_overwrite_a_guide_unless_asked_to_replace_it(guide, tmp_path):
    call_command("export_content", tmp_path / "backup")
    with pytest.raises(CommandError, match="already has a guide"):
        call_command("import_content", tmp_path / "backup")
    call_command("import_content", tmp_path / "backup", "--replace")
    assert Step.objects.count() == 8


def test_the_seed_folder_imports_like_the_first_migration_loaded_it(guide):
    before = snapshot()
    call_command("import_content", SEED_DIR, "--replace")
    assert snapshot() == before


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


BAD_FILES = [
    ("bad-date", "steps/02-warm-up.md", "last_reviewed: ", "last_reviewed: 2026-13-45 #", "steps/02-warm-up.md", "last_reviewed"),
    ("no-front-matter", "tips/01-warm-up-first.md", "---\n", "", "tips/01-warm-up-first.md", "must start with a '---' line"),
    ("unknown-field", "questions/01-is-it-safe-to-pop-my-own-back.md", "order:", "colour: red\norder:", "01-is-it-safe-to-pop-my-own-back.md", "unknown field 'colour'"),
    ("empty-required-field", "cards/01-emergency.md", "heading: Call 999 for an ambulance now if you have back pain and:", "heading:", "cards/01-emergency.md", "heading: This field cannot be blank"),
    ("bad-choice", "cards/03-urgent.md", "level: urgent", "level: whenever", "cards/03-urgent.md", "level"),
    ("sign-of-a-missing-card", "signs/a-and-e--01-both-legs.md", "card: a-and-e", "card: sometime", "a-and-e--01-both-legs.md", "sometime"),
    ("empty-sign-words", "signs/a-and-e--01-both-legs.md", "words: you have pain, tingling, numbness or weakness in both legs", "words:", "a-and-e--01-both-legs.md", "words: This field cannot be blank"),
    ("unknown-illustration", "steps/05-gentle-pressure.md", "illustration: ", "illustration: ../../etc/passwd #", "05-gentle-pressure.md", "illustration"),
    ("item-of-a-missing-step", "items/warm-up--01-walking.md", "step: warm-up", "step: warm-upp", "warm-up--01-walking.md", "step 'warm-upp' is not in the folder"),
    ("missing-care-card", "steps/08-get-help.md", "care_cards: ", "care_cards: no-such-card,", "08-get-help.md", "care_cards no-such-card"),
    ("duplicate-slug", "questions/02-how-often-can-i-do-this.md", "slug: how-often-can-i-do-this", "slug: best-position", "02-how-often-can-i-do-this.md", "same slug"),
    ("duplicate-step-order", "steps/03-comfortable-position.md", "order: 3", "order: 4", "03-comfortable-position.md", "same order"),
    ("not-a-number", "tips/02-find-a-steady-position.md", "order: 2", "order: second", "02-find-a-steady-position.md", "'order' has the bad value 'second'"),
    ("not-yes-or-no", "tips/03-use-your-core.md", "is_published: true", "is_published: maybe", "03-use-your-core.md", "is_published"),
    ("unclosed-front-matter", "guide.md", "\n---\n", "\n", "guide.md", "no closing '---' line"),
]


@pytest.mark.parametrize("path, old, new, named, problem", [case[1:] for case in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_changes_nothing_and_the_error_names_the_file_and_the_problem(
    guide, tmp_path, path, old, new, named, problem
):
    call_command("export_content", tmp_path / "backup")
    Step.objects.filter(slug="warm-up").update(title="Changed after the backup")
    before = snapshot()
    edit(tmp_path / "backup" / path, old, new)
    with pytest.raises(CommandError) as error:
        call_command("import_content", tmp_path / "backup", "--replace")
    message = str(error.value)
    assert "Nothing was imported" in message
    assert named in message and problem in message, message
    assert snapshot() == before


def test_every_bad_file_is_reported_at_once(guide, tmp_path):
    call_command("export_content", tmp_path / "backup")
    edit(tmp_path / "backup/tips/01-warm-up-first.md", "order: 1", "order: one")
    edit(tmp_path / "backup/questions/03-best-position.md", "next_review_due: ", "next_review_due: soon #")
    with pytest.raises(CommandError) as error:
        call_command("import_content", tmp_path / "backup", "--replace")
    assert "tips/01-warm-up-first.md" in str(error.value)
    assert "questions/03-best-position.md" in str(error.value)


def test_a_folder_without_a_guide_is_refused(guide, tmp_path):
    with pytest.raises(CommandError, match="guide.md: is missing"):
        call_command("import_content", tmp_path, "--replace")
    assert Guide.objects.count() == 1


def test_a_file_that_is_not_utf8_is_named(guide, tmp_path):
    call_command("export_content", tmp_path / "backup")
    (tmp_path / "backup/tips/01-warm-up-first.md").write_bytes(b"---\ntitle: \xff\xfe\n---\n")
    with pytest.raises(CommandError, match="01-warm-up-first.md: cannot be read"):
        call_command("import_content", tmp_path / "backup", "--replace")
    assert Tip.objects.count() == 4


def test_a_value_a_file_cannot_hold_is_refused_on_export_not_lost(guide, tmp_path):
    CareCard.objects.filter(slug="urgent").update(heading="Two\nlines")
    with pytest.raises(CommandError, match="heading has line breaks"):
        call_command("export_content", tmp_path / "backup")


# Hostile or broken folders: refused before anything is written, each problem naming its file.


def backup_with_moved_pages(tmp_path, *moves):
    for old, new in moves:
        MovedPage.objects.create(old_path=old, new_path=new)
    call_command("export_content", tmp_path / "backup")
    MovedPage.objects.all().delete()
    return tmp_path / "backup"


def refused(directory):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import_content", directory, "--replace")
    assert "Nothing was imported" in str(error.value)
    assert snapshot() == before
    assert not MovedPage.objects.exists()
    return str(error.value)


@pytest.mark.parametrize(
    "target",
    ["javascript:alert(1)", "https://evil.example/", "//evil.example/", "/\\evil.example/", "faq/relative/", "/faq/a b/"],
)
def test_a_moved_page_that_leaves_the_site_is_refused(guide, tmp_path, target):
    backup = backup_with_moved_pages(tmp_path, ("/faq/old/", "/faq/best-position/"))
    edit(backup / "moved/01-faq-old.md", "new_path: /faq/best-position/", f"new_path: {target}")
    message = refused(backup)
    assert "moved/01-faq-old.md" in message and "new_path" in message and "a path on this site" in message


def test_moved_pages_that_loop_are_refused(guide, tmp_path):
    backup = backup_with_moved_pages(tmp_path, ("/faq/a/", "/faq/b/"), ("/faq/b/", "/faq/c/"))
    edit(backup / "moved/02-faq-b.md", "new_path: /faq/c/", "new_path: /faq/a/")
    message = refused(backup)
    assert "moved/01-faq-a.md: the moved pages loop: /faq/a/ → /faq/b/ → /faq/a/" in message
    assert "moved/02-faq-b.md: the moved pages loop" in message


def test_a_moved_page_that_points_at_itself_is_refused(guide, tmp_path):
    backup = backup_with_moved_pages(tmp_path, ("/faq/a/", "/faq/b/"))
    edit(backup / "moved/01-faq-a.md", "new_path: /faq/b/", "new_path: /faq/a/")
    assert "moved/01-faq-a.md" in refused(backup)


def test_a_file_too_large_is_refused_without_being_read(guide, tmp_path):
    call_command("export_content", tmp_path / "backup")
    path = tmp_path / "backup/tips/01-warm-up-first.md"
    path.write_text(path.read_text() + "x" * (30 * 1024 * 1024))
    assert "tips/01-warm-up-first.md: is 31,457," in refused(tmp_path / "backup")


def test_a_markdown_field_too_long_is_refused(guide, tmp_path):
    call_command("export_content", tmp_path / "backup")
    path = tmp_path / "backup/questions/03-best-position.md"
    path.write_text(path.read_text() + "word " * 5_000)
    message = refused(tmp_path / "backup")
    assert "questions/03-best-position.md: answer" in message and "too long" in message, message


def test_markdown_that_cannot_be_rendered_is_named_like_any_other_problem(guide, tmp_path, monkeypatch):
    call_command("export_content", tmp_path / "backup")
    edit(tmp_path / "backup/tips/02-find-a-steady-position.md", "\n---\n", "\n---\n" + "- " * 500 + "x\n\n")
    real_render = models_module.render_markdown

    def render(text):
        if text.startswith("- - - "):
            raise RecursionError("maximum recursion depth exceeded")
        return real_render(text)

    monkeypatch.setattr(models_module, "render_markdown", render)
    message = refused(tmp_path / "backup")
    assert "tips/02-find-a-steady-position.md: its Markdown cannot be rendered (RecursionError)" in message
