"""Template access to the permission rules and post text: `{% if question|answerable_by:user %}`.
A thread's per-post controls come from `threads.readers` instead."""

from django import template
from django.utils.translation import gettext as _

from core import permissions, textrules

register = template.Library()


@register.filter
def plaintext(value):
    """Rendered HTML as plain text, for meta descriptions: tags dropped, entities decoded (the
    template escapes the result once), whitespace collapsed."""
    return textrules.html_to_plain(value)


@register.filter
def excerpt(post, length=180):
    """A post's text as plain text (no Markdown, no HTML), cut to `length` characters: what
    every list shows under a title (contract, "Text rules")."""
    return textrules.excerpt(textrules.plain_text(post), int(length))


@register.filter
def answerable_by(question, user):
    return permissions.can_answer(user, question)


@register.filter
def rollback_url(post, number):
    return post.get_rollback_url(number)


@register.simple_tag
def blocked_reason(user, post=None):
    """Why a write button is off, when the reason is a suspension (the banner has its details)
    or the post's lock; empty otherwise."""
    if permissions.is_suspended(user):
        return _("Your account is suspended: you can read but not write.")
    return permissions.block_notice(user, post)


@register.filter
def is_suspended(user):
    """A suspended member sees no links to what they cannot do (the banner says why)."""
    return permissions.is_suspended(user)


@register.filter
def can_decide_review(user):
    return permissions.can_decide_review(user)
