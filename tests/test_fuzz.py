"""Hypothesis over every form and query parameter a person controls: random text, huge input,
NUL, invalid UTF-8 (raw bytes, percent-encoded into the body or the query string), invisible
and right-to-left characters, and bad ids. Whatever arrives, the site never answers 500, and a
POST it refuses (a 4xx: the site's refusals say why with a 400, 403, 404 or 429) saves
nothing, and a preview or a similar-questions check never saves.

Each form is sent by a role allowed to use it, every field either valid or drawn from the nasty
values, so a refusal is the input's doing. Each example runs in a savepoint rolled back
afterwards. The "ci" profile (tests/conftest.py) runs a fixed number of examples, derandomized,
so CI is reproducible; `HYPOTHESIS_PROFILE=deep` runs many more by hand.
"""

from functools import cached_property
from urllib.parse import quote_from_bytes

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from notifications.models import EmailPreferences
from tests.test_url_matrix import BODY, World, changed, snapshot

pytestmark = pytest.mark.django_db

HUGE = 120_000  # characters: past every length limit, under Django's 2.5 MB body limit
BAD_IDS = [
    "", " ", "0", "-1", "1.5", "1e9", "0x10", "NaN", "inf", "٣", "１", "[]", "{}", "null",
    "99999999999999999999", "-99999999999999999999", "9" * 400, "1 OR 1=1", "../1",
]  # fmt: skip
ODD_TEXT = [
    "\x00", "a\x00b", "\u200b\u200b\u200b", "\u202eevil title\u202c", "\ufeff", "\r\n\r\n",
    "<script>alert(1)</script>", "' OR '1'='1", "%00", "%s%s%s", "{{ 7*7 }}", "\\", "🙂" * 50,
    "\ud7ff\ue000\uffff", "\U0010ffff", "a" * 70,
]  # fmt: skip

# A value as bytes on the wire: str values are sent as UTF-8, bytes as they are (so mostly
# invalid UTF-8).
NASTY = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),
    st.sampled_from(BAD_IDS + ODD_TEXT),
    st.tuples(st.characters(), st.integers(min_value=1, max_value=HUGE)).map(
        lambda pair: pair[0] * pair[1]
    ),
    st.text(max_size=50).map(lambda text: text + "\x00" + text),
)


def value(valid):
    """The valid value of a field, or a nasty one."""
    return st.one_of(st.just(valid), NASTY)


