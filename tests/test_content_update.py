"""import_content --update: a running site brought up to a new edition without losing any editor's change."""

import shutil

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from guides.content_files import EDITION_PUBLISHED, EDITION_UPDATE, SEED_DIR, read_content
from guides.models import MovedPage, Question, Step, StepItem, Tip

pytestmark = pytest.mark.django_db
SHIPPED = len(read_content(SEED_DIR))  # items in the shipped edition


@pytest.fixture
def edition(tmp_path):
    """A new edition: a copy of the shipped content files to change."""
    shutil.copytree(SEED_DIR, tmp_path / "edition")
    return tmp_path / "edition"


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def update(directory, capsys, *options):
    """import_content --update; with --publish unless told otherwise (these tests are about matching items)."""
    capsys.readouterr()
    call_command("import_content", directory, "--update", *(options or ["--publish"]))
    return capsys.readouterr().out


def editor_changes(obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = User.objects.create_user("edna")
    obj.save()


def test_the_same_edition_again_changes_nothing(guide, capsys):
    versions = list(Step.objects.values_list("version", flat=True))
    out = update(SEED_DIR, capsys)
    assert f"Added 0, updated 0, proposed for sign-off 0, already waiting 0, unchanged {SHIPPED}, left alone 0." in out
    assert list(Step.objects.values_list("version", flat=True)) == versions


def test_new_items_are_added_and_items_no_editor_changed_are_updated(guide, edition, capsys):
    edit(edition / "tips/01-warm-up-first.md", "Spend a few minutes", "Take a few minutes")
    new_answer = (edition / "questions/05-how-long-to-hold.md").read_text()
    new_answer = new_answer.replace("slug: how-long-to-hold", "slug: can-i-do-this-at-work").replace("order: 5", "order: 8")
    (edition / "questions/08-can-i-do-this-at-work.md").write_text(new_answer)

    out = update(edition, capsys)

    assert f"Added 1, updated 1, proposed for sign-off 0, already waiting 0, unchanged {SHIPPED - 1}, left alone 0." in out
    assert "Added: " in out and "questions/08-can-i-do-this-at-work.md" in out
    assert "Updated: " in out and "tips/01-warm-up-first.md" in out
    tip = Tip.objects.get(slug="warm-up-first")
    assert tip.body.startswith("Take a few minutes") and "Take a few minutes" in tip.body_html
    assert tip.history.first().history_change_reason == EDITION_PUBLISHED
    assert "PUBLISHED WITHOUT CLINICAL SIGN-OFF: 2 items are live now" in out
    assert Question.objects.filter(slug="can-i-do-this-at-work").exists()


@pytest.mark.published_directly
def test_an_item_an_editor_changed_is_left_alone_and_listed_for_merging(guide, edition, capsys):
    step = Step.objects.get(slug="warm-up")
    editor_changes(step, title="Warm up your muscles first")
    edit(edition / "steps/02-warm-up.md", "\n---\n", "\n---\nA new first line from the edition.\n\n")

    out = update(edition, capsys)

    assert "left alone 1." in out
    assert "steps/02-warm-up.md: edna changed it on " in out
    step.refresh_from_db()
    assert step.title == "Warm up your muscles first"
    assert "A new first line" not in step.body


@pytest.mark.published_directly
def test_an_editors_change_is_not_listed_when_the_edition_has_nothing_new_for_it(guide, capsys):
    editor_changes(Step.objects.get(slug="warm-up"), title="Warm up your muscles first")
    out = update(SEED_DIR, capsys)
    assert "left alone 0." in out
    assert Step.objects.get(slug="warm-up").title == "Warm up your muscles first"


@pytest.mark.published_directly
def test_an_item_an_editor_deleted_is_not_brought_back(guide, capsys):
    Tip.objects.get(slug="use-your-core").delete()
    out = update(SEED_DIR, capsys)
    assert "tips/03-use-your-core.md: an editor deleted it" in out
    assert not Tip.objects.filter(slug="use-your-core").exists()


@pytest.mark.published_directly
def test_an_item_an_editor_renamed_is_not_added_twice(guide, capsys):
    editor_changes(Question.objects.get(slug="what-if-it-hurts"), slug="if-it-hurts")
    out = update(SEED_DIR, capsys)
    assert "questions/06-what-if-it-hurts.md: an editor renamed it to 'if-it-hurts'" in out
    assert Question.objects.count() == len(list((SEED_DIR / "questions").glob("*.md")))


def test_an_item_inside_a_step_is_matched_within_its_step(guide, edition, capsys):
    edit(edition / "items/warm-up--01-walking.md", "title: ", "title: Go for a walk #")
    update(edition, capsys)
    assert StepItem.objects.get(step__slug="warm-up", slug="walking").title.startswith("Go for a walk")
    assert StepItem.objects.count() == len(list((SEED_DIR / "items").glob("*.md")))


def test_an_edition_whose_moved_pages_would_loop_with_the_sites_is_refused(guide, edition, capsys):
    MovedPage.objects.create(old_path="/faq/a/", new_path="/faq/b/")
    (edition / "moved").mkdir()
    (edition / "moved/01-faq-b.md").write_text("---\nold_path: /faq/b/\nnew_path: /faq/a/\n---\n")
    with pytest.raises(CommandError, match="moved/01-faq-b.md: the moved pages loop: /faq/b/ → /faq/a/ → /faq/b/"):
        update(edition, capsys)
    assert MovedPage.objects.count() == 1


@pytest.mark.published_directly
def test_the_items_of_a_step_an_editor_renamed_are_still_matched(guide, edition, capsys):
    editor_changes(Step.objects.get(slug="warm-up"), slug="warm-up-first")
    edit(edition / "items/warm-up--01-walking.md", "title: ", "title: Go for a walk #")
    out = update(edition, capsys)
    assert "steps/02-warm-up.md: an editor renamed it to 'warm-up-first'" in out
    assert StepItem.objects.get(step__slug="warm-up-first", slug="walking").title.startswith("Go for a walk")


@pytest.mark.published_directly
def test_the_items_of_a_step_an_editor_deleted_are_left_alone_too(guide, capsys):
    Step.objects.get(slug="warm-up").delete()
    out = update(SEED_DIR, capsys)
    assert "steps/02-warm-up.md: an editor deleted it" in out
    assert "items/warm-up--01-walking.md: it belongs to warm-up, which is left alone too" in out
    assert not Step.objects.filter(slug="warm-up").exists()


@pytest.mark.published_directly
def test_a_second_update_after_a_rename_finds_nothing_more_to_do(guide, edition, capsys):
    editor_changes(Step.objects.get(slug="warm-up"), slug="warm-up-first")
    edit(edition / "items/warm-up--01-walking.md", "title: ", "title: Go for a walk #")
    update(edition, capsys)
    assert "updated 0," in update(edition, capsys)


# Without --publish, readers see nothing new until a clinical reviewer approves it.


def reader_sees(url):
    from django.test import Client

    return Client().get(url)


def test_update_proposes_each_change_to_published_copy_and_readers_see_nothing_new_until_approval(
    guide, edition, capsys, make_editor, approve
):
    from signoff import proposals, services

    olu = make_editor("olu")
    edit(edition / "tips/01-warm-up-first.md", "Spend a few minutes", "Take a few minutes")
    new_answer = (edition / "questions/05-how-long-to-hold.md").read_text()
    new_answer = new_answer.replace("slug: how-long-to-hold", "slug: can-i-do-this-at-work").replace("order: 5", "order: 12")
    (edition / "questions/12-can-i-do-this-at-work.md").write_text(new_answer)

    out = update(edition, capsys, "--as", "olu")

    assert "Added 1, updated 0, proposed for sign-off 2, already waiting 0," in out
    assert "12-can-i-do-this-at-work.md (a draft until a clinical reviewer approves publishing it)" in out
    assert "Proposed for sign-off: " in out and "tips/01-warm-up-first.md" in out
    assert "until a clinical reviewer approves each one" in out and "WITHOUT" not in out
    tip = Tip.objects.get(slug="warm-up-first")
    assert "Take a few minutes" not in tip.body
    assert "Take a few minutes" not in reader_sees("/tips/").content.decode()
    new = Question.objects.get(slug="can-i-do-this-at-work")
    assert not new.is_published and reader_sees(new.get_absolute_url()).status_code == 404
    proposal = proposals.open_proposal(tip)
    assert list(proposal.authors.all()) == [olu] and proposal.reason == EDITION_UPDATE

    approve(tip)
    approve(new)
    assert "Take a few minutes" in reader_sees("/tips/").content.decode()
    assert reader_sees(new.get_absolute_url()).status_code == 200
    assert Tip.objects.get(slug="warm-up-first").history.first().history_change_reason == EDITION_UPDATE
    # Approved, the edition counts as loaded: the next update has nothing more to do.
    assert "proposed for sign-off 0, already waiting 0, unchanged" in update(edition, capsys, "--as", "olu")


def test_update_needs_a_named_account_unless_it_publishes(guide, edition, capsys):
    with pytest.raises(CommandError, match="--as USERNAME"):
        call_command("import_content", edition, "--update")
    with pytest.raises(CommandError, match="no active account called 'nobody-here'"):
        update(edition, capsys, "--as", "nobody-here")


def test_a_second_update_before_approval_does_not_stack_proposals(guide, edition, capsys, make_editor):
    from signoff.models import Proposal

    make_editor("olu")
    edit(edition / "tips/01-warm-up-first.md", "Spend a few minutes", "Take a few minutes")
    update(edition, capsys, "--as", "olu")
    out = update(edition, capsys, "--as", "olu")
    assert "proposed for sign-off 0, already waiting 1," in out
    assert Proposal.objects.open().count() == 1


def test_an_editors_waiting_change_is_not_overwritten_by_the_edition(guide, edition, capsys, make_editor, editor):
    from signoff import proposals, services

    make_editor("olu")
    tip = Tip.objects.get(slug="warm-up-first")
    services.propose(tip, {**proposals.values_of(tip), "body": "Edna's wording."}, editor, reason="Clearer")
    edit(edition / "tips/01-warm-up-first.md", "Spend a few minutes", "Take a few minutes")
    out = update(edition, capsys, "--as", "olu")
    assert "tips/01-warm-up-first.md: a change by edna is waiting for sign-off; merge by hand" in out
    assert proposals.open_proposal(tip).proposed["body"] == "Edna's wording."


def test_a_changed_exercise_of_a_published_step_is_proposed_with_its_step(guide, edition, capsys, make_editor, approve):
    make_editor("olu")
    edit(edition / "items/warm-up--01-walking.md", "title: ", "title: Go for a walk #")
    out = update(edition, capsys, "--as", "olu")
    assert "Proposed for sign-off: " in out and "items/warm-up--01-walking.md" in out
    walking = StepItem.objects.get(step__slug="warm-up", slug="walking")
    assert not walking.title.startswith("Go for a walk")
    approve(Step.objects.get(slug="warm-up"))
    walking.refresh_from_db()
    assert walking.title.startswith("Go for a walk")
    assert StepItem.objects.count() == len(list((SEED_DIR / "items").glob("*.md")))


def test_whether_an_editor_changed_an_item_is_its_state_not_the_words_of_its_history(guide, edition, capsys):
    # The history's reasons are for people to read: rewording them must not change what an update does.
    Tip.history.update(history_change_reason="Loaded in a way the update does not know the words for")
    edit(edition / "tips/01-warm-up-first.md", "Spend a few minutes", "Take a few minutes")

    out = update(edition, capsys)

    assert "updated 1," in out and "left alone 0." in out
    assert Tip.objects.get(slug="warm-up-first").body.startswith("Take a few minutes")


def test_every_loaded_item_keeps_the_fingerprint_of_what_its_edition_said(guide):
    tips = Tip.objects.all()
    assert tips and all(len(tip.edition_hash) == 64 for tip in tips)
    assert len({tip.edition_hash for tip in tips}) == len(tips)  # each fingerprint is of its own item's values


@pytest.mark.published_directly
def test_an_item_an_editor_changed_back_to_the_editions_words_counts_as_untouched(guide, edition, capsys):
    step = Step.objects.get(slug="warm-up")
    title = step.title
    editor_changes(step, title="Warm up your muscles first")
    step.title = title
    step.save()
    edit(edition / "steps/02-warm-up.md", "\n---\n", "\n---\nA new first line from the edition.\n\n")

    out = update(edition, capsys)

    assert "updated 1," in out and "left alone 0." in out
    step.refresh_from_db()
    assert step.body.startswith("A new first line")


def test_an_edition_that_changes_a_cited_source_leaves_it_alone_and_says_how_to_change_it(guide, edition, capsys):
    from guides.models import Source

    User.objects.create_user("olu", is_staff=True)
    edit(edition / "sources/19-nhs-back-pain.md", "title: Back pain", "title: Back pain in adults")

    out = update(edition, capsys, "--as", "olu")

    assert "left alone 1." in out
    assert "sources/19-nhs-back-pain.md: published pages cite this source" in out
    assert Source.objects.get(slug="nhs-back-pain").title == "Back pain"
