"""Template access to the permission rules and post text: `{% if question|answerable_by:user %}`.
A thread's per-post controls come from `threads.readers` instead."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import permissions, textrules

register = template.Library()


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


@register.simple_tag
def question_links(questions, new_tab=False):
    """A short list of questions by title, with their answer counts: a thread's related
    questions and the ask form's similar ones. Written here rather than in a template: timing
    each template node of a visitor's first view of a thread, the sidebar's five rows took 1.2
    of the page template's 3.5 ms (bench/README.md, session 9)."""
    target = ' target="_blank" rel="noopener"' if new_tab else ""
    rows = []
    for question in questions:
        count = question.answer_count
        answered = " score-pill--answered" if count else ""
        title = ngettext("%(n)s answer", "%(n)s answers", count) % {"n": count}
        rows.append(
            f'<li>\n<span class="score-pill{answered}" title="{escape(title)}">{count}</span>\n'
            f'<a href="{escape(question.get_absolute_url())}"{target}>{escape(question.title)}'
            "</a>\n</li>\n"
        )
    return mark_safe(f'<ul class="question-links">\n{"".join(rows)}</ul>')
