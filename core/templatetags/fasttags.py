"""`{% url %}` through `core.fasturls.reverse_fast`: a template builtin (settings.TEMPLATES), so
every template's `{% url %}` is this one.

Django's tag calls `reverse()` on every render, about 50 µs each: the header, footer and
thread page of a visitor's view link 18 routes, a tenth of a first view's CPU. This tag
resolves its arguments and gives `reverse_fast` the name and keyword arguments, which formats
the route reversed once per process, or asks `reverse()` whenever it cannot tell. What
`reverse()` alone knows stays with Django's tag: positional arguments, and an application
instance asked for (`request.current_app`, as the admin's pages set it) where a namespace has
several instances (this site has none: then the current instance changes nothing).
"""

from __future__ import annotations

import functools

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, URLResolver, get_resolver, get_urlconf
from django.utils.html import conditional_escape

from core.fasturls import reverse_fast

register = template.Library()


@functools.lru_cache(maxsize=8)
def _one_instance_each(urlconf) -> bool:
    """No application namespace of the URL conf has several instances."""

    def single(resolver: URLResolver) -> bool:
        if any(len(instances) > 1 for instances in resolver.app_dict.values()):
            return False
        return all(single(p) for p in resolver.url_patterns if isinstance(p, URLResolver))

    return single(get_resolver(urlconf))


class FastURLNode(URLNode):
    def render(self, context):
        request = getattr(context, "request", None)
        if (
            self.args
            or getattr(request, "current_app", None) is not None
            or not _one_instance_each(get_urlconf())
        ):
            return super().render(context)
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        url = ""
        try:
            url = reverse_fast(view_name, **kwargs)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's `{% url %}`, with the same syntax and output."""
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
