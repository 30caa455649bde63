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


@pytest.fixture
def reviewer(db):
    """A clinical reviewer (also an editor), signing as 'Dr Rhea Patel, Physiotherapist'."""
    from django.contrib.auth.models import Group, User

    from guides.models import ReviewerProfile

    user = User.objects.create_user("rhea", password="a-long-reviewer-passphrase-9", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Clinical reviewers"))
    ReviewerProfile.objects.create(user=user, public_name="Dr Rhea Patel", role="Physiotherapist")
    return user


@pytest.fixture
def approve(reviewer):
    """Approve an item's waiting change as the clinical reviewer would (clinical review by default)."""
    from guides import workflow

    def approve_item(item, wording_only=False):
        item = type(item).objects.get(pk=item.pk)
        proposal = workflow.open_proposal(item)
        assert proposal is not None, f"nothing is waiting for sign-off on {item}"
        return workflow.approve(item, reviewer, proposal.revision, wording_only=wording_only)

    return approve_item
