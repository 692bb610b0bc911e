"""An XSS corpus through every field a person controls, each rendered page parsed for markup
that came from a payload.

Each payload carries a marker (`xssN`). Whatever a form accepts is posted through the site as a
member would; then every page that shows it is read by an HTML parser, and nothing may have
become markup: no element or attribute named after a marker, no marker inside an attribute
that is not plain text (an event handler, a style, a URL that is not http(s)), and nothing that
could run script anywhere on the page (`tests.pages.unsafe_markup`). A form may refuse a
payload (400); it may never answer 500.
"""

import re
from html.parser import HTMLParser

import pytest

from answers.models import Answer
from comments.models import Comment
from questions.models import Question
from tests.factories import ModeratorFactory, UserFactory
from tests.pages import unsafe_markup

pytestmark = pytest.mark.django_db

RAW = [
    "<script>alert('{m}')</script>",
    "<img src=x onerror=alert('{m}')>",
    "<svg onload=alert('{m}')>",
    "<svg><script>alert('{m}')</script></svg>",
    "<iframe src=javascript:alert('{m}')>",
    "<body onload=alert('{m}')>",
    "<a href=javascript:alert('{m}')>{m}</a>",
    "<a href='jav&#x09;ascript:alert(\"{m}\")'>{m}</a>",
    "<details open ontoggle=alert('{m}')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('{m}')>",
    "\"><script>alert('{m}')</script>",
    "' onmouseover='alert(\"{m}\")' x='",
    "\" autofocus onfocus=\"alert('{m}')",
    "</textarea><script>alert('{m}')</script>",
    "</title><script>alert('{m}')</script>",
    "<style>@import 'https://evil.example/{m}.css';</style>",
    "<div style=\"background:url(javascript:alert('{m}'))\">{m}</div>",
    "<object data=\"data:text/html,<script>alert('{m}')</script>\">",
    "<embed src=\"javascript:alert('{m}')\">",
    "<form action=javascript:alert('{m}')><button>{m}</button></form>",
    '<base href="https://evil.example/{m}/">',
    "<meta http-equiv=refresh content=\"0;url=javascript:alert('{m}')\">",
    "[{m}](javascript:alert('{m}'))",
    "[{m}](JaVaScRiPt:alert('{m}'))",
    "[{m}](java\u200bscript:alert('{m}'))",
    "[{m}](&#106;avascript:alert('{m}'))",
    "[{m}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[{m}](vbscript:msgbox('{m}'))",
    "![{m}](javascript:alert('{m}'))",
    "![{m}](x\" onerror=\"alert('{m}'))",
    '![{m}](https://e.example/a.png "a\\" onerror=\\"alert(\'{m}\')")',
    "[{m}][ref]\n\n[ref]: javascript:alert('{m}')",
    "<javascript:alert('{m}')>",
    "[{m}](<javascript:alert('{m}')>)",
    "`<script>alert('{m}')</script>`",
    "```html\n<script>alert('{m}')</script>\n```",
    "\uff1cscript\uff1ealert('{m}')\uff1c/script\uff1e",  # fullwidth look-alikes
    "\u202e<script>alert('{m}')</script>",
    "{{{{ '{m}' }}}} {{% debug %}} ${{alert('{m}')}}",
    "<!--<script>alert('{m}')</script>-->",
    "<![CDATA[<script>alert('{m}')</script>]]>",
    "%3Cscript%3Ealert('{m}')%3C/script%3E",
    "&lt;script&gt;alert('{m}')&lt;/script&gt;",
    "<scr<script>ipt>alert('{m}')</scr</script>ipt>",
    '<a href="https://example.com" onclick="alert(\'{m}\')">{m}</a>',
    '<img src="https://example.com/{m}.png" srcset="javascript:alert(\'{m}\')">',
]
PAYLOADS = {f"xss{n}": raw.format(m=f"xss{n}") for n, raw in enumerate(RAW)}

# Attributes whose value is only ever text to a browser.
TEXT_ATTRIBUTES = {"title", "alt", "value", "content", "placeholder", "aria-label", "datetime"}
URL_ATTRIBUTES = {"href", "src"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, [(name, value or "") for name, value in attrs]))

    handle_startendtag = handle_starttag


