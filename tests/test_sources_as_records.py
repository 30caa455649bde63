"""Sources as records (issue 26): each item lists its sources; pages, the JSON-LD citation, the
content files, the sign-off, check_sources and the admin home all work from them."""

import datetime
import importlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from guides.content_files import export_content, read_content
from guides.models import Guide, Source, Topic, WarningSign
from guides.publishing import UnapprovedChange
from signoff import proposals

pytestmark = pytest.mark.django_db

migration = importlib.import_module("guides.migrations.0026_sources_as_records")


@pytest.fixture
def topic(guide):
    return Topic.objects.published().filter(sources__isnull=False).distinct().first()


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_the_shipped_content_carries_its_sources_as_records(guide):
    assert Source.objects.count() >= 30
    assert guide.sources.count() >= 8
    for sign in WarningSign.objects.all():
        assert sign.sources.exists(), sign.slug
    for topic in Topic.objects.all():
        assert topic.sources.exists(), topic.slug
        assert "Sources" not in topic.body and "Sources" not in topic.body_html, topic.slug
    for source in Source.objects.all():
        assert source.url.startswith("https://") and source.title and source.publisher, source.slug
        assert datetime.date(2026, 12, 5) <= source.checked_on <= datetime.date(2026, 12, 6), source.slug


def test_a_topic_lists_its_sources_from_the_records_with_the_date_each_was_checked(client, topic):
    html = client.get(topic.get_absolute_url()).content.decode()

    for source in topic.sources.all():
        checked = f"{source.checked_on.day} {source.checked_on:%B %Y}"
        assert f'<a href="{source.url}">{source.publisher}: {source.title}</a>, checked {checked}'.replace(
            "&", "&amp;"
        ) in html, source.slug


def test_a_pages_json_ld_cites_the_sources_it_lists(client, topic):
    data = json_ld(client.get(topic.get_absolute_url()).content.decode())

    assert [citation["url"] for citation in data["citation"]] == [source.url for source in topic.sources.all()]
    first = topic.sources.first()
    assert data["citation"][0] == {
        "@type": "CreativeWork",
        "name": first.title,
        "url": first.url,
        "publisher": {"@type": "Organization", "name": first.publisher},
    }


def test_the_sources_page_lists_every_source_cited_with_what_it_was_used_for(client, guide):
    html = client.get(reverse("guides:sources")).content.decode()

    cited = Source.objects.filter(guides__isnull=False) | Source.objects.filter(signs__isnull=False)
    for source in (cited | Source.objects.filter(topics__isnull=False)).distinct():
        assert f'id="source-{source.slug}"' in html, source.slug
        assert f'<a href="{source.url}">' in html, source.slug
    for sign in WarningSign.objects.all():
        assert f'<a href="/help/#sign-{sign.slug}">' in html, sign.slug
    assert "Checked 5 December 2026." in html
    assert json_ld(html)["citation"]


@pytest.mark.published_directly
def test_a_sources_new_title_reaches_the_pages_that_cite_it(client, topic):
    source = topic.sources.first()
    client.get(topic.get_absolute_url())  # now in the page cache

    source.title = "A title given by its publisher today"
    source.save()

    assert "A title given by its publisher today" in client.get(topic.get_absolute_url()).content.decode()


def test_a_published_items_sources_change_only_through_the_sign_off(topic):
    other = Source.objects.exclude(topics=topic).first()

    with pytest.raises(UnapprovedChange), transaction.atomic():
        topic.sources.add(other)
    with pytest.raises(UnapprovedChange), transaction.atomic():
        other.topics.add(topic)
    with pytest.raises(UnapprovedChange), transaction.atomic():
        topic.sources.clear()


def test_an_editors_change_to_a_topics_sources_waits_for_a_clinical_reviewer(
    editor_client, client, change_form_data, approve, topic
):
    added = Source.objects.exclude(topics=topic).first()
    url, data = change_form_data(editor_client, topic)
    data["sources"] = [*data["sources"], str(added.pk)] if isinstance(data["sources"], list) else [data["sources"], str(added.pk)]
    data["change_reason"] = "One more source"

    assert editor_client.post(url, data).status_code == 302
    proposal = proposals.open_proposal(topic)
    (row,) = [row for row in proposals.changes(topic, proposal) if row["field"] == "sources"]
    assert ("", added.review_label) in row["pairs"]  # the reviewer reads the source by name and address
    assert added.url in added.review_label
    assert added.url in editor_client.get(f"{topic.get_absolute_url()}?proposal={proposal.pk}").content.decode()
    client.logout()
    assert added.url not in client.get(topic.get_absolute_url()).content.decode()
    approve(topic)
    assert added.url in client.get(topic.get_absolute_url()).content.decode()
    assert topic.history.first().sources.filter(source=added).exists()


