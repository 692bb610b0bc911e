"""`{% form_guard %}` inside a <form>: the honeypot, start time and token fields of
`core.protection`, fresh for each rendered form."""

from django import template
from django.utils.html import format_html_join

from core.protection import GuardForm

register = template.Library()


@register.simple_tag(takes_context=True)
def form_guard(context):
    request = context.get("request")
    form = GuardForm(getattr(request, "user", None))
    return format_html_join("", "{}", ((field,) for field in form))
