"""Every URL pattern x every role x GET and POST, from one table: nothing answers 500, and a
POST from a role without the right to it changes nothing in the database.

Roles: anonymous; member (a new account with 1 reputation); author (of the post the URL
names); other (an established member with 5,000 reputation, not the author); suspended (the
same, suspended); moderator. Each request runs in a savepoint rolled back afterwards, so every
role meets the same world. POSTs carry every field any form reads, valid, so a refusal is the
rules' doing, not the form's.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from answers.services import post_answer
from comments.services import add_comment
from moderation import services as moderation
from notifications.emails import unsubscribe_token
from questions import services
from revisions.services import edit_post, suggest_edit
from tests.factories import CategoryFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "author", "other", "suspended", "moderator"]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
WRITERS = {"member", "author", "other", "moderator"}  # who may write at all

BODY = "A body long enough for every form: thirty characters and then some more."
POST_DATA = {
    "title": "A title long enough for the form to accept it",
    "body": BODY,
    "tags": "safety",
    "summary": "an edit",
    "value": "1",
    "reason": "off-topic",
    "details": "Details for the flag, long enough.",
    "note": "a note",
    "follow": "1",
    "language": "en",
    "next": "/",
}
FLAG_DATA = {**POST_DATA, "reason": "spam"}

# url name -> (path from the world, who may change something with a POST, post data).
# "Who may" lists every role whose POST is allowed to change the database; for every other
# role the test checks that nothing changed. Roles in the set may still be refused (a rule
# this table does not model); the test only requires that they get no 500.
TABLE = {
    "home": (lambda w: "/", set(), None),
    "questions:list": (lambda w: "/questions/", set(), None),
    "questions:ask": (lambda w: "/questions/ask/", WRITERS, None),
    "questions:similar": (lambda w: "/questions/similar/?title=safety", set(), None),
    "questions:preview": (lambda w: "/questions/preview/", set(), None),
    "questions:detail_short": (lambda w: f"/questions/{w.question.pk}/", set(), None),
    "questions:detail": (lambda w: w.question.get_absolute_url(), set(), None),
    "questions:vote": (lambda w: f"/questions/{w.question.pk}/vote/", {"other", "moderator"}, None),
    "questions:comment": (
        lambda w: f"/questions/{w.question.pk}/comment/",
        {"author", "other", "moderator"},
        None,
    ),
    # A member without the edit privilege suggests the edit (contract v1.3): a SuggestedEdit row.
    "questions:edit": (
        lambda w: f"/questions/{w.question.pk}/edit/",
        {"member", "author", "other", "moderator"},
        None,
    ),
    "questions:delete": (
        lambda w: f"/questions/{w.question.pk}/delete/",
        {"author", "moderator"},
        None,
    ),
    "questions:flag": (
        lambda w: f"/questions/{w.question.pk}/flag/",
        {"other", "moderator"},
        FLAG_DATA,
    ),
    "questions:revisions": (lambda w: f"/questions/{w.question.pk}/revisions/", set(), None),
    "questions:rollback": (
        lambda w: f"/questions/{w.question.pk}/revisions/1/rollback/",
        {"author", "moderator"},
        None,
    ),
    "questions:undelete": (
        lambda w: f"/questions/{w.deleted_question.pk}/undelete/",
        {"moderator"},
        None,
    ),
    "questions:lock": (lambda w: f"/questions/{w.question.pk}/lock/", {"moderator"}, None),
    "questions:unlock": (
        lambda w: f"/questions/{w.locked_question.pk}/unlock/",
        {"moderator"},
        None,
    ),
    "questions:close": (lambda w: f"/questions/{w.question.pk}/close/", {"moderator"}, None),
    "questions:reopen": (
        lambda w: f"/questions/{w.closed_question.pk}/reopen/",
        {"moderator"},
        None,
    ),
    "questions:close_vote": (
        lambda w: f"/questions/{w.question.pk}/close-vote/",
        {"other", "moderator"},
        None,
    ),
    "questions:reopen_vote": (
        lambda w: f"/questions/{w.closed_question.pk}/reopen-vote/",
        {"other", "moderator"},
        None,
    ),
    "questions:retag": (
        lambda w: f"/questions/{w.question.pk}/retag/",
        {"author", "other", "moderator"},
        {"tags": "safety jokes"},
    ),
    "questions:comment_flag": (
        lambda w: f"/comments/{w.comment.pk}/flag/",
        {"other", "moderator", "author"},
        FLAG_DATA,
    ),
    "questions:tags": (lambda w: "/tags/", set(), None),
    "questions:tag": (lambda w: "/tags/safety/", set(), None),
    "questions:categories": (lambda w: "/categories/", set(), None),
    "questions:category": (lambda w: f"/categories/{w.category.slug}/", set(), None),
    "questions:search": (lambda w: "/search/?q=safety", set(), None),
    "questions:review": (lambda w: "/review/", set(), None),
    "questions:review_history": (lambda w: "/review/history/", set(), None),
    # Reviewers: the review privilege ("other" has the reputation) and moderators.
    "questions:review_decide": (
        lambda w: f"/review/first-posts/question/{w.question.pk}/",
        {"other", "moderator"},
        {"decision": "looks-ok"},
    ),
    # Deciders of a suggestion on the answer: the privilege to edit others' posts, moderators.
    "questions:approve_suggestion": (
        lambda w: f"/suggested-edits/{w.suggestion.pk}/approve/",
        {"other", "moderator"},
        None,
    ),
    # Improvers: whoever may decide the suggestion and edit the answer (its author too).
    "questions:improve_suggestion": (
        lambda w: f"/suggested-edits/{w.suggestion.pk}/improve/",
        {"author", "other", "moderator"},
        {"body": f"{BODY} Improved by a reviewer.", "summary": "improved"},
    ),
    "questions:reject_suggestion": (
        lambda w: f"/suggested-edits/{w.suggestion.pk}/reject/",
        {"other", "moderator"},
        {"reason": "not an improvement"},
    ),
    "answers:post": (
        lambda w: f"/questions/{w.question.pk}/answer/",
        {"member", "author", "other", "moderator"},
        None,
    ),
    "answers:accept": (lambda w: f"/answers/{w.answer.pk}/accept/", {"question_author"}, None),
    "answers:vote": (lambda w: f"/answers/{w.answer.pk}/vote/", {"other", "moderator"}, None),
    "answers:comment": (
        lambda w: f"/answers/{w.answer.pk}/comment/",
        {"author", "other", "moderator", "question_author"},
        None,
    ),
    "answers:edit": (
        lambda w: f"/answers/{w.answer.pk}/edit/",
        {"member", "author", "other", "moderator"},
        None,
    ),
    "answers:delete": (lambda w: f"/answers/{w.answer.pk}/delete/", {"author", "moderator"}, None),
    "answers:flag": (lambda w: f"/answers/{w.answer.pk}/flag/", {"other", "moderator"}, FLAG_DATA),
    "answers:revisions": (lambda w: f"/answers/{w.answer.pk}/revisions/", set(), None),
    "answers:rollback": (
        lambda w: f"/answers/{w.answer.pk}/revisions/1/rollback/",
        {"author", "moderator"},
        None,
    ),
    "answers:undelete": (
        lambda w: f"/answers/{w.deleted_answer.pk}/undelete/",
        {"moderator"},
        None,
    ),
    "answers:lock": (lambda w: f"/answers/{w.answer.pk}/lock/", {"moderator"}, None),
    "answers:unlock": (lambda w: f"/answers/{w.locked_answer.pk}/unlock/", {"moderator"}, None),
    "notifications:inbox": (lambda w: "/inbox/", set(), None),
    "notifications:mark_all_read": (lambda w: "/inbox/read/", SIGNED_IN, None),
    "notifications:follow": (
        lambda w: f"/questions/{w.question.pk}/follow/",
        WRITERS,
        {"follow": "1"},
    ),
    "notifications:follow_tag": (lambda w: "/tags/safety/follow/", WRITERS, {"follow": "1"}),
    "notifications:settings": (lambda w: "/settings/notifications/", SIGNED_IN, None),
    # The signed token is the credential: whoever holds it may turn that member's mail off.
    "notifications:unsubscribe": (
        lambda w: f"/notifications/unsubscribe/{w.unsubscribe_token}/",
        EVERYONE,
        None,
    ),
    "accounts:profile": (lambda w: f"/users/{w.author.username}/", set(), None),
    "accounts:privileges": (lambda w: "/help/privileges/", set(), None),
    "set_language": (lambda w: "/i18n/setlang/", SIGNED_IN, None),
    "api:openapi": (lambda w: "/api/v1/openapi.json", set(), None),
    "api:questions": (lambda w: "/api/v1/questions/", set(), None),
    "api:question": (lambda w: f"/api/v1/questions/{w.question.pk}/", set(), None),
    "api:tags": (lambda w: "/api/v1/tags/", set(), None),
    "api:user": (lambda w: f"/api/v1/users/{w.author.username}/", set(), None),
    "feed_questions": (lambda w: "/feeds/questions/", set(), None),
    "feed_question_answers": (lambda w: f"/feeds/questions/{w.question.pk}/", set(), None),
    "feed_tag": (lambda w: "/feeds/tags/safety/", set(), None),
    "feed_category": (lambda w: f"/feeds/categories/{w.category.slug}/", set(), None),
    "sitemap": (lambda w: "/sitemap.xml", set(), None),
    "sitemap_section": (lambda w: "/sitemap-questions.xml", set(), None),
    "robots_txt": (lambda w: "/robots.txt", set(), None),
    "healthz": (lambda w: "/healthz", set(), None),
    "favicon": (lambda w: "/favicon.ico", set(), None),
    # One's own profile and colours: any signed-in member, suspended or not (no post is written).
    "accounts:edit_profile": (
        lambda w: "/settings/profile/",
        SIGNED_IN,
        {"display_name": "A name", "about": "About me", "avatar_style": "initial"},
    ),
    "accounts:set_theme": (lambda w: "/settings/theme/", SIGNED_IN, {"theme": "dark"}),
}


def _named_patterns(patterns, namespace=None):
    """(name, pattern) of the site's own URLs: allauth and the admin are covered by their
    projects' tests and by tests/test_site.py."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin" or "allauth" in str(pattern.urlconf_name):
                continue
            yield from _named_patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def test_the_table_covers_every_url_pattern():
    names = {name for name, _ in _named_patterns(get_resolver().url_patterns)}
    assert names - set(TABLE) == set(), "add the new URL to TABLE"
    assert set(TABLE) - names == set(), "TABLE names a URL that is gone"


