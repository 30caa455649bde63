"""A source that published copy cites is copy too: only the sign-off changes what readers see of it."""

import datetime

import pytest
from django.db import transaction

from guides.models import Source
from guides.publishing import UnapprovedChange

pytestmark = pytest.mark.django_db


def cited_source():
    source = Source.objects.filter(topics__is_published=True).first()
    assert source is not None, "the shipped topics cite sources"
    return source


@pytest.mark.parametrize("field, value", [
    ("url", "https://example.com/not-the-nhs/"),
    ("title", "A title nobody approved"),
    ("publisher", "Someone else"),
    ("note", "A note nobody approved"),
])
def test_a_cited_sources_words_cannot_change_outside_the_sign_off(guide, field, value):
    source = cited_source()
    setattr(source, field, value)
    with pytest.raises(UnapprovedChange):
        source.save()
    assert getattr(Source.objects.get(pk=source.pk), field) != value


def test_a_cited_source_cannot_be_deleted_outside_the_sign_off(guide):
    source = cited_source()
    with pytest.raises(UnapprovedChange), transaction.atomic():
        source.delete()
    assert Source.objects.filter(pk=source.pk).exists()


def test_an_editor_can_still_record_the_day_they_checked_a_cited_source(guide):
    source = cited_source()
    source.checked_on = datetime.date(2026, 12, 6)
    source.save()
    assert Source.objects.get(pk=source.pk).checked_on == datetime.date(2026, 12, 6)


def test_a_source_nothing_published_cites_is_free_to_edit(guide):
    source = Source.objects.create(
        slug="draft-source", title="A page", publisher="NHS website", url="https://www.nhs.uk/a-page/",
        checked_on=datetime.date(2026, 12, 6),
    )
    source.url = "https://www.nhs.uk/another-page/"
    source.save()
    source.delete()
    assert not Source.objects.filter(slug="draft-source").exists()


def test_the_admin_shows_a_cited_sources_words_read_only_and_says_how_to_change_them(admin_client, guide):
    source = cited_source()
    page = admin_client.get(f"/admin/guides/source/{source.pk}/change/").content.decode()
    assert 'name="url"' not in page and 'name="title"' not in page
    assert 'name="checked_on"' in page
    assert "add a new source" in page

    response = admin_client.post(f"/admin/guides/source/{source.pk}/change/", {
        "slug": source.slug, "checked_on": "2026-12-06", "url": "https://example.com/evil/", "title": "Evil",
    })
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.url != "https://example.com/evil/" and source.checked_on == datetime.date(2026, 12, 6)


def test_the_admin_refuses_to_delete_a_cited_source_with_a_page_not_an_error(admin_client, guide):
    source = cited_source()
    assert admin_client.get(f"/admin/guides/source/{source.pk}/delete/").status_code == 403
    data = {"action": "delete_selected", "_selected_action": [source.pk], "post": "yes"}
    assert admin_client.post("/admin/guides/source/", data).status_code == 403
    assert Source.objects.filter(pk=source.pk).exists()


def propose_citing(topic, source, editor):
    from signoff import proposals, services

    values = proposals.values_of(topic)
    return services.propose(topic, {**values, "sources": sorted([*values["sources"], source.pk])}, editor,
                            reason="Cite one more page")


def test_a_source_a_waiting_change_is_to_cite_cannot_change_until_the_change_is_decided(guide, editor):
    from guides.models import Topic
    from signoff import services

    source = Source.objects.create(
        slug="new-page", title="A new page", publisher="NHS website", url="https://www.nhs.uk/new-page/",
        checked_on=datetime.date(2026, 12, 6),
    )
    topic = Topic.objects.filter(is_published=True).first()
    proposal = propose_citing(topic, source, editor)

    # What the reviewer reads of the source is what would go live: it may not change meanwhile.
    source.url = "https://example.com/not-what-the-reviewer-read/"
    with pytest.raises(UnapprovedChange):
        source.save()

    services.withdraw(proposal, editor)
    source.save()  # nothing cites it or is to cite it any more
    assert Source.objects.get(pk=source.pk).url == "https://example.com/not-what-the-reviewer-read/"


def test_a_reviewer_reads_a_new_sources_address_and_note_in_the_change(guide, editor):
    from guides.models import Topic
    from signoff import proposals

    source = Source.objects.create(
        slug="new-page", title="A new page", publisher="NHS website", url="https://www.nhs.uk/new-page/",
        note="Updated in 2026", checked_on=datetime.date(2026, 12, 6),
    )
    topic = Topic.objects.filter(is_published=True).first()
    proposal = propose_citing(topic, source, editor)
    rows = " ".join(str(row) for row in proposals.changes(topic, proposal))
    assert "https://www.nhs.uk/new-page/" in rows and "Updated in 2026" in rows
