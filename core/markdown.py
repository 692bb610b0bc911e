"""Markdown for user content: CommonMark (markdown-it-py) rendered once on write, then sanitized
with nh3 (Rust's ammonia), so stored `body_html` is safe to output with `|safe`.

Raw HTML in the source is escaped by the renderer and anything that still slips through is
removed by the sanitizer: no script, no event handler, no `javascript:` or `data:` URL.

An image is kept only when its address is absolute (http or https) and names another site: a
reader's browser fetches an image with the reader's cookies, so `![x](/inbox/)` would make
every reader request one of our own pages. Any other image shows as its text.

A fenced code block that names its language (```python) is highlighted here, on the server,
by Pygments: its tokens become `<span class="hl-…">`, and the sanitizer keeps exactly those
classes on spans (static/css/site.css colours them, light and dark). Posts written before keep
their stored HTML until `manage.py rerender_posts`.
"""

from urllib.parse import urlsplit

import nh3
from django.conf import settings
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

_POST_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_COMMENT_TAGS = {"a", "code", "em", "strong", "del", "s", "i", "b"}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    "ol": {"start"},
}
_SCHEMES = {"http", "https", "mailto"}
# Pygments' token classes, prefixed so they never meet the site's own class names.
_HL_PREFIX = "hl-"
_HL_CLASSES = {_HL_PREFIX + name for name in STANDARD_TYPES.values() if name}
_HL_MAX = 20_000  # characters: a longer block shows plain (the body holds at most 30,000)
_HL_FORMATTER = HtmlFormatter(nowrap=True, classprefix=_HL_PREFIX)


def _own_hosts() -> list[str]:
    """Host names that are this site: SITE_URL's and ALLOWED_HOSTS (".x.org" also covers its
    subdomains)."""
    hosts = [urlsplit(settings.JOKESITE_SITE_URL).hostname or ""]
    hosts += [host.lower().strip("[]") for host in settings.ALLOWED_HOSTS if host != "*"]
    return [host for host in hosts if host]


def is_remote_image(src: str | None) -> bool:
    """Whether an image address is absolute http(s) on another site (see the module)."""
    try:
        parts = urlsplit(src or "")
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    for own in _own_hosts():
        if host == own.lstrip(".") or (own.startswith(".") and host.endswith(own)):
            return False
    return True


def _render_image(renderer, tokens, idx, options, env):
    token = tokens[idx]
    if is_remote_image(token.attrGet("src")):
        return renderer.image(tokens, idx, options, env)
    return escapeHtml(renderer.renderInlineAsText(token.children or [], options, env))


def _highlight(code: str, lang: str, attrs: str) -> str:
    """Pygments spans for a fenced block in a language it knows; "" leaves the block plain
    (markdown-it escapes it). No guessing: a block without a language stays plain."""
    if not lang or len(code) > _HL_MAX:
        return ""
    try:
        lexer = get_lexer_by_name(lang[:40], stripnl=False)
    except ClassNotFound:
        return ""
    return highlight(code, lexer, _HL_FORMATTER)


_post_md = MarkdownIt(
    "commonmark",
    {"html": False, "linkify": False, "typographer": False, "highlight": _highlight},
)
_post_md.enable("table").enable("strikethrough")
_post_md.add_render_rule("image", _render_image)
_comment_md = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
_comment_md.disable(["heading", "lheading", "list", "blockquote", "code", "fence", "hr", "image"])


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes={tag: attrs for tag, attrs in _ATTRIBUTES.items() if tag in tags},
        allowed_classes={"span": _HL_CLASSES} if "span" in tags else None,
        url_schemes=_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
        strip_comments=True,
    ).strip()


def render_post(text: str) -> str:
    """Render a question or answer body to sanitized HTML."""
    return _clean(_post_md.render(text or ""), _POST_TAGS)


def clean_post_html(html: str) -> str:
    """Sanitize HTML written elsewhere (an imported post) exactly as a rendered post is."""
    return _clean(html or "", _POST_TAGS)


def render_comment(text: str) -> str:
    """Render a comment: inline Markdown only (links, code, emphasis), one paragraph."""
    html = _clean(_comment_md.render(text or ""), _COMMENT_TAGS | {"p", "br"})
    return html.replace("<p>", "").replace("</p>", " ").strip()
