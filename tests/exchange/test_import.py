"""import_stackexchange on small dumps written in the documented format."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from answers.models import Answer
from comments.models import Comment
from exchange.importer import Importer, make_slug
from exchange.models import ImportedKind, ImportedRow
from questions.models import CloseReason, Question, Tag
from revisions.models import Revision
from search.models import SearchEntry
from tests.factories import QuestionFactory
from votes.models import ReputationEvent, Vote

from .dumps import CODE, USERS, write_dump, write_posts, write_table

User = get_user_model()


def run_import(folder, *args) -> str:
    out = StringIO()
    call_command("import_stackexchange", str(folder), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def dump(tmp_path):
    return write_dump(tmp_path / "cooking.example")


@pytest.fixture
def imported(db, dump):
    return run_import(dump)


def table_counts() -> dict:
    models = (User, Question, Answer, Comment, Vote, Tag, Revision, ReputationEvent, SearchEntry)
    return {model.__name__: model.objects.count() for model in models}


def test_posts_alone_make_threads_owned_by_the_community_account(db, tmp_path):
    write_posts(tmp_path)
    run_import(tmp_path)
    question = Question.objects.get(pk=1)
    assert question.title == "How do I reverse a list in Python?"
    assert question.author.username == "Community"
    assert not question.author.has_usable_password()
    assert sorted(question.tag_names()) == ["net", "python"]
    assert question.answers.get(is_accepted=True).pk == 3
    assert question.score == 5  # no Votes.xml: the dump's Score is the score


def test_members_keep_display_names_and_cannot_log_in(imported, client):
    jane = User.objects.get(first_name="Jane Doe")
    assert jane.username == "Jane_Doe"
    assert jane.email == "jane@example.com"
    assert jane.about == "I write Python."
    assert not jane.has_usable_password()
    assert User.objects.get(first_name="李雷").username == "李雷"
    community = User.objects.get(username="Community")
    assert ImportedRow.objects.get(kind=ImportedKind.USER, old_id=-1).new_id == community.pk
    assert not client.login(username="Jane_Doe", password="")
    assert Question.objects.get(pk=1).author == jane


def test_member_claims_an_account_through_password_reset(imported, client):
    response = client.post("/accounts/password/reset/", {"email": "jane@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jane@example.com"]
    link = next(word for word in mail.outbox[0].body.split() if "/password/reset/key/" in word)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    password = "a-new-Secret-42"
    response = client.post(form_url, {"password1": password, "password2": password})
    assert response.status_code == 302
    assert client.login(username="Jane_Doe", password=password)


def test_ids_scores_accepted_answer_and_counts_are_the_dumps(imported):
    question = Question.objects.get(pk=1)
    assert question.slug == make_slug(question.title)
    assert question.score == 5
    assert question.answer_count == 2
    assert question.comment_count == 1
    assert str(question.created_at) == "2010-07-22 10:00:00+00:00"
    assert str(question.last_activity_at) == "2010-07-23 10:00:00+00:00"
    accepted = Answer.objects.get(pk=3)
    assert accepted.is_accepted and accepted.score == 7 and accepted.comment_count == 1
    assert not Answer.objects.get(pk=2).is_accepted
    assert Revision.objects.get(question=question, number=1).body == question.body


def test_html_bodies_are_sanitized_and_keep_code_links_and_images(imported):
    question = Question.objects.get(pk=1)
    assert "<pre><code>items = [1, 2, 3]\nitems.reverse()  # &lt;- in place\n</code></pre>" in (
        question.body_html
    )
    assert '<a href="https://docs.python.org/" rel="nofollow ugc noopener noreferrer">' in (
        question.body_html
    )
    assert '<img src="https://i.stack.imgur.com/abc.png" alt="a chart">' in question.body_html
    # `body` is Markdown an edit starts from, and renders to the same elements.
    assert "```\nitems = [1, 2, 3]" in question.body
    assert "[the docs](https://docs.python.org/)" in question.body
    hostile = Answer.objects.get(pk=2)
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "alert("):
        assert bad not in hostile.body_html
    assert "Reverse it in place." in hostile.body_html


def test_markdown_source_from_post_history_is_kept(imported):
    answer = Answer.objects.get(pk=3)
    assert answer.body == "Use `reversed()` for a new iterator."
    assert answer.body_html == "<p>Use <code>reversed()</code> for a new iterator.</p>"


def test_threads_render_in_english_and_chinese(imported, client):
    response = client.get("/questions/1/how-do-i-reverse-a-list-in-python/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="answer-3"' in html and "accepted" in html
    assert "<script>alert" not in html
    assert "Have you tried <code>reversed</code>? It is quick." in html
    response = client.get(Question.objects.get(pk=4).get_absolute_url())
    html = response.content.decode()
    assert "我想把一个列表反过来，应该怎么做？" in html
    assert Question.objects.get(pk=4).close_reason == CloseReason.OPINION_BASED


def test_imported_posts_are_found_by_search_in_both_languages(imported, client):
    english = client.get("/search/", {"q": "reversed iterator"}).content.decode()
    assert "#answer-3" in english
    chinese = client.get("/search/", {"q": "反转"}).content.decode()
    assert Question.objects.get(pk=4).get_absolute_url() in chinese
    listing = client.get("/questions/").content.decode()
    assert "How do I reverse a list in Python?" in listing
    assert "items.reverse()" not in listing or "<pre>" not in listing  # excerpts are text


def test_tags_get_their_wiki_excerpt_as_description(imported):
    assert Tag.objects.get(name="python").description == "Python is a programming language."
    assert Tag.objects.filter(name="中文").exists()
    assert Tag.objects.filter(name="net").exists()  # ".net" made a valid name


def test_duplicate_and_closed_state(imported, client):
    duplicate = Question.objects.get(pk=8)
    assert duplicate.duplicate_of_id == 1
    assert duplicate.close_reason == CloseReason.DUPLICATE
    assert duplicate.is_closed
    html = client.get(duplicate.get_absolute_url()).content.decode()
    assert "How do I reverse a list in Python?" in html


def test_answer_to_a_deleted_question_stays_hidden_with_it(imported, client):
    assert Question.objects.get(pk=6).is_deleted
    assert Answer.objects.get(pk=7).question_id == 6
    assert client.get(Question.objects.get(pk=6).get_absolute_url()).status_code == 404
    results = client.get("/search/", {"q": "Zanzibar"}).content.decode()
    assert "#answer-7" not in results


def test_broken_rows_are_reported_with_their_ids_and_skipped(imported):
    assert "skipped 1: its question (ParentId 99) is not in the dump (Id 5)" in imported
    assert "skipped 1: CreationDate is not a date (Id 9)" in imported
    assert "skipped 1: its post (PostId 999) is not in the dump (Id 3)" in imported
    assert "Posts.xml (answers): 5 rows read, 3 created" in imported
    assert not Answer.objects.filter(pk__in=[5, 9]).exists()
    assert Comment.objects.count() == 2


def test_votes_become_anonymous_votes_that_earn_reputation(imported):
    assert Vote.objects.filter(answer_id=3, value=1).count() == 7
    assert Vote.objects.filter(answer_id=2).count() == 4
    bob = User.objects.get(first_name="Bob")
    # 7 upvotes on his accepted answer: 70 + 15; Jane, the asker: 5 upvotes and accepting: 52.
    assert bob.reputation == 1 + 70 + 15
    assert User.objects.get(first_name="Jane Doe").reputation == 1 + 50 + 2
    # 李雷: 3 up and 1 down on the answer, 1 down on the question.
    assert User.objects.get(first_name="李雷").reputation == 1 + 30 - 2 - 2


def test_reputation_recount_finds_nothing_to_fix(imported):
    out = StringIO()
    call_command("recompute_reputation", "--dry-run", stdout=out, stderr=StringIO())
    assert "no drift" in out.getvalue()


def test_search_index_matches_a_rebuild(imported):
    def entries():
        fields = ("question_id", "answer_id", "body", "tags", "score", "is_accepted")
        rows = SearchEntry.objects.order_by("question_id", "answer_id")
        return list(rows.values_list(*fields, "answer_count", "is_visible", "created_at"))

    before = entries()
    call_command("rebuild_search", stdout=StringIO())
    assert entries() == before


def test_a_second_run_changes_nothing(dump, imported):
    before = table_counts()
    bodies = list(Question.objects.order_by("pk").values_list("pk", "body", "body_html", "score"))
    out = run_import(dump)
    assert table_counts() == before
    assert (
        list(Question.objects.order_by("pk").values_list("pk", "body", "body_html", "score"))
        == bodies
    )
    assert "Posts.xml: 5 rows read, 0 created, 4 already imported" in out
    assert "Nothing new" in out


def test_ids_taken_here_get_new_ones_and_old_links_redirect(db, tmp_path, client):
    native = QuestionFactory(pk=1)
    write_posts(tmp_path)
    run_import(tmp_path)
    moved = ImportedRow.objects.get(kind=ImportedKind.QUESTION, old_id=1).new_id
    assert moved != 1
    assert Question.objects.get(pk=moved).title == "How do I reverse a list in Python?"
    # /questions/1/ is the question that holds the id here; Stack Exchange's /q/1 is the old one.
    assert client.get("/questions/1/").url == native.get_absolute_url()
    response = client.get("/q/1")
    assert response.status_code == 301
    assert response.url == Question.objects.get(pk=moved).get_absolute_url()
    # Once the id is free again, /questions/1/... follows the post too.
    native.delete()
    response = client.get("/questions/1/how-do-i-reverse-a-list-in-python/")
    assert response.status_code == 301
    assert response.url == Question.objects.get(pk=moved).get_absolute_url()


def test_answer_links_redirect_to_the_answer(imported, client):
    answer = Answer.objects.get(pk=3)
    for old_link in ("/a/3", "/a/3/1", "/questions/1/how-do-i-reverse-a-list/3"):
        response = client.get(old_link)
        assert response.status_code == 301, old_link
        assert response.url == answer.get_absolute_url()
    assert client.get("/a/12345").status_code == 404
    assert client.get("/questions/6/").status_code == 404  # deleted: no redirect around it


def test_a_missing_folder_or_empty_dump_is_a_clear_error(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a folder"):
        run_import(tmp_path / "nope")
    with pytest.raises(CommandError, match="neither Posts.xml nor Users.xml"):
        run_import(tmp_path)


def test_truncated_file_keeps_rows_before_the_fault_and_goes_on(db, tmp_path):
    path = write_posts(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('<row Id="6"')] + '<row Id="6" Title="cut', "utf-8")
    write_table(tmp_path, "Comments.xml", "comments", [])
    out = run_import(tmp_path)
    assert "not well-formed XML" in out
    assert set(Question.objects.values_list("pk", flat=True)) == {1, 4}
    assert "Comments.xml: 0 rows read" in out


def test_rows_go_in_batches(db, tmp_path):
    posts = [
        {
            "Id": n,
            "PostTypeId": 1,
            "CreationDate": "2011-01-01T00:00:00.000",
            "Score": n,
            "Title": f"Question number {n} about batches",
            "Body": f"<p>Body {n}</p>{CODE}",
            "Tags": f"<t{n % 3}>",
        }
        for n in range(1, 26)
    ]
    write_posts(tmp_path, posts)
    report = Importer(tmp_path, site="batches", batch_size=4).run()
    assert report.files["Posts.xml"].created == 25
    assert Question.objects.count() == 25
    assert Tag.objects.count() == 3
    assert SearchEntry.objects.count() == 25


def test_an_import_stopped_before_finishing_finishes_on_the_next_run(db, dump, monkeypatch):
    finish = Importer._finish

    def crash(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(Importer, "_finish", crash)
    with pytest.raises(KeyboardInterrupt):
        run_import(dump)
    assert Question.objects.get(pk=1).answer_count == 0  # counted at the end, not reached
    monkeypatch.setattr(Importer, "_finish", finish)
    out = run_import(dump)
    assert "Counters and search index brought up to date" in out
    assert Question.objects.get(pk=1).answer_count == 2
    assert "Nothing new" in run_import(dump)


def test_without_votes_reputation_comes_from_the_accepted_answers(db, tmp_path):
    write_table(tmp_path, "Users.xml", "users", USERS)
    write_posts(tmp_path)
    run_import(tmp_path)
    assert not Vote.objects.exists()
    assert Answer.objects.get(pk=3).score == 7  # the dump's Score
    assert User.objects.get(first_name="Bob").reputation == 1 + 15
    assert User.objects.get(first_name="Jane Doe").reputation == 1 + 2
    out = StringIO()
    call_command("recompute_reputation", "--dry-run", stdout=out, stderr=StringIO())
    assert "no drift" in out.getvalue()
