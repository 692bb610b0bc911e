"""Reading rendered pages the way a browser or a crawler would: which elements, in which order,
with which attributes."""

import json
import re
from html.parser import HTMLParser

from django.utils.html import escape


def ids(response, prefix: str) -> list[int]:
    """Primary keys from `id="<prefix>-N"` attributes, in page order."""
    return [int(n) for n in re.findall(rf'id="{prefix}-(\d+)"', response.content.decode())]


def container(response, element_id: str) -> str:
    """The HTML from the element with `element_id` up to the next answer or the end."""
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    end = html.find('id="answer-', start + 1)
    return html[start : end if end != -1 else len(html)]


def json_ld(response) -> list[dict]:
    """Every `<script type="application/ld+json">` on the page, parsed."""
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return [json.loads(block) for block in blocks]


def shows_error(response, field: str) -> bool:
    """The form came back with an error on `field`, and the page shows that error's text."""
    errors = response.context["form"].errors.get(field)
    return bool(errors) and escape(errors[0]) in response.content.decode()


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


_SCRIPT_TYPES = {"application/ld+json"}


def unsafe_markup(page) -> list[str]:
    """What in a response or an HTML string could run script: inline scripts other than
    JSON-LD, event handler attributes, `javascript:`/`data:` URLs, frames, objects and SVG other
    than the site's avatars and icons. Empty when the markup is safe. Text that merely reads
    like markup (escaped) is not markup."""
    parser = _Collector()
    parser.feed(page if isinstance(page, str) else page.content.decode())
    found = []
    for tag, attrs in parser.elements:
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in _SCRIPT_TYPES:
            found.append(f"<script> {attrs}")
        if tag == "svg" and ("data-avatar" in attrs or "data-icon" in attrs):
            pass  # the site's own avatars (accounts/avatars.py) and icons; attributes checked
        elif tag in {"iframe", "object", "embed", "svg", "math", "style", "base"}:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"<{tag} {name}=...>")
            url = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name in {"href", "src", "action", "formaction", "srcset", "xlink:href"} and (
                url.startswith(("javascript:", "data:", "vbscript:"))
            ):
                found.append(f"<{tag} {name}={value!r}>")
    return found
