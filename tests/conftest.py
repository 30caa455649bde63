import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from guides.models import Guide, Question, Step


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
    """Each test starts with no cached pages (QuerySet.update() sends no signals)."""
    cache.clear()
    yield
    cache.clear()


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
    """Every public page of the seeded guide."""
    urls = ["/", "/help/", "/guide/all/", "/faq/", "/tips/"]
    urls += [step.get_absolute_url() for step in Step.objects.all()]
    urls += [question.get_absolute_url() for question in Question.objects.all()]
    return urls
