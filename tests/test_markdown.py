import re

import pytest

from guides.markdown import render_markdown
from guides.models import Question

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "<img src=x onerror=alert(1)>",
    '<a href="#" onclick="alert(1)">x</a>',
    '<p onmouseover="alert(1)">hover</p>',
    "<iframe src=https://evil.example></iframe>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data=evil.swf></object>",
    "<embed src=evil.swf>",
    '<form action="https://evil.example"><input name=x></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    "![x](javascript:alert(1))",
    '<a href="https://ok.example" target="_blank">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '[x](https://ok.example "title" onclick=alert(1))',
    "<details open ontoggle=alert(1)>",
]

LIVE_MARKUP = re.compile(
    r"<\s*(script|iframe|svg|style|object|embed|form|input|meta|base|img|math|details)\b"
    r"|<[^>]*\son\w+\s*="  # an event handler attribute (the same words as plain text are harmless)
    r"|(href|src)\s*=\s*\"?\s*(javascript|data|vbscript):"
    r"|style\s*=",
    re.I,
)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_never_renders_live_markup(text):
    html = render_markdown(text)
    assert not LIVE_MARKUP.search(html), html


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown("## Warm up\n\nWalk **slowly**.\n\n- one\n- two\n\n[NHS](https://www.nhs.uk/)")
    assert "<h2>Warm up</h2>" in html
    assert "<strong>slowly</strong>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://www.nhs.uk/" rel="noopener noreferrer">NHS</a>' in html


def test_relative_and_mailto_links_are_kept():
    html = render_markdown("[FAQ](/faq/) and [mail](mailto:editors@example.org)")
    assert 'href="/faq/"' in html
    assert 'href="mailto:editors@example.org"' in html


@pytest.mark.django_db
@pytest.mark.published_directly
def test_hostile_answer_is_stored_as_typed_but_the_page_shows_no_live_markup(client, questions):
    question = questions[0]
    hostile = "\n\n".join(HOSTILE)
    question.answer = hostile
    question.save()
    question.refresh_from_db()
    assert question.answer == hostile
    for url in (question.get_absolute_url(), "/faq/"):
        main = client.get(url).content.decode().split('<main id="main"', 1)[1].split("</main>")[0]
        main = re.sub(r'<section class="feedback".*?</section>', "", main, flags=re.S)  # our own form
        assert not LIVE_MARKUP.search(main), url


@pytest.mark.django_db
@pytest.mark.published_directly
def test_saving_renders_the_html_once_so_pages_read_stored_html(questions, monkeypatch):
    question = questions[0]
    question.answer = "New *answer*."
    question.save()
    assert Question.objects.get(pk=question.pk).answer_html == "<p>New <em>answer</em>.</p>"


@pytest.mark.django_db
@pytest.mark.published_directly
def test_line_ends_from_a_browser_are_stored_as_plain_newlines(questions):
    question = questions[0]
    question.answer = "First line.\r\n\r\n- a point\r\n"
    question.save()
    question.refresh_from_db()
    assert question.answer == "First line.\n\n- a point\n"