def test_the_content_files_carry_the_sources_and_each_items_links(guide, tmp_path):
    export_content(tmp_path / "out")

    files = sorted((tmp_path / "out" / "sources").glob("*.md"))
    assert len(files) == Source.objects.count()
    text = files[0].read_text()
    assert re.search(r"^url: https://", text, re.M) and re.search(r"^checked_on: 2026-12-05$", text, re.M)
    topic_file = next((tmp_path / "out" / "topics").glob("*.md")).read_text()
    assert re.search(r"^sources: [-a-z0-9]+(,[-a-z0-9]+)*$", topic_file, re.M)
    items = read_content(tmp_path / "out")
    assert sum(item.kind == "source" for item in items) == Source.objects.count()


def test_a_content_file_linking_a_source_that_is_not_in_the_folder_is_refused(guide, tmp_path):
    from guides.content_files import ContentImportError

    export_content(tmp_path / "out")
    sign_file = next((tmp_path / "out" / "signs").glob("*.md"))
    sign_file.write_text(re.sub(r"^sources: .*$", "sources: no-such-source", sign_file.read_text(), flags=re.M))

    with pytest.raises(ContentImportError, match="no-such-source"):
        read_content(tmp_path / "out")


# What the data migration makes of the prose sources of a database made before the records.


def test_the_migration_reads_each_link_of_a_prose_source_list_with_its_checked_date():
    prose = (
        "- NICE guideline NG59: [Low back pain](https://www.nice.org.uk/guidance/ng59). Published 30 November "
        "2016, last updated 11 December 2020. Checked 5 December 2026.\n"
        "- NHS website: [Back pain](https://www.nhs.uk/conditions/back-pain/), "
        "[Sciatica](https://www.nhs.uk/conditions/sciatica/). Checked 4 December 2026.\n"
        "- [CSP: myths about back pain](https://www.csp.org.uk/mythbusters), checked 3 December 2026\n"
        "Some words that are not a list item, with [a link](https://example.org/).\n"
    )
    found = migration.sources_in_markdown(prose, datetime.date(2000, 1, 1))

    assert found == [
        ("NICE", "Low back pain (NICE guideline NG59)", "https://www.nice.org.uk/guidance/ng59",
         "Published 30 November 2016, last updated 11 December 2020", datetime.date(2026, 12, 5)),
        ("NHS website", "Back pain", "https://www.nhs.uk/conditions/back-pain/", "", datetime.date(2026, 12, 4)),
        ("NHS website", "Sciatica", "https://www.nhs.uk/conditions/sciatica/", "", datetime.date(2026, 12, 4)),
        ("CSP", "myths about back pain", "https://www.csp.org.uk/mythbusters", "", datetime.date(2026, 12, 3)),
    ]


def test_the_migration_takes_the_sources_list_off_the_end_of_a_topic_and_nothing_else():
    markdown = "Some words.\n\n## Sources of pain\n\nMore words.\n\n## Sources\n\n- [NHS: Back pain](https://x.org/)\n"
    html = "<p>Some words.</p>\n<h2>Sources of pain</h2>\n<p>More words.</p>\n<h2>Sources</h2>\n<ul>\n<li>x</li>\n</ul>\n"

    assert migration.without_sources_section(markdown, html) == (
        "Some words.\n\n## Sources of pain\n\nMore words.",
        "<p>Some words.</p>\n<h2>Sources of pain</h2>\n<p>More words.</p>",
    )


# check_sources: a local server stands in for the publishers' sites (never the internet).

PAGES = {
    "/fine": (200, {}, "<p>Page last reviewed: 1 October 2026</p>"),
    "/gone": (404, {}, ""),
    "/old": (301, {"Location": "/fine"}, ""),
    "/reviewed-again": (200, {}, "<p>Page last reviewed: 2 January 2027</p>"),
}


