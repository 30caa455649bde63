import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

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
    """The test database holds the guide's first edition, loaded as `make run` and the Procfile load it."""
    with django_db_blocker.unblock():
        call_command("load_guide", verbosity=0)


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static files unhashed: the manifest exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
    return _change_form_data


def _change_form_data(client, obj):
    """The admin change form's current values, as a browser would submit them."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value not in (None, False):
                    data[inline_form.add_prefix(name)] = "on" if value is True else str(value)
    return url, data
