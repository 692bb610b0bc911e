"""The parts of a thread page every reader sees alike, rendered once and kept in the shared
cache, so the next reader (signed in or not) reuses them.

A post's notes, body and tags, its share panel, its signature (dates, the author's avatar, name
and reputation), its plain-text excerpt for the jump list, and each of its comments without the
flag link are the same for everyone (`threads.render.shared_parts`); so is the related
questions sidebar. What depends on the reader (their vote, the buttons they may use, CSRF and
form tokens, confirmations) is written for each request around them (`threads.render`).

Never stale: the parts are kept under the content versions of `pagecache.versions`, read
before any of the thread's rows (`stamp`), so what is kept under a version is at least as new
as that version: the site version (every write no service placed in a thread: names,
avatars, the admin, moderation) and the thread's (its edits, answers, comments, votes, accepts,
closing, deletions). A post's key also carries its author's reputation, which writes in
other threads change, and the language, scheme and host (the share link is absolute). The
sidebar records the versions of the questions it lists, as the page cache does, and is used
only while none of them moved. When the cache is off or down, everything is rendered and
nothing kept; `JOKESITE_FRAGMENT_CACHE_SECONDS` bounds how long relative dates ("3 hours ago")
can lag.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core import textrules
from core.fasturls import Absolute
from pagecache import fragments as shared
from pagecache import versions
from search.related import related_questions

from .render import shared_parts, shared_words

SIDEBAR_TEMPLATE = "questions/_related.html"
EXCERPT_LENGTH = 70  # the jump list's
# Bump when the parts' templates change shape, so no process reads another release's parts.
LAYOUT = 2


def stamp(request, question_id: int) -> str | None:
    """What every part of this thread is kept under now, or None when nothing is to be kept
    (the cache off or down). Read it before any of the thread's rows."""
    keys = [versions.VERSION_KEY, versions.thread_key(question_id)]
    return shared.stamp(request, keys, LAYOUT)


def _post_key(post, stamp: str) -> str:
    return f"fragment:{stamp}:{post.kind}:{post.pk}:{post.author.reputation}"


def _sidebar_key(question, stamp: str) -> str:
    return f"fragment:{stamp}:sidebar:{question.pk}"


def render_parts(request, post, words: dict | None = None, absolute: Absolute | None = None):
    """The parts of `post` (with `visible_comments` and its author) every reader sees alike
    (`words`: `render.shared_words()`, translated once for the page's posts; `absolute`: the
    request's `Absolute`, made once for them)."""
    url = post.get_absolute_url()
    parts = shared_parts(post, url, (absolute or Absolute(request))(url), words)
    comments = parts.pop("comments")
    return {
        **parts,
        "excerpt": textrules.excerpt(textrules.plain_text(post), EXCERPT_LENGTH),
        "comments": {c.pk: html for c, html in zip(post.visible_comments, comments, strict=True)},
    }


def _attach(post, parts: dict) -> None:
    post.shared = {
        "head": mark_safe(parts["head"]),  # rendered by our templates, which escape
        "share": mark_safe(parts["share"]),
        "signature": mark_safe(parts["signature"]),
        "excerpt": parts["excerpt"],
    }
    for comment in post.visible_comments:
        comment.shared = mark_safe(parts["comments"][comment.pk])


def prepare(
    request, question, posts, stamp: str | None, *, related_limit: int, whole: dict | None = None
) -> dict:
    """Give each post (the question and its answers) its `shared` parts, its comments theirs,
    and return the sidebar, `{"sidebar": html, "related_ids": [...]}`, with the value of
    each of `whole` (name: function making a string that depends on nothing but the thread's
    rows and the names in it; the name says what else, such as the answers' order). From the
    cache where kept under `stamp`, else made (and kept). One round trip to read, one more
    when the sidebar lists questions, one to keep what was made."""
    whole = whole or {}
    keys = {_post_key(post, stamp): post for post in posts} if stamp else {}
    sidebar_key = _sidebar_key(question, stamp) if stamp else None
    whole_keys = {name: f"fragment:{stamp}:{name}:{question.pk}" for name in whole}
    found = shared.get_many([*keys, sidebar_key, *whole_keys.values()]) if stamp else {}
    kept = {}
    made = {}
    for name, make in whole.items():
        made[name] = found.get(whole_keys[name])
        if made[name] is None:
            made[name] = make()
            if stamp:
                kept[whole_keys[name]] = made[name]
    words = absolute = None
    for post in posts:
        key = _post_key(post, stamp) if stamp else None
        parts = found.get(key)
        comment_ids = {comment.pk for comment in post.visible_comments}
        if parts is None or set(parts["comments"]) != comment_ids:
            words = words or shared_words()
            absolute = absolute or Absolute(request)
            parts = render_parts(request, post, words, absolute)
            if key:
                kept[key] = parts
        _attach(post, parts)
    sidebar = found.get(sidebar_key)
    if sidebar is not None and not _still_valid(sidebar["deps"]):
        sidebar = None
    if sidebar is None:
        deps = None
        if stamp and question_related_ids(question):
            # Read before the related rows: what is kept is at least as new as these.
            deps = versions.current_many(
                [versions.thread_key(pk) for pk in question_related_ids(question)]
            )
        questions = related_questions(question, limit=related_limit)
        html = render_to_string(SIDEBAR_TEMPLATE, {"related_questions": questions})
        sidebar = {"html": html, "ids": [q.pk for q in questions], "deps": deps or {}}
        # Only a list stored with the question is guarded by the versions read above (the
        # fallback by first tag depends on other threads' questions: rendered each time).
        if sidebar_key and deps is not None:
            shown = {versions.thread_key(pk) for pk in sidebar["ids"]}
            if shown <= set(deps):
                kept[sidebar_key] = sidebar
    if kept:
        shared.set_many(kept)
    html = mark_safe(sidebar["html"])  # rendered by our template
    return {"sidebar": html, "related_ids": sidebar["ids"], **made}


def question_related_ids(question) -> list[int]:
    """The related question ids stored with the question (`search.related`), [] when none."""
    stored = getattr(question, "related_list", None)
    return list(stored.ids) if stored is not None else []


def _still_valid(deps: dict) -> bool:
    if not deps:
        return True
    try:
        return versions.cache().get_many(list(deps)) == deps
    except Exception:
        return False
