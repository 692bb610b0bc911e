"""`{% load static %}` with `{% static %}` remembered per path: registered as the `static`
library (settings.TEMPLATES), so every template that loads it gets this one.

Django's tag asks the storage on every render (the manifest's hashed name, joined and quoted):
about 40 µs, seven times on every page. The answer for a path changes only with the settings
(tests change them: then everything is forgotten) or when the manifest is written again, which
a running process never reads anyway. The other tags of Django's library are its own.
"""

from __future__ import annotations

import functools

from django import template
from django.core.signals import setting_changed
from django.templatetags import static as django_static

register = template.Library()
register.tags.update(django_static.register.tags)
register.filters.update(django_static.register.filters)


@functools.lru_cache(maxsize=1024)
def static_url(path: str) -> str:
    return django_static.StaticNode.handle_simple(path)


class FastStaticNode(django_static.StaticNode):
    def url(self, context):
        path = self.path.resolve(context)
        return static_url(path) if isinstance(path, str) else self.handle_simple(path)


@register.tag("static")
def do_static(parser, token):
    """Django's `{% static %}`, with the same syntax and output."""
    return FastStaticNode.handle_token(parser, token)


def _forget(**kwargs):
    static_url.cache_clear()


setting_changed.connect(_forget, dispatch_uid="core.faststatic.forget")
