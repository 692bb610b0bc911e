"""A thread's posts as HTML, written in Python rather than through template includes.

A post on a thread is the part every reader sees alike (`post.shared`, threads/fragments.py,
kept in the shared cache) inside the part that depends on the reader: the vote buttons, the
actions they may take, the comment form and the confirmations placed in it. The second part
was three template includes per post: about 80 template nodes, 70 variable lookups and a
form guard each, 23 ms of a 50-answer thread's 42 ms for a member. Here it is string joins
over the facts `threads.readers` worked out once per post, with every value escaped as the
templates' autoescape would (`esc`: `conditional_escape`, so the shared parts, already safe,
pass through).

What is rare stays in templates: a moderator's controls, the close and reopen votes, and the
confirmations placed in a post (questions/_moderator_actions.html, _close_votes.html,
includes/placed_messages.html). The markup is the contract's, as the templates wrote it
(bench/README.md says how 288 pages were compared); tests/threads/test_render.py and the
thread tests check its hooks for every kind of reader.
"""

from __future__ import annotations

import html

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from accounts.avatars import avatar_svg
from core.fasturls import PkUrls
from core.humantime import naturaltime
from core.protection import guard_html, is_checked
from core.sentences import per_catalogue
from core.views import anchor_of


def esc(text) -> SafeString:
    """`django.utils.html.conditional_escape`, the same text without the lazy-argument wrapper
    (`keep_lazy`) `escape` goes through: a 400-answer thread escapes some 5,000 values."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return SafeString(html.escape(str(text)))


PLACED_TEMPLATE = "includes/placed_messages.html"
MODERATOR_TEMPLATE = "questions/_moderator_actions.html"
CLOSE_VOTES_TEMPLATE = "questions/_close_votes.html"


class ThreadRenderer:
    """What every post of one page shares (the reader, the page's sentences, the CSRF token),
    and `post(post)`: one post's HTML, from `post.shared` and `post.reader` (its facts)."""

    def __init__(self, request, user, *, words, placed, login_next_url, privileges_url, extra):
        self.user = user
        self.signed_in = user.is_authenticated
        self.words = {name: esc(text) for name, text in words.items()}
        self.placed = placed or {}
        self.login_next_url = esc(login_next_url)
        self.privileges_url = esc(privileges_url)
        self.urls = PkUrls()  # escaped
        # What the rare parts' templates need besides the post (close reasons, votes needed).
        self.extra = extra
        if self.signed_in:
            self.csrf_token = get_token(request)
            self.csrf = mark_safe(
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(self.csrf_token)}">'
            )
            self.guard_label = esc(gettext("Leave this field empty"))
            self.checked = is_checked(user)

    def url(self, post, action: str) -> str:
        """`post.get_<action>_url()`, escaped."""
        return self.urls(f"{post._meta.app_label}:{action}", post.pk)

    # -- the page's pieces -------------------------------------------------------------------

    def post(self, post) -> SafeString:
        """One question or answer: votes, body, actions, signature, comments (what
        questions/_post.html was)."""
        f = post.reader
        vote_why = ""
        if f.vote_why:
            vote_why = (
                f'<p class="vote-reason muted small" id="vote-reason-{post.kind}-{post.pk}">'
                f"{esc(f.vote_why)}</p>"
            )
        parts = [
            '<div class="post__layout">\n',
            self.votes(post, f),
            '\n<div class="post__main">\n',
            self.notes(post),
            post.shared["head"],
            '\n<div class="post__footer">\n<div class="post__actions">\n',
            self.actions(post, f),
            "\n",
            post.shared["share"],
            "\n",
            vote_why,
            "\n</div>\n",
            post.shared["signature"],
            "\n</div>\n",
            self.comments(post, f),
            "\n</div>\n</div>",
        ]
        return mark_safe("".join(parts))

    def answers(self, answers) -> SafeString:
        """Every answer in its <article>, the accepted one marked."""
        # (No gettext inside an f-string: makemessages would not find the sentence.)
        label = esc(gettext("Accepted answer"))
        badge = f'<p class="accepted-badge">✔ {label}</p>\n'
        out = []
        for answer in answers:
            classes = " accepted" if answer.is_accepted else ""
            if answer.is_deleted:
                classes += " is-deleted"
            out.append(
                f'<article class="post post--answer{classes}" id="answer-{answer.pk}">\n'
                f"{badge if answer.is_accepted else ''}{answer.html}\n</article>"
            )
        return mark_safe("\n".join(out))

    def jump_list(self, answers) -> SafeString:
        """A long thread's list of its answers, each one tap away without JavaScript."""
        label = esc(gettext("Accepted"))
        accepted = f'<span class="jump-list__accepted">✔ {label}</span> '
        title = self.words["score_title"]
        return mark_safe(
            "\n".join(
                f'<li><a href="#answer-{answer.pk}">{accepted if answer.is_accepted else ""}'
                f'<span class="jump-list__score" title="{title}">{answer.score}</span> '
                f"{esc(answer.author.shown_name)}: "
                f'<span class="muted">{esc(answer.shared["excerpt"])}</span></a></li>'
                for answer in answers
            )
        )

    def notes(self, item) -> str:
        """The confirmations `core.views.place_messages` set aside for this item."""
        notes = self.placed.get(anchor_of(item)) if self.placed else None
        if not notes:
            return ""
        return render_to_string(PLACED_TEMPLATE, {"notes": notes})

    def votes(self, post, f) -> str:
        w = self.words
        score = f'<span data-score="{post.score}">{post.score}</span>'
        if not self.signed_in:
            url = self.login_next_url
            title = w["log_in_to_vote"]
            return (
                f'<div class="votes" data-vote-url="{self.url(post, "vote")}">\n'
                f'<a class="vote vote--up" href="{url}" title="{title}"><span aria-hidden="true">'
                f'▲</span><span class="visually-hidden">{w["log_in_to_vote_up"]}</span></a>\n'
                f'<span class="votes__score"><span class="visually-hidden">{w["score"]} </span>'
                f"{score}</span>\n"
                f'<a class="vote vote--down" href="{url}" title="{title}"><span aria-hidden="true">'
                f'▼</span><span class="visually-hidden">{w["log_in_to_vote_down"]}</span></a>\n'
                "</div>"
            )
        url = self.url(post, "vote")
        mine = post.viewer_vote
        described = f' aria-describedby="vote-reason-{post.kind}-{post.pk}"' if f.vote_why else ""
        if f.up:
            on = mine == 1
            up = (
                f'<button class="vote vote--up{" is-on" if on else ""}" name="value" '
                f'value="{0 if on else 1}" aria-pressed="{"true" if on else "false"}" '
                f'title="{w["retract_your_upvote"] if on else w["useful"]}">\n'
                '<span aria-hidden="true">▲</span><span class="visually-hidden">'
                f"{w['retract_upvote'] if on else w['vote_up']}</span>\n</button>"
            )
        else:
            up = (
                f'<button class="vote vote--up" type="button" disabled title="{esc(f.up_off)}"'
                f'{described}><span aria-hidden="true">▲</span><span class="visually-hidden">'
                f"{w['vote_up']}</span></button>"
            )
        if f.down:
            on = mine == -1
            down = (
                f'<button class="vote vote--down{" is-on" if on else ""}" name="value" '
                f'value="{0 if on else -1}" aria-pressed="{"true" if on else "false"}" '
                f'title="{w["retract_your_downvote"] if on else w["not_useful"]}">\n'
                '<span aria-hidden="true">▼</span><span class="visually-hidden">'
                f"{w['retract_downvote'] if on else w['vote_down']}</span>\n</button>"
            )
        elif mine == -1 and not f.blocked:
            down = (
                '<button class="vote vote--down is-on" name="value" value="0" aria-pressed="true">'
                '<span aria-hidden="true">▼</span><span class="visually-hidden">'
                f"{w['retract_downvote']}</span></button>"
            )
        else:
            down = (
                f'<button class="vote vote--down" type="button" disabled title="{esc(f.down_off)}"'
                f'{described}><span aria-hidden="true">▼</span><span class="visually-hidden">'
                f"{w['vote_down']}</span></button>"
            )
        return (
            f'<div class="votes" data-vote-url="{url}">\n'
            f'<form method="post" action="{url}" class="votes__form">\n{self.csrf}\n{up}\n'
            # A live region: a screen reader hears the new score when votes.js changes it.
            '<span class="votes__score" aria-live="polite" aria-atomic="true">'
            f'<span class="visually-hidden">{w["score"]} </span>{score}</span>\n'
            f"{down}\n</form>\n</div>"
        )

    def actions(self, post, f) -> str:
        w = self.words
        history = ""
        if post.edited_at:
            history = f'<a href="{self.url(post, "revisions")}">{w["history"]}</a>'
        if not self.signed_in:
            return history
        out = []
        if f.edit:
            out.append(f'<a href="{self.url(post, "edit")}">{w["edit"]}</a>')
        elif f.suggest:
            out.append(
                f'<a href="{self.url(post, "edit")}" class="suggest-edit">{w["suggest_edit"]}</a>'
            )
        if f.retag:
            out.append(f'<a href="{self.url(post, "retag")}">{w["retag"]}</a>')
        out.append(history)
        if f.flag:
            out.append(f'<a href="{self.url(post, "flag")}">{w["flag"]}</a>')
        elif f.flag_off:
            out.append(
                f'<a class="muted" href="{self.privileges_url}#privilege-flag" '
                f'title="{w["flag_hint"]}">{w["flag"]}</a>'
            )
        if f.delete:
            out.append(
                f'<form method="post" action="{self.url(post, "delete")}" class="inline">\n'
                f"{self.csrf}\n"
                f'<button type="submit" class="link link--danger">{w["delete"]}</button>\n'
                "</form>"
            )
        if f.moderate or (post.kind == "question" and f.close_votes):
            template = MODERATOR_TEMPLATE if f.moderate else CLOSE_VOTES_TEMPLATE
            context = {"post": post, "f": f, "csrf_token": self.csrf_token, **self.extra}
            out.append(render_to_string(template, context))
        if f.accept:
            url = self.urls("answers:accept", post.pk)
            ghost = " button--ghost" if post.is_accepted else ""
            label = w["unaccept"] if post.is_accepted else w["accept"]
            out.append(
                f'<form method="post" action="{url}" class="inline">\n{self.csrf}\n'
                f'<button type="submit" class="button button--small{ghost}">{label}</button>\n'
                "</form>"
            )
        return "\n".join(out)

    def guard(self) -> str:
        """The guard fields of this form (`protection.guard_html`: the token alone for a reader
        the robot checks leave alone; signing a single-use stamp for each comment form was an
        eighth of a member's view of a 400-answer thread)."""
        return guard_html(self.user, self.guard_label, self.checked)

    def comments(self, post, f) -> str:
        w = self.words
        out = [f'<section class="comments" aria-label="{w["comments"]}">\n']
        comments = post.visible_comments
        if comments:
            out.append('<ul class="comments__list">\n')
            for comment in comments:
                if comment.pk in f.flaggable:
                    url = self.urls("questions:comment_flag", comment.pk)
                    flag = (
                        f'<a class="comment__flag" href="{url}" '
                        f'title="{w["flag_comment"]}">{w["flag_lower"]}</a>'
                    )
                else:
                    flag = ""
                out.append(
                    f'<li class="comment" id="comment-{comment.pk}">{comment.shared}\n'
                    f"{flag}\n{self.notes(comment)}\n</li>\n"
                )
            out.append("</ul>\n")
        if self.signed_in:
            if f.comment:
                field = f"comment-{post.kind}-{post.pk}"
                out.append(
                    '<details class="comments__add">\n'
                    f"<summary>{w['add_a_comment']}</summary>\n"
                    f'<form method="post" action="{self.url(post, "comment")}">\n'
                    f"{self.csrf}\n{self.guard()}\n"
                    f'<label class="visually-hidden" for="{field}">{w["comment"]}</label>\n'
                    f'<textarea id="{field}" name="body" rows="2" maxlength="600" required>'
                    "</textarea>\n"
                    f'<button type="submit" class="button button--small">{w["add_comment"]}'
                    "</button>\n</form>\n</details>\n"
                )
            elif f.blocked:
                out.append(f'<p class="muted small">{esc(f.blocked)}</p>\n')
            else:
                out.append(
                    f'<p class="muted small">{w["comment_hint"]} '
                    f'<a href="{self.privileges_url}#privilege-comment">'
                    f"{w['about_privileges']}</a></p>\n"
                )
        out.append("</section>")
        return "".join(out)


