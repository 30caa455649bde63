"""Issue 23: the sign-off service decides which actions a user has, and each action checks its rules itself."""

import pytest
from django.core.exceptions import PermissionDenied

from guides.models import Question
from signoff import ordering, proposals, services
from signoff.models import Proposal

pytestmark = pytest.mark.django_db


def propose_answer(item, user, answer="Walk a little every hour. Stop if it hurts."):
    return services.propose(item, {**proposals.values_of(item), "answer": answer}, user, reason="Clearer")


def test_a_reviewer_who_did_not_write_a_change_may_approve_or_send_it_back_and_its_author_only_withdraw(
    guide, editor, reviewer
):
    question = Question.objects.filter(is_published=True).first()
    propose_answer(question, editor)
    assert services.available_actions(reviewer, question) == {"approve", "approve_wording", "send_back"}
    assert services.available_actions(editor, question) == {"withdraw"}


def test_a_reviewer_may_only_confirm_a_review_when_nothing_waits_and_an_editor_may_do_nothing(guide, editor, reviewer):
    question = Question.objects.filter(is_published=True).first()
    assert services.available_actions(reviewer, question) == {"confirm_review"}
    assert services.available_actions(editor, question) == set()


def test_a_reviewer_who_wrote_the_change_is_offered_no_approval_and_the_service_refuses_it(guide, reviewer):
    question = Question.objects.filter(is_published=True).first()
    proposal = propose_answer(question, reviewer)
    assert services.available_actions(reviewer, question) == {"withdraw"}
    with pytest.raises(services.SignOffRefused, match="another clinical reviewer"):
        services.approve(question, reviewer, proposal.revision)


def test_only_an_author_may_withdraw_a_change_even_when_the_service_is_called_directly(guide, editor, make_editor):
    question = Question.objects.filter(is_published=True).first()
    proposal = propose_answer(question, editor)
    with pytest.raises(services.SignOffRefused, match="Only an author"):
        services.withdraw(proposal, make_editor("olu"))
    services.withdraw(proposal, editor)
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.WITHDRAWN


def test_a_new_order_offers_its_decisions_only_on_the_page_of_an_item_it_moves(guide, editor, reviewer):
    first, second = Question.objects.filter(is_published=True).order_by("order")[:2]
    services.reorder(Question, [first], "down", editor)
    order_change = Proposal.objects.open().get(kind=Proposal.Kind.REORDER)
    assert services.available_actions(reviewer, first, order_change) == {"approve_order", "send_back_order"}
    assert services.available_actions(editor, second, order_change) == {"withdraw_order"}
    unmoved = Question.objects.filter(is_published=True).order_by("order")[2]
    assert services.available_actions(reviewer, unmoved, order_change) == set()
    assert isinstance(services.refusal_of(reviewer, unmoved, "approve_order", order_change), PermissionDenied)
    assert ordering.open_reorder(order_change.pk) is not None


def imported_modules(path):
    import ast

    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_guides_never_imports_the_sign_off_admin_and_reader_views_import_nothing_of_the_sign_off():
    from pathlib import Path

    import guides

    root = Path(guides.__file__).parent
    for path in root.rglob("*.py"):
        assert "signoff.admin" not in imported_modules(path), path
    views = imported_modules(root / "views.py")
    assert not any(name == "signoff" or name.startswith("signoff.") for name in views)
