"""The guide offline, in a real browser: after one visit online, the service worker keeps every
page; offline, readers get the kept copy (dated) or the offline page with how to get help now."""

import threading
import time

import pytest
from django.core.cache import cache
from playwright.sync_api import Error as BrowserError

from guides import views
from guides.models import CareCard, Guide, Step
from test_editor_in_a_browser import editor, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Resolves with the kept copies once the worker is in charge; fails after 20 s (a failed install
# would otherwise leave `ready` waiting for ever, and evaluate() has no timeout of its own).
WAIT_FOR_THE_WORKER = """async () => {
  const inCharge = (async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((done) => navigator.serviceWorker.addEventListener("controllerchange", done, { once: true }));
    }
  })();
  const late = new Promise((_, fail) => setTimeout(() => fail(new Error("no service worker after 20 s")), 20000));
  await Promise.race([inCharge, late]);
  return (await caches.keys()).filter((name) => name !== "backcare-newest");
}"""
KEPT_COPIES = """async () => (await caches.keys()).filter((name) => name !== "backcare-newest")"""


def visit_online_and_keep_the_guide(page, site):
    page.goto(f"{site}/")
    return page.evaluate(WAIT_FOR_THE_WORKER)


def wait_in_the_page(page, condition, arg=None, seconds=30):
    """Wait until `condition` holds: an async JavaScript function of `arg` that returns [done, what it
    saw]. The page checks it every 50 ms (no round trip each time) and fails after `seconds`, saying
    what it last saw. The condition is part of the function given to evaluate(), which the strict CSP
    allows; the page itself could not eval() it."""
    return page.evaluate(
        f"""async (arg) => {{
          const condition = {condition};
          const deadline = Date.now() + {seconds * 1000};
          for (;;) {{
            const [done, seen] = await condition(arg);
            if (done) return seen;
            if (Date.now() > deadline) throw new Error(`still ${{JSON.stringify(seen)}} after {seconds} s`);
            await new Promise((wake) => setTimeout(wake, 50));
          }}
        }}""",
        arg,
    )


def wait_for_new_copies(page, old_copy):
    """The new worker keeps everything afresh, then drops the old copies."""
    only_new = f"async (old) => {{ const kept = await ({KEPT_COPIES})(); return [kept.length === 1 && kept[0] !== old, kept]; }}"
    wait_in_the_page(page, only_new, old_copy)


def go_offline(page):
    """Cut the network. The browser's own cache would still answer for a minute (pages say
    max-age=60): empty it, as a minute or more without signal would."""
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.context.set_offline(True)


SAVED_AT = """async ([name, path]) =>
  (await (await caches.open(name)).match(path)).headers.get("X-Backcare-Saved")"""


def offline_note(page):
    return page.locator("main .offline-note").inner_text()


def test_after_one_visit_online_every_page_reads_offline_and_an_address_never_kept_shows_how_to_get_help(
    site, new_page, subtests
):
    """Every step, help, the FAQ, tips and the exercise sheet read offline from their kept copies; an
    address that was never kept gets the offline page. One visit online keeps the guide for both."""
    page = new_page(service_workers="allow")
    visit_online_and_keep_the_guide(page, site)
    go_offline(page)

    pages = [(step.get_absolute_url(), step.title) for step in Step.objects.published()]
    pages += [("/help/", "When to get help"), ("/guide/exercises/", "Exercise sheet"), ("/", Guide.objects.get().title)]
    pages += [("/faq/", None), ("/tips/", None)]
    for path, title in pages:
        with subtests.test("the kept copy reads offline, dated", page=path):
            page.goto(f"{site}{path}")
            if title:
                assert page.locator("h1").inner_text().endswith(title)
            assert "You are offline. This copy was saved on" in offline_note(page)
            if path == "/help/":  # the kept stylesheet styles the kept page
                heading = page.locator("#emergency .care-card__heading")
                assert heading.evaluate("(element) => getComputedStyle(element).backgroundColor") == "rgb(213, 40, 27)"
                assert page.locator("#emergency").inner_text().count("\n") > 5  # the whole card, not a summary

    with subtests.test("an address that was never kept shows the offline page with how to get help"):
        page.goto(f"{site}/faq/a-question-nobody-asked/")
        assert page.locator("h1").inner_text() == "You are offline"
        assert page.locator(".offline-note").count() == 0  # the page says it once, in its heading
        text = page.inner_text("main")
        assert "call 999" in text and "NHS 111" in text
        emergency = CareCard.objects.get(level=CareCard.Level.EMERGENCY)
        assert emergency.heading in text


@pytest.mark.published_directly  # sets up the change with a plain save, as an approval would
def test_after_the_copy_changes_the_next_visit_online_replaces_the_offline_copy(site, new_page):
    page = new_page(service_workers="allow")
    [first_copy] = visit_online_and_keep_the_guide(page, site)
    step = Step.objects.get(slug="warm-up")
    step.title = "Warm up with a short, easy walk"
    step.save()  # what an approved change does: readers see it now

    page.goto(f"{site}/")
    wait_for_new_copies(page, first_copy)

    go_offline(page)
    page.goto(f"{site}{step.get_absolute_url()}")
    assert page.locator("h1").inner_text().endswith("Warm up with a short, easy walk")


def test_a_copy_kept_for_more_than_a_day_says_it_may_be_out_of_date_and_when_it_was_saved(site, new_page):
    page = new_page(service_workers="allow")
    [kept] = visit_online_and_keep_the_guide(page, site)
    for path in ("/help/", "/tips/"):
        page.evaluate(
            """async ([name, path]) => {
              const cache = await caches.open(name);
              const response = await cache.match(path);
              const headers = new Headers(response.headers);
              headers.set("X-Backcare-Saved", "2026-01-02T12:00:00Z");
              await cache.put(path, new Response(await response.blob(), { headers }));
            }""",
            [kept, path],
        )
    page.goto(f"{site}/tips/")  # read online again, unchanged: its kept copy counts as saved today
    redated = f"async (args) => {{ const saved = await ({SAVED_AT})(args); return [!saved.startsWith('2026-01-02'), saved]; }}"
    wait_in_the_page(page, redated, [kept, "/tips/"], seconds=10)
    go_offline(page)

    page.goto(f"{site}/help/")

    note = offline_note(page)
    assert "This copy may be out of date." in note
    assert "saved on 2 January 2026" in note and "call 999" in note
    page.goto(f"{site}/tips/")
    assert "may be out of date" not in offline_note(page)
    assert "You are offline. This copy was saved on" in offline_note(page)


def test_an_editors_phone_keeps_what_readers_see_and_never_an_admin_page_or_a_draft(site, editor, new_page):  # noqa: F811
    draft = Step.objects.get(slug="warm-up")
    draft.title, draft.is_published = "A draft only editors see", False
    Step.objects.bulk_update([draft], ["title", "is_published"])  # no signal: an unpublished draft as saved long ago
    page = new_page(service_workers="allow")
    sign_in(page, site)
    page.goto(f"{site}/admin/guides/step/")
    page.goto(f"{site}/")
    assert "A draft only editors see" in page.inner_text("main")  # editors preview drafts online
    [kept] = page.evaluate(WAIT_FOR_THE_WORKER)
    page.goto(f"{site}/")  # visited again now that the worker is in charge: an editor's page is not kept

    addresses = page.evaluate(
        "async (name) => (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname)", kept
    )
    assert "/" in addresses and not [address for address in addresses if address.startswith("/admin/")]
    assert "/guide/warm-up/" not in addresses
    go_offline(page)
    page.goto(f"{site}/")
    assert "A draft only editors see" not in page.inner_text("main")
    assert "You are offline" in offline_note(page)
    with pytest.raises(BrowserError, match="ERR_INTERNET_DISCONNECTED"):  # the worker leaves the admin alone
        page.goto(f"{site}/admin/")


def test_when_the_network_is_slow_a_kept_page_shows_its_kept_copy_after_a_few_seconds(site, new_page, monkeypatch):
    page = new_page(service_workers="allow")
    visit_online_and_keep_the_guide(page, site)
    answer_again = threading.Event()
    show = views.HelpView.get

    def slow_help(view, request, *args, **kwargs):  # one bar of signal: the answer takes its time
        answer_again.wait(timeout=15)
        return show(view, request, *args, **kwargs)

    monkeypatch.setattr(views.HelpView, "get", slow_help)
    cache.clear()  # the page cache would answer without the view
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    try:
        started = time.monotonic()
        page.goto(f"{site}/help/", timeout=12_000)
        waited = time.monotonic() - started
    finally:
        answer_again.set()

    assert 4 < waited < 10
    assert "The connection is slow. This copy was saved on" in offline_note(page)
    assert page.locator("h1").inner_text() == "When to get help"


def test_if_the_new_copies_cannot_all_be_kept_the_old_ones_say_they_may_be_out_of_date(site, new_page, monkeypatch):
    page = new_page(service_workers="allow")
    [first_copy] = visit_online_and_keep_the_guide(page, site)
    monkeypatch.setattr(views.QuestionDetailView, "get", lambda *args, **kwargs: 1 / 0)  # one page fails to load
    Step.objects.get(slug="warm-up").save()  # a change readers see: a new version of the worker

    page.goto(f"{site}/tips/")
    newest = "async () => (await (await caches.open('backcare-newest')).match('/newest-version')).text()"
    newer_known = f"async (first) => {{ const newest = await ({newest})(); return [newest !== first, newest]; }}"
    wait_in_the_page(page, newer_known, first_copy.removeprefix("backcare-"))
    # The failed install drops its partial copies.
    only_old = f"async (old) => {{ const kept = await ({KEPT_COPIES})(); return [kept.length === 1 && kept[0] === old, kept]; }}"
    wait_in_the_page(page, only_old, first_copy)
    go_offline(page)

    page.goto(f"{site}/help/")
    assert "This copy may be out of date." in offline_note(page)


@pytest.mark.published_directly  # sets up the change with a plain save, as an approval would
def test_when_the_guide_is_withdrawn_the_next_visit_online_replaces_every_kept_page_with_the_offline_page(site, new_page):
    page = new_page(service_workers="allow")
    [first_copy] = visit_online_and_keep_the_guide(page, site)
    guide = Guide.objects.get()
    guide.is_published = False
    guide.save()

    page.goto(f"{site}/")
    wait_for_new_copies(page, first_copy)
    go_offline(page)

    for path in ("/", "/help/", "/guide/warm-up/"):
        page.goto(f"{site}{path}")
        assert page.locator("h1").inner_text() == "You are offline", path
        assert "call 999" in page.inner_text("main")
