"""Markdown for user content: CommonMark (markdown-it-py) rendered once on write, then sanitized
with nh3 (Rust's ammonia), so stored `body_html` is safe to output with `|safe`.

Raw HTML in the source is escaped by the renderer and anything that still slips through is
removed by the sanitizer: no script, no event handler, no `javascript:` or `data:` URL.
"""

import nh3
from markdown_it import MarkdownIt

_POST_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
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

_post_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_post_md.enable("table").enable("strikethrough")
_comment_md = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
_comment_md.disable(["heading", "lheading", "list", "blockquote", "code", "fence", "hr", "image"])


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes={tag: attrs for tag, attrs in _ATTRIBUTES.items() if tag in tags},
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
