"""'About this information': one page to the PIF TICK criteria, linked from every page's footer."""

import json
import re
from html import unescape

from signoff import proposals, services
from guides.models import Guide


def about(client):
    response = client.get("/about/")
    assert response.status_code == 200
    return response, unescape(response.content.decode())


def test_the_about_page_is_in_the_sitemap_and_every_public_page_links_to_it(client, public_urls):
    assert "/about/" in public_urls
    for url in public_urls:
        assert '<a href="/about/">About this information</a>' in client.get(url).content.decode(), url


def test_the_about_page_answers_each_pif_tick_question(client, guide):
    response, html = about(client)
    for heading in ("Who writes this guide", "Who checks it", "How we change a page", "Where the information comes from",
                    "How often we check the pages", "Who pays for Backcare", "Conflicts of interest", "Your privacy",
                    "Tell us about a mistake"):
        assert f">{heading}</h2>" in html, heading
    # The sources stay in one place, a link away.
    assert '<a href="/sources/">See every source, with the date we last checked it</a>' in html
    assert "at least once every 12 months" in html  # the guide's review record: checked yearly
    assert "for up to 10 minutes" in html  # FEEDBACK_RATE_WINDOW
    assert 'class="feedback"' in html
    assert not response.cookies
    # What stays on the reader's device: the plan and the appointment note, named with their pages.
    privacy = html[html.index('id="privacy"'):]
    assert '<a href="/my-plan/">My plan</a>' in privacy and '<a href="/appointment/">' in privacy
    assert "kept only in your browser" in privacy


def test_with_no_sign_off_yet_the_about_page_says_so_plainly(client, guide, reviewer):
    _, html = about(client)
    assert "No clinical reviewer has signed off a change yet." in html
    assert "Dr Rhea Patel" not in html  # a reviewer's account alone is not a sign-off


def test_funding_and_conflicts_left_empty_say_they_are_not_filled_in(client, guide):
    assert guide.funding == guide.conflicts_of_interest == ""
    _, html = about(client)
    assert html.count("Our editors have not filled in this part yet.") == 2


def test_the_about_page_names_the_reviewers_who_approved_a_change_and_shows_the_approved_funding(
    client, guide, editor, approve
):
    values = proposals.values_of(guide)
    values.update(funding="Backcare is paid for by **a test grant**.", conflicts_of_interest="We have none.")
    services.propose(guide, values, editor, reason="Say who pays for the guide")
    _, html = about(client)
    assert "a test grant" not in html  # not before sign-off
    approve(guide)
    guide = Guide.objects.get(pk=guide.pk)
    assert guide.funding_html == "<p>Backcare is paid for by <strong>a test grant</strong>.</p>"
    _, html = about(client)
    assert "<li>Dr Rhea Patel, Physiotherapist</li>" in html
    assert "No clinical reviewer has signed off" not in html
    assert guide.funding_html in html and "<p>We have none.</p>" in html
    assert "not filled in" not in html


def test_the_about_page_is_marked_up_as_an_about_page(client, guide):
    _, html = about(client)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert data["@type"] == "AboutPage"
    assert data["name"] == "About this information"
    assert data["url"] == "http://testserver/about/"
    assert data["lastReviewed"] == guide.last_reviewed.isoformat()


def test_the_about_page_runs_at_most_three_queries(client, guide, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the guide, the reviewers who approved a change, feedback's nothing
        client.get("/about/")
