"""Warning signs as data: each sign worded once, in a record on its tier's card, and every page
that shows a sign draws it from there (issue 20)."""

from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from guides import copy_checks as checks
from guides.markdown import render_markdown
from guides.models import CareCard, WarningSign

pytestmark = pytest.mark.django_db

TIERS = ["emergency", "a-and-e", "urgent", "non-urgent"]


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def test_help_page_shows_four_tiers_most_urgent_first_each_with_its_own_action(client, guide):
    html = text_of(client, reverse("guides:help"))
    positions = [html.index(f'id="{tier}"') for tier in TIERS]
    assert positions == sorted(positions)
    emergency, a_and_e = (CareCard.objects.get(slug=slug) for slug in ("emergency", "a-and-e"))
    assert "Do not go to hospital by car" in emergency.body and "ambulance" in emergency.heading
    assert "Ask someone to drive you" in a_and_e.body and "Do not drive yourself" in a_and_e.body


def test_each_sign_is_listed_once_on_the_help_page_under_its_own_card(client, guide):
    html = text_of(client, reverse("guides:help"))
    for sign in WarningSign.objects.select_related("card"):
        assert html.count(sign.words) == 1, sign.slug
        card_start = html.index(f'id="{sign.card.slug}"')
        following = [html.index(f'id="{tier}"') for tier in TIERS if html.index(f'id="{tier}"') > card_start]
        card_end = min(following) if following else len(html)
        assert card_start < html.index(f'id="sign-{sign.slug}"') < card_end, sign.slug


def test_cauda_equina_signs_go_to_a_and_e_and_the_ambulance_signs_to_999(guide):
    tier = {sign.slug: sign.card.slug for sign in WarningSign.objects.select_related("card")}
    for slug in ("both-legs", "saddle-numbness", "peeing", "bowels", "sex-problems"):
        assert tier[slug] == "a-and-e"
    for slug in ("chest-pain", "burst-aneurysm", "confused-or-sleepy", "blue-skin-fast-breathing",
                 "serious-accident", "fracture-cannot-walk"):
        assert tier[slug] == "emergency"
    assert tier["one-leg"] == "urgent" and tier["sudden-pain-weak-bones"] == "urgent"
    assert tier["pulsing-tummy"] == "non-urgent" and tier["morning-stiffness"] == "non-urgent"


def test_the_sepsis_signs_do_not_need_a_temperature(guide):
    for slug in ("confused-or-sleepy", "blue-skin-fast-breathing"):
        assert "even if you do not have a high temperature" in WarningSign.objects.get(slug=slug).words


@pytest.mark.published_directly
def test_changing_a_signs_record_changes_every_page_that_shows_it(client, guide):
    sign = WarningSign.objects.get(slug="both-legs")
    new_words = "you have pain, pins and needles, numbness or weakness in both of your legs"
    sign.words = new_words
    sign.save()
    pages = [reverse("guides:help"), reverse("guides:offline"), reverse("guides:exercises"), reverse("guides:all")]
    for url in pages:
        html = text_of(client, url)
        assert new_words in html, url
        assert "tingling, numbness or weakness in both legs" not in html, url
    # Step pages list no signs: their tier box links to the tier on /help/, which shows the new words.
    for slug in ("listen-to-your-body", "get-help"):
        html = text_of(client, reverse("guides:step", kwargs={"slug": slug}))
        assert f'href="{reverse("guides:help")}#{sign.card.slug}"' in html, slug
        assert new_words not in html, slug


def test_an_unpublished_sign_leaves_every_page(client, guide):
    sign = WarningSign.objects.get(slug="chest-pain")
    WarningSign.objects.filter(pk=sign.pk).update(is_published=False)
    assert sign.words not in text_of(client, reverse("guides:help"))


def test_the_offline_page_and_exercise_sheet_show_both_emergency_tiers(client, guide):
    for url in (reverse("guides:offline"), reverse("guides:exercises")):
        html = text_of(client, url)
        for slug in ("chest-pain", "both-legs"):
            assert WarningSign.objects.get(slug=slug).words in html, (url, slug)