def wire(raw) -> str:
    return quote_from_bytes(raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass"))


def encode(fields: dict) -> str:
    return "&".join(f"{wire(key)}={wire(raw)}" for key, raw in fields.items())


def fields_strategy(valid: dict):
    """Every field valid or nasty, sometimes missing, plus sometimes a field nobody reads."""
    named = {
        key: st.one_of(value(raw), st.none()) if raw is not None else st.none()
        for key, raw in valid.items()
    }
    return st.tuples(
        st.fixed_dictionaries(named),
        st.one_of(st.none(), st.tuples(NASTY, NASTY)),
    ).map(_merge)


def _merge(drawn):
    fields, extra = drawn
    fields = {key: raw for key, raw in fields.items() if raw is not None}
    if extra is not None:
        fields.setdefault(extra[0], extra[1])
    return fields


TEXT = {"title": "A title long enough for the form to accept it", "body": BODY}
# name -> (role, path from the world, valid fields). The role may use the form; the fields are
# every field the view reads.
POST_FORMS = {
    "ask": ("other", lambda w: "/questions/ask/", {**TEXT, "tags": "safety", "category": "1"}),
    "ask preview": (
        "other",
        lambda w: "/questions/ask/",
        {**TEXT, "tags": "safety", "preview": "1"},
    ),
    "ask similar check": (
        "other",
        lambda w: "/questions/ask/",
        {**TEXT, "tags": "safety", "check_similar": "1"},
    ),
    "answer": ("other", lambda w: f"/questions/{w.question.pk}/answer/", {"body": BODY}),
    "edit question": (
        "author",
        lambda w: f"/questions/{w.question.pk}/edit/",
        {**TEXT, "tags": "safety", "summary": "typo", "category": "1"},
    ),
    "edit answer": (
        "answerer",
        lambda w: f"/answers/{w.answer.pk}/edit/",
        {"body": BODY, "summary": "typo", "preview": None},
    ),
    "suggest edit": (
        "member",
        lambda w: f"/questions/{w.question.pk}/edit/",
        {**TEXT, "tags": "safety", "summary": "typo"},
    ),
    "comment": ("other", lambda w: f"/questions/{w.question.pk}/comment/", {"body": BODY}),
    "comment on answer": ("other", lambda w: f"/answers/{w.answer.pk}/comment/", {"body": BODY}),
    "vote": ("other", lambda w: f"/questions/{w.question.pk}/vote/", {"value": "1"}),
    "vote on answer": ("other", lambda w: f"/answers/{w.answer.pk}/vote/", {"value": "-1"}),
    "flag": (
        "other",
        lambda w: f"/questions/{w.question.pk}/flag/",
        {"reason": "other", "details": "Details for the flag, long enough."},
    ),
    "flag comment": (
        "author",
        lambda w: f"/comments/{w.comment.pk}/flag/",
        {"reason": "spam", "details": None},
    ),
    "close": (
        "moderator",
        lambda w: f"/questions/{w.question.pk}/close/",
        {"reason": "duplicate", "duplicate_of": "1", "note": "a note"},
    ),
    "close vote": (
        "other",
        lambda w: f"/questions/{w.question.pk}/close-vote/",
        {"reason": "off-topic", "duplicate_of": "1", "retract": None},
    ),
    "reopen vote": (
        "other",
        lambda w: f"/questions/{w.closed_question.pk}/reopen-vote/",
        {"retract": "1"},
    ),
    "accept": ("author", lambda w: f"/answers/{w.answer.pk}/accept/", {}),
    "retag": ("other", lambda w: f"/questions/{w.question.pk}/retag/", {"tags": "safety jokes"}),
    "review decision": (
        "other",
        lambda w: f"/review/first-posts/question/{w.question.pk}/",
        {"decision": "looks-ok", "reason": "fine"},
    ),
    "reject suggestion": (
        "other",
        lambda w: f"/suggested-edits/{w.suggestion.pk}/reject/",
        {"reason": "not an improvement"},
    ),
    "follow": ("other", lambda w: f"/questions/{w.question.pk}/follow/", {"follow": "1"}),
    "follow tag": ("other", lambda w: "/tags/safety/follow/", {"follow": "0"}),
    "mark read": ("author", lambda w: "/inbox/read/", {"ids": "1", "page": "1"}),
    "email settings": (
        "author",
        lambda w: "/settings/notifications/",
        {"answer": "on", "comment": "on", "following": "on", "language": "zh-hans"},
    ),
    "unsubscribe": (
        "anonymous",
        lambda w: f"/notifications/unsubscribe/{w.unsubscribe_token}/",
        {"List-Unsubscribe": "One-Click"},
    ),
    "profile": (
        "other",
        lambda w: "/settings/profile/",
        {"display_name": "A name", "about": "About me", "avatar_style": "initial", "theme": "dark"},
    ),
    "theme": ("other", lambda w: "/settings/theme/", {"theme": "dark", "next": "/"}),
    "language": ("anonymous", lambda w: "/i18n/setlang/", {"language": "zh-hans", "next": "/"}),
    "similar": ("other", lambda w: "/questions/similar/", {"title": "safety first"}),
    "signup": (
        "anonymous",
        lambda w: "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "a long pass phrase",
            "password2": "a long pass phrase",
        },
    ),
    "login": (
        "anonymous",
        lambda w: "/accounts/login/",
        {"login": "newcomer", "password": "a long pass phrase"},
    ),
    "password reset": (
        "anonymous",
        lambda w: "/accounts/password/reset/",
        {"email": "newcomer@example.com"},
    ),
}

# Forms that never save, whatever they answer.
SAVE_NOTHING = {"ask preview", "ask similar check", "similar"}

# name -> (role, path from the world, the query parameters the view reads, valid values).
GET_PAGES = {
    "home": ("anonymous", lambda w: "/", {"sort": "newest", "page": "1"}),
    "questions": ("anonymous", lambda w: "/questions/", {"sort": "votes", "page": "2"}),
    "thread": (
        "anonymous",
        lambda w: w.question.get_absolute_url(),
        {"answers": "oldest", "page": "1"},
    ),
    "thread short": ("anonymous", lambda w: f"/questions/{w.question.pk}/", {"answers": "newest"}),
    "search": (
        "anonymous",
        lambda w: "/search/",
        {"q": '[safety] "a phrase" -not user:1 is:question', "sort": "newest", "page": "1"},
    ),
    "tags": ("anonymous", lambda w: "/tags/", {"sort": "name", "q": "saf", "page": "1"}),
    "tag": ("anonymous", lambda w: "/tags/safety/", {"sort": "votes", "page": "1"}),
    "category": (
        "anonymous",
        lambda w: f"/categories/{w.category.slug}/",
        {"sort": "active", "page": "1"},
    ),
    "similar": ("anonymous", lambda w: "/questions/similar/", {"title": "safety"}),
    "revisions": (
        "anonymous",
        lambda w: f"/questions/{w.question.pk}/revisions/",
        {"page": "1"},
    ),
    "profile": ("anonymous", lambda w: f"/users/{w.author.username}/", {"tab": "answers"}),
    "inbox": ("author", lambda w: "/inbox/", {"page": "1"}),
    "review": ("other", lambda w: "/review/", {"queue": "first-posts"}),
    "review history": (
        "moderator",
        lambda w: "/review/history/",
        {"member": "nobody", "page": "1"},
    ),
    "api questions": ("anonymous", lambda w: "/api/v1/questions/", {"sort": "votes", "page": "1"}),
    "api question": (
        "anonymous",
        lambda w: f"/api/v1/questions/{w.question.pk}/",
        {"answers": "oldest"},
    ),
    "api tags": ("anonymous", lambda w: "/api/v1/tags/", {"sort": "name", "q": "s", "page": "1"}),
    "unsubscribe": (
        "anonymous",
        lambda w: f"/notifications/unsubscribe/{w.unsubscribe_token}/",
        {"kind": "all"},
    ),
}