class Publisher(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body):
        status, headers, text = PAGES.get(self.path, (404, {}, ""))
        self.send_response(status)
        for name, value in {"Content-Type": "text/html", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(text.encode())))
        self.end_headers()
        if body:
            self.wfile.write(text.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def local_sources(db):
    """Only sources on a local server: the shipped ones point at the internet."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Publisher)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    Source.objects.all().delete()
    for path in PAGES:
        Source.objects.create(slug=path.strip("/"), title=path.strip("/"), publisher="Local", url=f"{base}{path}",
                              checked_on=datetime.date(2026, 12, 5))
    yield base
    server.shutdown()
    server.server_close()


def run_check_sources(*args):
    out = StringIO()
    call_command("check_sources", "--timeout", "2", "--pause", "0", *args, stdout=out)
    return out.getvalue()


@pytest.mark.published_directly  # the shipped sources make way for local ones
def test_check_sources_stores_what_it_saw_on_each_source_and_prints_a_table(local_sources):
    output = run_check_sources()

    status = dict(Source.objects.values_list("slug", "status"))
    assert status == {"fine": "ok", "gone": "broken", "old": "moved", "reviewed-again": "changed"}
    moved = Source.objects.get(slug="old")
    assert moved.final_url == f"{local_sources}/fine" and moved.status_checked_at is not None
    assert Source.objects.get(slug="fine").review_date_seen == datetime.date(2026, 10, 1)
    assert re.search(r"^BROKEN +Local: gone +The site answered 404", output, re.M)
    assert "4 source(s) checked, 3 need an editor." in output


@pytest.mark.published_directly  # the shipped sources make way for local ones
def test_check_sources_as_json(local_sources):
    data = json.loads(run_check_sources("--format", "json"))

    assert data["checked"] == 4 and data["problems"] == 3
    changed = next(source for source in data["sources"] if source["slug"] == "reviewed-again")
    assert changed["status"] == "changed" and changed["review_date_seen"] == "2027-01-02"


@pytest.mark.published_directly  # the shipped sources make way for local ones
def test_what_check_sources_stores_is_not_a_change_to_the_copy(local_sources):
    source = Source.objects.get(slug="fine")
    versions = source.history.count()

    run_check_sources()

    assert source.history.count() == versions


def test_the_admin_home_lists_the_sources_to_check_with_the_items_that_cite_them(editor_client, guide):
    sign = WarningSign.objects.filter(sources__isnull=False).first()
    broken = sign.sources.first()
    Source.objects.filter(pk=broken.pk).update(status="broken", status_detail="The site answered 404.")

    html = editor_client.get(reverse("admin:index")).content.decode()

    section = html[html.index('id="source-problems"'):]
    assert broken.title in section and "The site answered 404." in section
    assert reverse("admin:guides_warningsign_change", args=[sign.pk]) in section


def test_check_content_as_json_lists_the_source_problems(guide):
    broken = Source.objects.first()
    Source.objects.filter(pk=broken.pk).update(status="moved", status_detail="Moved to https://example.org/new")
    out = StringIO()

    try:
        call_command("check_content", "--format", "json", stdout=out)
    except SystemExit:
        pass  # check_content exits 1 when the copy has an error; the report is written first

    problems = json.loads(out.getvalue())["sources"]
    assert [problem["slug"] for problem in problems] == [broken.slug]
    assert problems[0]["status"] == "moved" and problems[0]["detail"] == "Moved to https://example.org/new"


def test_the_home_page_cites_the_guides_sources(client, guide):
    home = json_ld(client.get(reverse("guides:home")).content.decode())

    assert [citation["url"] for citation in home["citation"]] == [source.url for source in guide.sources.all()]


def test_a_preview_shows_a_topics_proposed_care_cards_as_well(editor_client, change_form_data, topic):
    keep = topic.care_cards.order_by("order").first()
    url, data = change_form_data(editor_client, topic)
    data["care_cards"] = [str(keep.pk)]
    data["change_reason"] = "Only the most urgent card"
    assert editor_client.post(url, data).status_code == 302

    preview = editor_client.get(f"{topic.get_absolute_url()}?proposal={proposals.open_proposal(topic).pk}")

    assert re.findall(r'class="care-card care-card--([-\w]+) tier-box"', preview.content.decode()) == [keep.level]


@pytest.mark.published_directly  # a cited source's address changes on approval; this is about the status
def test_an_editors_answer_to_a_source_problem_clears_it_until_the_next_check(guide):
    moved, reviewed = Source.objects.all()[:2]
    Source.objects.filter(pk=moved.pk).update(status="moved", status_detail="Moved to https://example.org/new")
    Source.objects.filter(pk=reviewed.pk).update(
        status="changed", status_detail="Reviewed again", review_date_seen=datetime.date(2027, 3, 1)
    )
    moved.refresh_from_db()
    reviewed.refresh_from_db()

    moved.url = "https://example.org/new"
    moved.save()
    reviewed.checked_on = datetime.date(2027, 2, 1)  # checked, but before the page's new review date
    reviewed.save()
    assert list(Source.objects.with_problems()) == [reviewed]
    reviewed.checked_on = datetime.date(2027, 3, 2)
    reviewed.save()

    assert not Source.objects.with_problems().exists()
    assert Source.objects.get(pk=moved.pk).status == ""
