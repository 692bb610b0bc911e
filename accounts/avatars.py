"""Avatars drawn by the site from the username: an inline SVG, so no page asks another origin
(contract: "every question and answer shows its author's avatar ... served by the site itself")
and no image file is stored. The same username always gives the same picture.
"""

import hashlib

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import AvatarStyle

_GRID = 5  # the pattern is 5 x 5 cells, mirrored left to right


def _digest(username: str) -> bytes:
    return hashlib.sha256(username.encode("utf-8")).digest()


def colour(username: str) -> str:
    """A dark, saturated colour from the name: white text on it stays readable (contrast over
    4.5:1 at a lightness of 34%)."""
    hue = int.from_bytes(_digest(username)[:2], "big") % 360
    return f"hsl({hue} 55% 34%)"


def _initial(name: str) -> str:
    for ch in name:
        if ch.isalnum():
            return ch.upper()
    return "?"


def avatar_svg(user, size: int = 32, *, style: str | None = None) -> SafeString:
    """The member's avatar as inline SVG, `size` pixels square, hidden from screen readers
    (the name beside it says who it is); `style` overrides the member's choice (a preview)."""
    username = user.username
    style = style or getattr(user, "avatar_style", AvatarStyle.INITIAL)
    fill = colour(username)
    head = (
        f'<svg class="avatar" width="{size}" height="{size}" viewBox="0 0 40 40" '
        f'aria-hidden="true" focusable="false" data-avatar="{escape(style)}">'
    )
    if style == AvatarStyle.PATTERN:
        bits = int.from_bytes(_digest(username)[2:6], "big")
        cells = []
        half = (_GRID + 1) // 2
        for row in range(_GRID):
            for col in range(half):
                if bits >> (row * half + col) & 1:
                    for x in {col, _GRID - 1 - col}:
                        cells.append(
                            f'<rect x="{4 + x * 6.4:g}" y="{4 + row * 6.4:g}" '
                            f'width="6.4" height="6.4"/>'
                        )
        body = (
            f'<rect width="40" height="40" rx="8" fill="#f1ece4"/>'
            f'<g fill="{fill}">{"".join(cells)}</g>'
        )
    else:
        name = getattr(user, "display_name", "") or username
        body = (
            f'<rect width="40" height="40" rx="8" fill="{fill}"/>'
            f'<text x="20" y="20" dy=".35em" text-anchor="middle" fill="#fff" '
            f'font-size="20" font-weight="700" font-family="system-ui, sans-serif">'
            f"{escape(_initial(name))}</text>"
        )
    return mark_safe(head + body + "</svg>")  # every value above is a number or escaped
