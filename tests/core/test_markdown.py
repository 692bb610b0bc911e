"""Markdown rendering and sanitising: what authors may use, and what can never get through."""

import pytest

from core.markdown import clean_post_html, render_comment, render_post
from tests.pages import unsafe_markup


def test_post_markdown_renders_common_formatting():
    html = render_post(
        "# Title\n\n**bold** *em* `code` ~~gone~~\n\n"
        "- one\n- two\n\n1. first\n\n> quote\n\n```python\nprint(1)\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    for fragment in (
        "<h1>Title</h1>",
        "<strong>bold</strong>",
        "<em>em</em>",
        "<code>code</code>",
        "<s>gone</s>",
        "<li>one</li>",
        "<ol>",
        "<blockquote>",
        '<code class="language-python"><span class="hl-nb">print</span>',
        "<table>",
        "<td>1</td>",
    ):
        assert fragment in html


def test_links_keep_their_url_and_get_a_safe_rel():
    html = render_post("[site](https://example.com/a?b=c)")
    assert 'href="https://example.com/a?b=c"' in html
    assert 'rel="nofollow ugc noopener noreferrer"' in html


def test_numbered_list_keeps_its_start():
    assert '<ol start="3">' in render_post("3. three\n4. four")


def test_images_keep_http_sources():
    html = render_post("![cat](https://example.com/cat.png)")
    assert '<img src="https://example.com/cat.png" alt="cat">' in html


@pytest.mark.parametrize(
    "src",
    [
        "/inbox/",
        "inbox/",
        "../inbox/",
        "?page=2",
        "//testserver/inbox/",
        "https:/inbox/",
        "https:inbox",
        "http://testserver/inbox/",
        "HTTP://LOCALHOST/inbox/",
        "http://127.0.0.1:8000/inbox/",
        "https://jokesite.example/inbox/",
        "https://www.jokesite.example/inbox/",
        "/\\evil.example/x.png",
    ],
)
def test_images_on_this_site_or_relative_show_as_text(settings, src):
    """A reader's browser fetches an image with their cookies: ![x](/inbox/) made every reader
    GET our inbox."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".jokesite.example"]
    html = render_post(f"![a cat **here**]({src})")
    assert "<img" not in html
    assert html == "<p>a cat here</p>"


HOSTILE = {
    "script tag": "<script>alert(1)</script>",
    "img onerror": '<img src="x" onerror="alert(1)">',
    "svg onload": "<svg onload=alert(1)>",
    "html javascript link": '<a href="javascript:alert(1)">x</a>',
    "markdown javascript link": "[x](javascript:alert(1))",
    "mixed case scheme": "[x](JaVaScRiPt:alert(1))",
    "entity-encoded scheme": "[x](jav&#x61;script:alert(1))",
    "tab in scheme": "[x](java\tscript:alert(1))",
    "vbscript": "[x](vbscript:msgbox(1))",
    "data html link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data image": "![x](data:image/png;base64,iVBORw0KGgo=)",
    "reference link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "autolink": "<javascript:alert(1)>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style": "<style>body{display:none}</style>",
    "inline style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "img title breakout": '![x](https://e.example/a.png "a\\" onerror=\\"alert(1))',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "form": '<form action="https://evil.example"><button>go</button></form>',
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE)
def test_nothing_that_runs_survives_in_a_post(source):
    html = render_post(source)
    assert unsafe_markup(html) == []
    for tag in ("<script", "<iframe", "<style", "<form", "<object"):
        assert tag not in html


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE)
def test_nothing_that_runs_survives_in_a_comment(source):
    html = render_comment(source)
    assert unsafe_markup(html) == []
    assert "<script" not in html and "<img" not in html


def test_raw_html_is_shown_as_text_not_dropped():
    assert render_post("a <b>tag</b>") == "<p>a &lt;b&gt;tag&lt;/b&gt;</p>"


def test_comment_keeps_inline_markup_only():
    html = render_comment("# not a heading **bold** `code` [link](https://example.com)\n\n- no")
    assert "<h1>" not in html and "<li>" not in html and "<p>" not in html
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html
    assert 'href="https://example.com"' in html


def test_comment_images_are_not_rendered():
    assert "<img" not in render_comment("![cat](https://example.com/cat.png)")


def test_empty_text_renders_empty():
    assert render_post("") == ""
    assert render_comment("") == ""


def test_fenced_code_with_a_language_is_highlighted_on_the_server():
    html = render_post('```python\ndef pun(x):\n    return "<b>" # ha\n```')
    assert '<pre><code class="language-python">' in html
    assert '<span class="hl-k">def</span>' in html
    assert '<span class="hl-nf">pun</span>' in html
    assert '<span class="hl-s2">"&lt;b&gt;"</span>' in html  # still escaped
    assert '<span class="hl-c1"># ha</span>' in html


def test_code_without_a_known_language_stays_plain():
    assert "<span" not in render_post("```\nplain <i>\n```")
    assert "<span" not in render_post("```no-such-language\nplain\n```")
    assert "<span" not in render_post("    indented code")


def test_the_sanitizer_keeps_only_highlighting_classes_on_spans():
    html = clean_post_html(
        '<span class="hl-k evil" style="color:red" onclick="x()">a</span>'
        '<span class="notice">b</span><div class="hl-k">c</div>'
    )
    assert 'class="hl-k"' in html
    assert "evil" not in html and "notice" not in html and "style" not in html
    assert "onclick" not in html and "<div" not in html
