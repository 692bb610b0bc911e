"""Light or dark: the device's setting (prefers-color-scheme) unless the visitor chose.

A member's choice is saved on their account, so it follows them to every device; anyone's
choice is also kept in a cookie, so it works signed out and without JavaScript. A signed-in
member's saved choice outranks the cookie.
"""

from django.conf import settings

from .models import Theme

COOKIE = "theme"
COOKIE_AGE = 365 * 24 * 60 * 60


def theme_for(request) -> str:
    """ "light", "dark" or "" (follow the device)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.theme
    chosen = request.COOKIES.get(COOKIE, "")
    return chosen if chosen in Theme.values else ""


def remember(response, theme: str) -> None:
    """Keep `theme` in the cookie for a year ("" deletes it)."""
    if theme:
        response.set_cookie(
            COOKIE,
            theme,
            max_age=COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
