"""export_stackexchange, and export -> import into an empty database giving the same threads."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from answers.models import Answer
from answers.services import post_answer
from comments.models import Comment
from comments.services import add_comment
from exchange.dump import iter_rows
from moderation.services import close_question, delete_post
from questions.models import CloseReason, Question, Tag
from questions.services import ask_question
from tests.factories import ModeratorFactory, UserFactory
from votes.services import accept_answer, cast_vote

User = get_user_model()

LONG = "Enough words here to pass the minimum length of any body on the site."


@pytest.fixture
def site(db):
    """A small site made through the services: two languages, code, votes, an accepted
    answer, comments, a duplicate, a deleted question and a tag description."""
    asker, answerer, voter = (UserFactory(username=n) for n in ("asker", "answerer", "voter"))
    mod = ModeratorFactory(username="mod")
    english = ask_question(
        author=asker,
        title="How do I read a file line by line?",
        body=f"{LONG}\n\n```\nfor line in open('f'):\n    print(line)\n```\n\n[docs](https://docs.python.org/)",
        tags=["python", "files"],
    )
    chinese = ask_question(
        author=answerer,
        title="怎样逐行读取一个文件的内容？",
        body="我想一行一行地读取文件，然后处理每一行的内容，应该怎么做比较好？",
        tags=["python", "中文"],
    )
    good = post_answer(author=answerer, question=english, body=f"Use a `with` block. {LONG}")
    other = post_answer(author=voter, question=english, body=f"Read it all at once. {LONG}")
    post_answer(
        author=asker, question=chinese, body="用 `with open(...)` 然后逐行循环就可以了，很简单。"
    )
    accept_answer(answer=good)
    cast_vote(voter=voter, post=english, value=1)
    cast_vote(voter=voter, post=good, value=1)
    cast_vote(voter=asker, post=other, value=-1)
    add_comment(author=voter, post=english, body="Which Python version do you use?")
    add_comment(author=asker, post=good, body="谢谢！这个办法在我这里完全可以用。")
    duplicate = ask_question(
        author=voter, title="Reading a file one line at a time", body=LONG, tags=["python"]
    )
    close_question(
        moderator=mod, question=duplicate, reason=CloseReason.DUPLICATE, duplicate_of=english
    )
    gone = ask_question(
        author=voter, title="A question deleted before the export", body=LONG, tags=["python"]
    )
    delete_post(actor=mod, post=gone)
    Tag.objects.filter(name="python").update(description="A programming language.")
    return english


def snapshot() -> dict:
    """What a reader sees of every public thread, keyed by question id (kept on import)."""
    threads = {}
    for q in Question.objects.visible().order_by("pk"):
        answers = Answer.objects.visible().filter(question=q).order_by("created_at")
        threads[q.pk] = {
            "title": q.title,
            "body": q.body,
            "body_html": q.body_html,
            "score": q.score,
            "author": q.author.username,
            "tags": sorted(q.tag_names()),
            "answer_count": q.answer_count,
            "closed": (q.is_closed, q.close_reason, q.duplicate_of_id),
            "comments": [(c.author.username, c.body_html) for c in q.comments.order_by("pk")],
            "answers": [
                (
                    a.author.username,
                    a.body,
                    a.body_html,
                    a.score,
                    a.is_accepted,
                    [(c.author.username, c.body_html) for c in a.comments.order_by("pk")],
                )
                for a in answers
            ],
        }
    return threads


def wipe() -> None:
    Question.objects.all().delete()
    User.objects.all().delete()
    Tag.objects.all().delete()


def test_export_then_import_gives_the_same_threads(site, tmp_path):
    before = snapshot()
    tags = dict(Tag.objects.values_list("name", "description"))
    call_command("export_stackexchange", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    wipe()
    assert not Question.objects.exists()
    call_command("import_stackexchange", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert snapshot() == before
    assert dict(Tag.objects.values_list("name", "description")) == tags
    out = StringIO()
    call_command("recompute_reputation", "--dry-run", stdout=out, stderr=StringIO())
    assert "no drift" in out.getvalue()


def test_export_holds_public_content_only(site, tmp_path):
    User.objects.filter(username="asker").update(
        email="asker@private.example", last_login=site.created_at
    )
    call_command("export_stackexchange", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    everything = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.xml"))
    assert "@private.example" not in everything
    assert "@example.com" not in everything  # the factories' addresses
    assert "A question deleted before the export" not in everything
    assert "md5$" not in everything and "password" not in everything.lower()
    users = list(iter_rows(tmp_path / "Users.xml"))
    assert {"Id", "DisplayName", "CreationDate", "Reputation"} <= set(users[0])
    assert not any("Email" in row or "LastAccessDate" in row for row in users)


def test_export_is_in_the_dump_format(site, tmp_path):
    call_command("export_stackexchange", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    posts = {row["Id"]: row for row in iter_rows(tmp_path / "Posts.xml")}
    question = posts[str(site.pk)]
    assert question["PostTypeId"] == "1"
    assert question["Tags"] == "<files><python>"
    accepted = posts[question["AcceptedAnswerId"]]
    assert accepted["PostTypeId"] == "2" and accepted["ParentId"] == str(site.pk)
    assert "<pre><code>" in question["Body"]
    votes = list(iter_rows(tmp_path / "Votes.xml"))
    assert {row["VoteTypeId"] for row in votes} == {"2", "3"}
    assert not any("UserId" in row for row in votes)
    comments = list(iter_rows(tmp_path / "Comments.xml"))
    assert {row["Text"] for row in comments} == set(Comment.objects.values_list("body", flat=True))
    links = list(iter_rows(tmp_path / "PostLinks.xml"))
    assert [(row["RelatedPostId"], row["LinkTypeId"]) for row in links] == [(str(site.pk), "3")]