# -- the parts every reader sees alike ---------------------------------------------------------


def _local(value):
    return template_localtime(value) if value is not None else None


def isotime(value) -> str:
    """`value|date:'Y-m-d\\TH:i:sO'` (a local time), for `<time datetime>`: the same text, for
    a tenth of the cost."""
    return value.strftime("%Y-%m-%dT%H:%M:%S%z") if value else ""


@per_catalogue
def shared_words() -> dict:
    """The sentences every post's shared parts use, translated (and escaped) once per
    catalogue (`core.sentences`)."""
    return {
        "deleted": esc(gettext("This post is deleted: only its author and moderators see it.")),
        "hidden": esc(
            gettext(
                "This post is hidden after flags from the community until a moderator reviews "
                "it: only its author and moderators see it."
            )
        ),
        "locked": esc(gettext("This post is locked by a moderator: no edits, votes or comments.")),
        "link_question": esc(gettext("Link to this question")),
        "link_answer": esc(gettext("Link to this answer")),
        "share": esc(gettext("Share")),
        "copied": esc(gettext("Link copied.")),
        "copy": esc(gettext("Copy link")),
        "edited": gettext("edited %(when)s"),
        "asked": gettext('asked <time datetime="%(iso)s">%(when)s</time>'),
        "answered": gettext('answered <time datetime="%(iso)s">%(when)s</time>'),
        "reputation": esc(gettext("reputation")),
    }


