"""`{% form_guard %}` inside a <form>: the honeypot, start time and token fields of
`core.protection`, fresh for each rendered form.

Written out as the fields' widgets render them (tests/test_protection.py compares the two),
not through `GuardForm`: a thread shows a comment form under every post, and building and
rendering a form through the widget templates cost 4-5 ms each, a fifth of a 50-answer
thread's render for a member.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.protection import guard_html

register = template.Library()


@register.simple_tag(takes_context=True)
def form_guard(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return mark_safe(guard_html(user, conditional_escape(gettext("Leave this field empty"))))
