"""`{% form_guard %}` inside a <form>: the honeypot, start time and token fields of
`core.protection`, fresh for each rendered form.

Written out as the fields' widgets render them (tests/test_protection.py compares the two),
not through `GuardForm`: a thread shows a comment form under every post, and building and
rendering a form through the widget templates cost 4-5 ms each, a fifth of a 50-answer
thread's render for a member.
"""

import secrets

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from core.protection import HONEYPOT, STARTED, TOKEN, is_checked, started_value

register = template.Library()

GUARD_HTML = (
    '<div class="hp" aria-hidden="true"><label>{} '
    '<input type="text" name="{}" autocomplete="off" tabindex="-1"></label></div>'
    '<input type="hidden" name="{}" value="{}">'
    '<input type="hidden" name="{}" value="{}">'
)


@register.simple_tag(takes_context=True)
def form_guard(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    token = secrets.token_urlsafe(16)
    if not is_checked(user):
        # The robot checks leave this reader alone (an established account, or protection
        # off): the token alone, which spares a double submit, as threads.render writes it.
        return format_html('<input type="hidden" name="{}" value="{}">', TOKEN, token)
    return format_html(
        GUARD_HTML,
        gettext("Leave this field empty"),
        HONEYPOT,
        STARTED,
        started_value(user),
        TOKEN,
        token,
    )