def shared_parts(post, url: str, share_url: str, words: dict | None = None) -> dict:
    """The parts of `post` (with `visible_comments` and its author, and its tags for a
    question) every reader sees alike, as HTML: "head" (notes, body, tags), "share" (the share
    panel), "signature", and "comments" (each comment without its flag link, in order). What
    questions/_post_parts.html and _share.html wrote, kept in the shared cache by
    `threads.fragments`. `words`: `shared_words()`, when one page renders several posts."""
    w = words or shared_words()
    question = post.kind == "question"
    head = []
    if post.is_deleted:
        head.append(f'<p class="deleted-note">{w["deleted"]}</p>\n')
    if post.is_hidden:
        head.append(f'<p class="deleted-note">{w["hidden"]}</p>\n')
    if post.is_locked:
        head.append(f'<p class="lock-note">{w["locked"]}</p>\n')
    head.append(f'<div class="post__body prose">{post.body_html}</div>')
    if question:
        tags = "".join(
            f'<li><a class="tag" href="{esc(tag.get_absolute_url())}">{esc(tag.name)}</a></li>'
            for tag in post.tags.all()
        )
        head.append(f'\n<ul class="tags">\n{tags}\n</ul>')
    field = f"share-{post.kind}-{post.pk}"
    link = w["link_question"] if question else w["link_answer"]
    share = (
        f'<details class="share">\n<summary>{w["share"]}</summary>\n'
        f'<div class="share__panel">\n<label for="{field}">{link}</label>\n'
        f'<input id="{field}" type="url" value="{esc(share_url)}" readonly>\n'
        f'<button type="button" class="button button--small" data-copy="{field}" '
        f'data-copied="{w["copied"]}" hidden>{w["copy"]}'
        "</button>\n"
        '<span class="share__status small" role="status"></span>\n</div>\n</details>'
    )
    signature = ['<div class="signature">\n']
    if post.edited_at:
        edited = w["edited"] % {"when": esc(naturaltime(_local(post.edited_at)))}
        signature.append(f'<span class="muted small">{edited}</span>\n')
    created = _local(post.created_at)
    when = {"iso": esc(isotime(created)), "when": esc(naturaltime(created))}
    asked = w["asked" if question else "answered"] % when
    author = post.author
    signature.append(
        f'<span class="muted small"><a class="permalink" href="{esc(url)}">{asked}</a></span>\n'
        f'<a class="signature__user" href="{esc(author.get_absolute_url())}">'
        f"{avatar_svg(author, 24)} {esc(author.shown_name)}</a>\n"
        f'<span class="rep" title="{w["reputation"]}">{author.reputation}</span>\n'
        "</div>"
    )
    comments = []
    for comment in post.visible_comments:
        created = _local(comment.created_at)
        comments.append(
            f'<span class="comment__body">{comment.body_html}</span>\n'
            f'– <a class="comment__author" href="{esc(comment.author.get_absolute_url())}">'
            f"{esc(comment.author.username)}</a>\n"
            f'<time class="muted" datetime="{esc(isotime(created))}">'
            f"{esc(naturaltime(created))}</time>"
        )
    return {
        "head": "".join(head),
        "share": share,
        "signature": "".join(signature),
        "comments": comments,
    }