# Paths with a name or a number in them, and what the fuzzed segment replaces.
PATH_SEGMENTS = [
    "/questions/{}/",
    "/questions/{}/answer/",
    "/questions/{}/revisions/",
    "/answers/{}/vote/",
    "/answers/{}/accept/",
    "/comments/{}/flag/",
    "/users/{}/",
    "/tags/{}/",
    "/categories/{}/",
    "/feeds/tags/{}/",
    "/feeds/questions/{}/",
    "/api/v1/questions/{}/",
    "/api/v1/users/{}/",
    "/notifications/unsubscribe/{}/",
    "/review/first-posts/question/{}/",
    "/suggested-edits/{}/approve/",
]
SEGMENTS = st.one_of(
    st.integers(min_value=0, max_value=2**80).map(str),
    st.sampled_from(BAD_IDS + ODD_TEXT),
    st.text(min_size=1, max_size=200),
    st.binary(min_size=1, max_size=100),
)


class FuzzWorld(World):
    @cached_property
    def snapshot(self) -> dict:
        """The rows before any example: each example's writes are rolled back."""
        return snapshot()


@pytest.fixture
def world():
    return FuzzWorld()


def as_role(client, world, role):
    client.logout()
    if role != "anonymous":
        client.force_login(getattr(world, role))


@pytest.mark.parametrize("name", sorted(POST_FORMS))
@given(data=st.data())
def test_a_post_form_never_fails_and_a_refusal_saves_nothing(client, world, name, data):
    role, path_of, valid = POST_FORMS[name]
    fields = data.draw(fields_strategy(valid), label="fields")
    with transaction.atomic():
        as_role(client, world, role)
        before = world.snapshot  # every example starts from the same rows (rolled back)
        response = client.post(
            path_of(world), encode(fields), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code < 500, (name, fields)
        if response.status_code >= 400 or name in SAVE_NOTHING:
            assert changed(before, snapshot()) == [], (name, response.status_code, fields)
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(GET_PAGES))
@given(data=st.data())
def test_a_query_parameter_never_fails(client, world, name, data):
    role, path_of, valid = GET_PAGES[name]
    fields = data.draw(fields_strategy(valid), label="query")
    with transaction.atomic():
        as_role(client, world, role)
        response = client.get(f"{path_of(world)}?{encode(fields)}")
        assert response.status_code < 500, (name, fields)
        transaction.set_rollback(True)


@given(template=st.sampled_from(PATH_SEGMENTS), segment=SEGMENTS)
def test_a_bad_id_or_name_in_the_path_never_fails(client, world, template, segment):
    with transaction.atomic():
        as_role(client, world, "other")
        path = template.format(wire(segment))
        for send in (client.get, client.post):
            response = send(path)
            assert response.status_code < 500, (path, response.status_code)
        transaction.set_rollback(True)


# What the examples above found, pinned so they fail at once if they come back.


def test_a_theme_choice_with_a_next_that_is_no_url_goes_nowhere_odd(client, world):
    """`next` was handed to redirect(), which reads a bare word as a view name: a 500."""
    client.force_login(world.other)
    response = client.post("/settings/theme/", {"theme": "dark", "next": "!"})
    assert response.status_code == 302


def test_email_settings_write_nothing_on_get_or_a_refused_post(client, world):
    """The page created the member's preferences row on every GET and refused POST."""
    client.force_login(world.other)
    EmailPreferences.objects.filter(user=world.other).delete()
    assert client.get("/settings/notifications/").status_code == 200
    assert client.post("/settings/notifications/", {"language": "xx"}).status_code == 400
    assert not EmailPreferences.objects.filter(user=world.other).exists()
    response = client.post("/settings/notifications/", {"answer": "on", "language": "zh-hans"})
    assert response.status_code == 302
    saved = EmailPreferences.objects.get(user=world.other)
    assert saved.answer and not saved.comment and saved.language == "zh-hans"


def test_a_login_name_longer_than_any_account_is_a_form_error(client, world):
    """SQLite refused the 120,000 character case-insensitive lookup: a 500."""
    response = client.post("/accounts/login/", {"login": "a" * HUGE, "password": "x"})
    assert response.status_code in (200, 400)
    assert "254" in response.content.decode()
