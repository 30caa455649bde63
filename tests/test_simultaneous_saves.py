"""Editors saving the same item at the same instant: one save wins, the others are refused with
the stale-save message and keep their text; nobody gets an error page (SQLite queues writers)."""

import threading
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.test import Client

from guides.models import Guide, Step
from signoff import proposals

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def editors_group():
    """The guide and the Editors group, put back if an earlier test flushed what the migrations made."""
    if not Guide.objects.exists():
        call_command("load_guide", verbosity=0)
    group, created = Group.objects.get_or_create(name="Editors")
    if created:
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="guides").exclude(codename="approve_proposal")
        )
    return group


def save_all_at_once(posts):
    """POST each (client, url, data) from its own thread, released together; returns the responses."""
    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def save(index, client, url, data):
        try:
            barrier.wait()
            responses[index] = client.post(url, data)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=save, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.mark.parametrize("editors", [2, 5, 10])
def test_simultaneous_saves_of_one_step_give_one_success_and_clear_refusals(editors_group, editors, change_form_data):
    step = Step.objects.get(slug="build-up-gradually")
    posts = []
    for number in range(editors):
        user = User.objects.create_user(f"editor{number}", is_staff=True)  # no password: no slow hashing
        user.groups.add(editors_group)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        url, data = change_form_data(client, step)
        data["body"] = f"Editor {number} rewrote this step."
        posts.append((client, url, data))

    responses = save_all_at_once(posts)

    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == [200] * (editors - 1) + [302], statuses
    winner = statuses.index(302)
    for number, response in enumerate(responses):
        if number != winner:
            html = unescape(response.content.decode())
            assert f"editor{winner} changed this on" in html
            assert f"Editor {number} rewrote this step." in html  # still in the form, nothing lost
    # The one save that went through waits for clinical sign-off, as every change to a published item does.
    assert proposals.open_proposal(step).proposed["body"] == f"Editor {winner} rewrote this step."
