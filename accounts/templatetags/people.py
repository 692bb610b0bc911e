"""Members on pages: `{% avatar user 32 %}` and `{% current_theme %}`."""

from django import template

from accounts import avatars, themes

register = template.Library()


@register.simple_tag
def avatar(user, size=32):
    """The member's generated avatar, inline SVG (no request to any origin)."""
    return avatars.avatar_svg(user, int(size))


@register.simple_tag(takes_context=True)
def current_theme(context) -> str:
    """ "light", "dark" or "" (follow the device) for this request."""
    request = context.get("request")
    return themes.theme_for(request) if request is not None else ""


@register.simple_tag
def avatar_preview(user, style, size=32):
    """What `user`'s avatar looks like in `style`, for the profile form's choices."""
    return avatars.avatar_svg(user, int(size), style=style)
