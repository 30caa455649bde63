"""Real-browser fixtures: Debian's Chromium driven by Playwright's sync API against `live_server`."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from guides.models import Guide

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be allowed here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("BACKCARE_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.glob("*.png")):
        terminalreporter.write_line(f"Browser screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (never `playwright install`).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


# live_server tests run as Django's TransactionTestCase: what they write is committed, and Django
# empties every table after each one. Each browser test starts from the database as django_db_setup
# left it (migrated, the guide loaded). On SQLite (CI's browser leg) the copy django_db_setup took
# (tests/conftest.py) is restored in a few milliseconds; elsewhere Django's serialized rollback puts
# the migrations' data back and the guide is loaded again (about half a second a test).
if connection.vendor == "sqlite":

    @pytest.fixture
    def seeded_database(django_db_setup, transactional_db):
        django_db_setup.restore()

else:

    @pytest.fixture(scope="session", autouse=True)
    def serialized_data_for_every_connection(django_db_setup):
        """Give the migrations' data, serialized when the test database was made, to every connection.

        Django keeps a connection per context, and once Playwright's sync API runs, tests run in a new
        context with a new connection object, which lacks the serialized data: the serialized rollback
        would then silently put nothing back (no groups, no content-check rules) after a flush.
        """
        contents = getattr(connections["default"], "_test_serialized_contents", None)
        if contents is not None:
            type(connections["default"])._test_serialized_contents = contents

    @pytest.fixture(scope="session", autouse=True)
    def reseed_after_browser_tests(django_db_setup, django_db_blocker):
        """Put the seeded guide back once the browser tests are done, for a reused test database."""
        yield
        with django_db_blocker.unblock():
            if not Guide.objects.exists():
                call_command("load_guide", verbosity=0)

    @pytest.fixture
    def seeded_database(django_db_serialized_rollback, transactional_db):
        """Serialized rollback has put back what the migrations made (the groups, the content-check
        rules); the guide is loaded again when an earlier browser test's flush removed it."""
        if not Guide.objects.exists():
            call_command("load_guide", verbosity=0)


@pytest.fixture
def site(live_server, seeded_database):
    """The live site's base URL, over the database as django_db_setup left it (the guide loaded)."""
    return live_server.url


@pytest.fixture
def public_paths(site):
    """Every public page, as the sitemap lists them."""
    from guides.sitemaps import public_paths

    return public_paths()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts (viewport, colour scheme, permissions); all closed after the test."""
    contexts = []

    def open_page(**context_options):
        context_options.setdefault("viewport", {"width": 390, "height": 844})
        # Each page would install the offline service worker and keep the whole guide in the
        # background; only the offline tests ask for it (service_workers="allow").
        context_options.setdefault("service_workers", "block")
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def axe_path():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does).")
    return str(AXE)


@pytest.fixture(scope="session")
def artifacts():
    """Where screenshots, the printed PDF and axe results go (git-ignored); printed at the end of the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def _load_every_image(page):
    """Make lazy images load now and wait until each has loaded or failed."""
    page.evaluate(
        """async () => {
          for (const img of document.images) img.loading = "eager";
          await Promise.all([...document.images].map((img) =>
            img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; })));
        }"""
    )


@pytest.fixture
def load_every_image():
    return _load_every_image
