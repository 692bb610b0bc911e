"""The revisions page: bounded diffs, computed once per revision, long histories paged."""

import re

import pytest

from questions import services
from revisions import diffs, history
from revisions.services import edit_post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BODY = "Why do programmers mix up Halloween and Christmas? Because Oct 31 equals Dec 25."


def ask(body=BODY, **kwargs):
    return services.ask_question(
        author=kwargs.pop("author", None) or UserFactory(),
        title="How do I stop my jokes from falling flat?",
        body=body,
        tags=["humour"],
        **kwargs,
    )


def edit(question, body):
    return edit_post(
        editor=question.author,
        post=question,
        body=body,
        title=question.title,
        tags=question.tag_names(),
        category=question.category,
    )


def test_long_body_edited_once_shows_only_the_change_and_its_context(client):
    """4,000 one-character lines, one changed: the diff shows that line with a little context,
    not 4,000 lines (ndiff showed every line and took seconds)."""
    body = "\n".join("x" if i % 2 else "y" for i in range(4000))
    question = ask(body=body)
    edit(question, body.replace("y", "z", 1))
    response = client.get(f"/questions/{question.pk}/revisions/")
    html = response.content.decode()
    newest = html.split('id="revision-2"')[1].split("</li>")[0]
    removed, added = (
        '<span class="visually-hidden">removed: </span>',
        '<span class="visually-hidden">added: </span>',
    )  # visually hidden, for screen readers
    assert f"{removed}<del>y</del>{added}<ins>z</ins>" in newest  # inline, for phones
    assert f'<div class="wdiff__old">{removed}<del>y</del></div>' in newest  # side by side
    assert f'<div class="wdiff__new">{added}<ins>z</ins></div>' in newest
    assert newest.count("wdiff__row--same") <= diffs.CONTEXT
    assert "3,996 unchanged lines" in newest


def test_diff_is_computed_once_per_revision(client, monkeypatch):
    question = ask()
    edit(question, BODY + "\nAnd a second line, for the edit.")
    calls = []
    real = history.word_diff
    monkeypatch.setattr(history, "word_diff", lambda *a: calls.append(a) or real(*a))
    first = client.get(f"/questions/{question.pk}/revisions/").content.decode()
    second = client.get(f"/questions/{question.pk}/revisions/").content.decode()
    assert len(calls) == 2  # revisions 1 and 2, on the first view only
    assert "<ins>And a second line, for the edit.</ins>" in first
    assert "<ins>And a second line, for the edit.</ins>" in second


def test_long_history_is_paged_newest_first(client):
    question = ask()
    for n in range(2, 26):
        edit(question, f"{BODY}\nEdit number {n}.")
    first = client.get(f"/questions/{question.pk}/revisions/").content.decode()
    third = client.get(f"/questions/{question.pk}/revisions/?page=3").content.decode()
    numbers = [int(n) for n in re.findall(r'id="revision-(\d+)"', first)]
    assert numbers == list(range(25, 15, -1))
    assert [int(n) for n in re.findall(r'id="revision-(\d+)"', third)] == [5, 4, 3, 2, 1]
    assert 'rel="next"' in first
    # The oldest revision on page 3 is diffed against the one before it (on no page shown).
    rev2 = third.split('id="revision-2"')[1].split("</li>")[0]
    assert "<ins>Edit number 2.</ins>" in rev2


@pytest.mark.parametrize("edits", [3, 30])
def test_revisions_page_query_count_is_flat(client, django_assert_max_num_queries, edits):
    question = ask()
    for n in range(edits):
        edit(question, f"{BODY}\nEdit number {n}.")
    with django_assert_max_num_queries(8):
        response = client.get(f"/questions/{question.pk}/revisions/")
    assert response.status_code == 200


def test_rollback_is_offered_on_every_revision_of_later_pages(client):
    question = ask()
    for n in range(2, 13):
        edit(question, f"{BODY}\nEdit number {n}.")
    client.force_login(question.author)
    first = client.get(f"/questions/{question.pk}/revisions/").content.decode()
    second = client.get(f"/questions/{question.pk}/revisions/?page=2").content.decode()
    assert "rollback" not in first.split('id="revision-12"')[1].split("</li>")[0]
    assert "rollback" in first.split('id="revision-11"')[1].split("</li>")[0]
    assert "rollback" in second.split('id="revision-2"')[1].split("</li>")[0]