def test_every_999_and_111_in_the_copy_is_a_link_to_call(client, guide):
    html = client.get(reverse("guides:help")).content.decode()
    assert '<a href="tel:999">999</a>' in html
    assert '<a href="tel:111">111</a>' in html
    assert '<a href="https://111.nhs.uk/">111 online</a>' in html
    assert '<a href="https://www.999bsl.co.uk/">999 BSL</a>' in html
    assert "NHS 24" in html and "Northern Ireland" in html


def test_help_numbers_become_links_but_not_inside_links_or_longer_numbers():
    html = render_markdown("Call 999 or 111. Use 111 online. [Ring 999](tel:999). Phone 0207 999 1111 or 1999.")
    assert html.count('href="tel:999"') == 2  # the bare number and the editor's own link
    assert '<a href="tel:111">111</a>' in html
    assert '<a href="https://111.nhs.uk/">111 online</a>' in html
    assert "0207 999 1111" in html and ">1999<" not in html


SIGNS = (
    checks.WarningSign("you have pain, tingling, numbness or weakness in both legs", ("both legs",),
                       "a-and-e", "Go to A&E now", "a-and-e"),
    checks.WarningSign("you have numbness, tingling or weakness in one leg or foot", ("in one leg",),
                       "urgent", "Get help today", "urgent"),
)


def sign_problems(text):
    field = checks.Field(name="body", text=text, html=render_markdown(text), heading_level=3)
    item = checks.Item(label="A tip", fields=[field], shows_emergency_card=True)
    report = checks.check_item(item, checks.Rules(warning_signs=SIGNS))
    return [p for p in report.problems if p.check.startswith("warning-sign")]


def test_a_sign_put_in_another_tier_is_an_error():
    problem, = sign_problems("New numbness in both legs needs checking today by a GP or 111.")
    assert problem.check == "warning-sign-tier" and problem.severity == checks.ERROR
    assert "/help/#a-and-e" in problem.message


def test_a_sign_retyped_without_a_link_to_its_tier_is_an_error():
    problem, = sign_problems("- weakness or tingling in both legs")
    assert problem.check == "warning-sign-words"
    assert "both legs" in problem.message and "/help/#a-and-e" in problem.message


def test_a_sign_linked_to_its_own_tier_passes():
    assert not sign_problems("In both legs, [go to A&E now](/help/#a-and-e). In one leg, get it "
                             "[checked today](/help/#urgent).")


def test_a_sign_linked_to_another_tier_is_an_error():
    problem, = sign_problems("Weakness in both legs needs [checking today](/help/#urgent).")
    assert problem.check == "warning-sign-tier"


def test_standing_on_one_leg_is_not_taken_for_the_one_leg_sign():
    assert not sign_problems("Standing on one leg can make pelvic pain worse.")


@pytest.mark.published_directly
def test_check_content_exits_1_on_copy_that_retypes_a_sign_and_passes_the_shipped_content(guide, capsys):
    call_command("check_content")  # the shipped content passes
    step = guide.steps.get(slug="get-help")
    step.body += "\n\nIf you have weakness in both legs, see a GP soon."
    step.save()
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_content")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "another tier's advice" in out and "Get help if your pain is not getting better" in out


def test_warning_signs_are_edited_in_the_admin_and_wait_for_sign_off(editor_client, change_form_data, guide):
    sign = WarningSign.objects.get(slug="chest-pain")
    url, data = change_form_data(editor_client, sign)
    data.update(words="you have chest pain or tightness", change_reason="Add tightness, as NHS 111 does")
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    sign.refresh_from_db()
    assert sign.words == "you have chest pain"  # readers keep the approved words until sign-off
    from signoff import proposals
    assert proposals.open_proposal(sign).proposed["words"] == "you have chest pain or tightness"