class World:
    """One of everything, with every role's account."""

    def __init__(self):
        old = timezone.now() - timedelta(days=60)
        self.category = CategoryFactory()
        self.author = UserFactory(date_joined=old, reputation=1)
        self.answerer = UserFactory(date_joined=old, reputation=1)
        self.member = UserFactory(reputation=1)
        self.other = UserFactory(date_joined=old, reputation=5000)
        self.suspended = UserFactory(date_joined=old, reputation=5000)
        self.moderator = ModeratorFactory(date_joined=old)
        moderation.suspend_user(
            moderator=self.moderator, user=self.suspended, days=7, reason="matrix"
        )

        def ask(title):
            return services.ask_question(
                author=self.author, title=title, body=BODY, tags=["safety"], category=self.category
            )

        self.question = ask("The question every URL of the matrix is about")
        edit_post(
            editor=self.author,
            post=self.question,
            body=BODY + " Edited.",
            title=self.question.title,
            tags=["safety"],
            category=self.category,
        )
        self.answer = post_answer(author=self.answerer, question=self.question, body=BODY)
        edit_post(editor=self.answerer, post=self.answer, body=BODY + " Edited.")
        self.comment = add_comment(
            author=self.other, post=self.question, body="A comment on the question, long."
        )
        self.deleted_question = ask("A question its author deleted from the site")
        moderation.delete_post(actor=self.author, post=self.deleted_question)
        other_question = ask("A question with a deleted and a locked answer")
        self.deleted_answer = post_answer(author=self.answerer, question=other_question, body=BODY)
        moderation.delete_post(actor=self.answerer, post=self.deleted_answer)
        self.locked_answer = post_answer(author=self.answerer, question=other_question, body=BODY)
        moderation.set_locked(moderator=self.moderator, post=self.locked_answer, locked=True)
        self.locked_question = ask("A question a moderator has locked for now")
        moderation.set_locked(moderator=self.moderator, post=self.locked_question, locked=True)
        self.closed_question = ask("A question a moderator closed as off-topic")
        moderation.close_question(
            moderator=self.moderator,
            question=self.closed_question,
            reason="off-topic",
            duplicate_of=None,
            note="",
        )
        self.unsubscribe_token = unsubscribe_token(self.author.pk, "all")
        self.suggestion = suggest_edit(
            suggester=self.member, post=self.answer, body=BODY + " A suggested improvement."
        )

    def user(self, role: str, name: str):
        if role == "anonymous":
            return None
        if role == "author":
            return self.answerer if name.startswith("answers:") else self.author
        if role == "question_author":
            return self.author
        return getattr(self, role)


