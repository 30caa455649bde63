import io
import logging
import sqlite3
from contextlib import closing

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

import admin_forms
from guides.models import Guide, Question
from guides.page_cache import shared_cache
from guides.sitemaps import public_paths

PASSWORD = "a-long-test-passphrase-42"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """Test on an SQLite file, not in memory: the live server's threads then get their own connections
    (an in-memory database is one connection shared by every thread, which breaks under concurrent requests)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the guide's first edition, loaded as `make run` and the Procfile load it.

    On SQLite its value is a copy of that database, taken here, before any test can empty it: tests
    that commit (the browser tests) restore it to start from the seeded guide. Elsewhere it is None.
    """
    with django_db_blocker.unblock():
        call_command("load_guide", verbosity=0)
        return SeededSQLiteDatabase() if connection.vendor == "sqlite" else None


class SeededSQLiteDatabase:
    """The test database, copied into memory and back with SQLite's backup API (milliseconds)."""

    def __init__(self):
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        with closing(sqlite3.connect(connection.settings_dict["NAME"])) as database:
            database.backup(self.copy)

    def restore(self):
        """Every connection to the test database (the test's, the live server's threads') sees the
        copy at once: none holds a transaction between tests."""
        with closing(sqlite3.connect(connection.settings_dict["NAME"], timeout=20)) as database:
            self.copy.backup(database)


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static files unhashed: the manifest exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


PRODUCTION_STATIC = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture(scope="session")
def collected_static_root(tmp_path_factory):
    """collectstatic's output (a few seconds' work), made once for every test that reads it."""
    root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": PRODUCTION_STATIC}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def collected_static(settings, collected_static_root):
    """Static files as production serves them: collected, hashed and compressed."""
    settings.STATIC_ROOT = collected_static_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STATIC}
    return collected_static_root


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages (QuerySet.update() sends no signals), and with the
    shared cache answering (a test may have simulated an outage)."""
    cache.clear()
    shared_cache.reset()
    yield
    cache.clear()
    shared_cache.reset()


@pytest.fixture
def guide(db):
    """The guide as `load_guide` loaded it."""
    return Guide.objects.get(slug="lower-back-guide")


@pytest.fixture
def steps(guide):
    return list(guide.steps.all())


@pytest.fixture
def questions(guide):
    return list(Question.objects.filter(guide=guide))


@pytest.fixture
def public_urls(guide):
    """Every public page of the seeded guide: what the sitemap lists."""
    return public_paths()


@pytest.fixture
def make_editor(db):
    """Makes a staff account in the Editors group, as `create_editor` does."""

    def make_editor(username):
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        return user

    return make_editor


@pytest.fixture
def editor(make_editor):
    return make_editor("edna")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def change_form_data():
    """(url, data) of an object's admin change form as a browser would submit it, unchanged."""
    return admin_forms.change_form_data


@pytest.fixture
def reviewer(db):
    """A clinical reviewer (also an editor), signing as 'Dr Rhea Patel, Physiotherapist'."""
    from django.contrib.auth.models import Group, User

    from signoff.models import ReviewerProfile

    user = User.objects.create_user("rhea", password="a-long-reviewer-passphrase-9", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Clinical reviewers"))
    ReviewerProfile.objects.create(user=user, public_name="Dr Rhea Patel", role="Physiotherapist")
    return user


@pytest.fixture
def approve(reviewer):
    """Approve an item's waiting change as the clinical reviewer would (clinical review by default)."""
    from signoff import proposals, services

    def approve_item(item, wording_only=False):
        item = type(item).objects.get(pk=item.pk)
        proposal = proposals.open_proposal(item)
        assert proposal is not None, f"nothing is waiting for sign-off on {item}"
        return services.approve(item, reviewer, proposal.revision, wording_only=wording_only)

    return approve_item


@pytest.fixture
def error_log():
    """What the site writes to stderr (the handler settings.LOGGING configures)."""
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.fixture(autouse=True)
def published_directly(request):
    """Tests marked published_directly set up published copy with plain saves, as if a reviewer had
    approved it: they are about pages, checks or files, not about who may publish. Every other
    test runs with the guard on (guides.publishing), the admin and the sign-off ones included."""
    if request.node.get_closest_marker("published_directly") is None:
        yield
        return
    from guides.publishing import publishing

    with publishing():
        yield