def payload_markup(html: str, marker: str) -> list[str]:
    """Where a payload's marker became markup rather than text (see the module)."""
    parser = _Elements()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        if marker in tag:
            problems.append(f"element <{tag}>")
        for name, value in attrs:
            if marker in name:
                problems.append(f"<{tag}> attribute {name}")
            elif marker in value and name not in TEXT_ATTRIBUTES and not name.startswith("data-"):
                # A URL is text to a browser when its scheme is http(s) or mailto, or when it has
                # none (a relative address: "java%E2%80%8Bscript:" is not a scheme).
                scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", value)
                scheme_ok = name in URL_ATTRIBUTES and (
                    not scheme or scheme[1].lower() in ("http", "https", "mailto")
                )
                if not scheme_ok:
                    problems.append(f"<{tag} {name}={value[:60]!r}>")
    return problems


def check(html: str, marker: str, where: str) -> None:
    # The site's own inline SVG (avatars, the reputation chart) is fine; a handler on one is not
    # and is reported on its own.
    assert [found for found in unsafe_markup(html) if found != "<svg>"] == [], where
    assert payload_markup(html, marker) == [], where


@pytest.mark.parametrize("marker", PAYLOADS)
def test_payload_through_every_field(client, launch_mode, marker):
    payload = PAYLOADS[marker]
    asker = UserFactory(username=f"asker{marker}", reputation=3000)
    other = UserFactory(username=f"other{marker}", reputation=3000)
    moderator = ModeratorFactory()
    shown: list[str] = []  # pages to read afterwards

    # Question: title, body, tags (the form may refuse the payload in any of them).
    client.force_login(asker)
    title = f"A question about {payload}"[:150]
    body = f"The body of the question: {payload}\n\nMore text after it, for length."
    ask = {"title": title, "body": body, "tags": f"safety {payload[:20]}"}
    response = client.post("/questions/ask/", ask)
    assert response.status_code in (302, 400), response.status_code
    check(response.content.decode(), marker, "ask form refused")
    if response.status_code == 400:  # the tags, most likely: try plain ones
        response = client.post("/questions/ask/", {**ask, "tags": "safety"})
    if response.status_code == 400:
        response = client.post(
            "/questions/ask/",
            {
                **ask,
                "tags": "safety",
                "title": "A question about safety, with a payload in the body",
            },
        )
    assert response.status_code == 302
    question = Question.objects.latest("pk")
    preview = client.post("/questions/ask/", {**ask, "preview": "1"})
    check(preview.content.decode(), marker, "ask preview")

    # Answer, comments on both posts, an edit with a summary, a flag with details.
    client.force_login(other)
    response = client.post(
        f"/questions/{question.pk}/answer/", {"body": f"An answer: {payload} and more words."}
    )
    assert response.status_code in (302, 400)
    answer = Answer.objects.filter(question=question).first()
    comment = f"A comment: {payload}"[:600]
    for url in [
        f"/questions/{question.pk}/comment/",
        *([f"/answers/{answer.pk}/comment/"] if answer else []),
    ]:
        assert client.post(url, {"body": comment}).status_code in (302, 400)
    client.force_login(asker)
    edit = {
        **ask,
        "tags": "safety",
        "title": question.title,
        "body": body + "\n\nEdited.",
        "summary": payload[:200],
    }
    assert client.post(f"/questions/{question.pk}/edit/", edit).status_code in (302, 400)
    client.force_login(other)
    flag = {"reason": "other", "details": payload[:500]}
    assert client.post(f"/questions/{question.pk}/flag/", flag).status_code in (302, 400)

    question.refresh_from_db()
    thread = question.get_absolute_url()
    shown += [thread, "/", "/questions/", f"/questions/{question.pk}/revisions/", "/tags/"]
    shown += [
        f"/users/{asker.username}/",
        f"/users/{other.username}/",
        "/search/?q=" + payload[:200],
    ]
    if answer:
        shown += [f"/answers/{answer.pk}/revisions/"]
    for path in shown:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        check(response.content.decode(), marker, path)

    # What the asker's inbox and the moderators' consoles show.
    client.force_login(asker)
    check(client.get("/inbox/").content.decode(), marker, "inbox")
    client.force_login(moderator)
    for path in [
        "/review/",
        "/admin/flags/flag/",
        "/admin/questions/question/",
        f"/admin/questions/question/{question.pk}/change/",
        "/admin/comments/comment/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        check(response.content.decode(), marker, path)
    assert Comment.objects.filter(question=question).count() <= 1


@pytest.mark.parametrize(
    "html",
    [
        '<a href="javascript:alert(1)">xss1</a>',
        '<img src="x" data-x="1" onerror="xss1">',
        '<div xss1="1">',
        "<xss1>",
        '<div style="color:red" class="xss1">',
        '<a href="data:text/html,xss1">',
    ],
)
def test_the_checks_see_markup_that_came_from_a_payload(html):
    """The parser is not blind: each of these would fail a page."""
    assert unsafe_markup(html) or payload_markup(html, "xss1")