def snapshot() -> dict[str, list]:
    """Every row of the site's own tables (sessions, the task queue and the cache aside)."""
    tables = {}
    for model in apps.get_models():
        if model._meta.app_label in ("sessions", "django_tasks_db", "admin", "contenttypes"):
            continue
        if not model._meta.managed:  # the SQLite full-text table mirrors SearchEntry
            continue
        rows = model.objects.order_by("pk").values()
        ignore = {"last_login"}  # force_login sets it
        tables[model._meta.label] = [
            {k: v for k, v in row.items() if k not in ignore} for row in rows
        ]
    return tables


def changed(before, after) -> list[str]:
    return [label for label in before if before[label] != after[label]]


@pytest.mark.parametrize("name", sorted(TABLE))
def test_url_for_every_role_and_method(client, name):
    world = World()
    path_of, may_change, data = TABLE[name]
    path = path_of(world)
    roles = ROLES + (["question_author"] if "question_author" in may_change else [])
    problems = []
    for role in roles:
        for method in ("get", "head", "post"):
            with transaction.atomic():
                client.logout()
                if (user := world.user(role, name)) is not None:
                    client.force_login(user)
                before = snapshot() if method == "post" else None
                send = getattr(client, method)
                response = send(path, data or POST_DATA) if method == "post" else send(path)
                if response.status_code >= 500:
                    problems.append(f"{role} {method.upper()} {path}: {response.status_code}")
                guarded = method == "post" and role not in may_change
                if guarded and (diff := changed(before, snapshot())):
                    problems.append(f"{role} POST {path} changed {diff}")
                transaction.set_rollback(True)
    assert problems == []
