"""Export the site's public content as a Stack Exchange data dump.

What is public goes out: members (display name, join date, reputation, "about me"), questions
and answers that public pages show, their comments, votes (anonymous, as in the published
dumps), tags with their descriptions, accepted answers, closed state and duplicates. Nothing
else: no email address, password, IP address, last login, deleted or hidden post, flag,
suspension or moderation log.

Post ids. A dump numbers every post in one sequence, and here questions and answers are
numbered apart, so questions keep their ids and an answer's Id is its id plus an offset (the
highest question id); tag descriptions are tag wiki excerpts (PostTypeId 4) numbered after
that. PostHistory.xml carries each body's Markdown source (PostHistoryTypeId 2) and each
closing's reason (10), so an import of the export edits and closes like the original.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Prefetch, Q

from answers.models import Answer
from comments.models import Comment
from questions.models import CloseReason, Question, Tag
from votes.models import Vote

from .dump import DumpWriter, format_date
from .importer import ANSWER, CLOSED, DOWNVOTE, DUPLICATE_LINK, QUESTION, TAG_EXCERPT, UPVOTE
from .models import ImportedKind, ImportedRow

User = get_user_model()

CLOSE_REASON_IDS = {
    CloseReason.DUPLICATE: 101,
    CloseReason.OFF_TOPIC: 102,
    CloseReason.NEEDS_DETAILS: 103,
    CloseReason.OPINION_BASED: 105,
}
INITIAL_BODY = 2


def _paragraphs(text: str) -> str:
    """Plain text as the HTML a dump's AboutMe or excerpt holds."""
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n") if part.strip())


class Exporter:
    def __init__(
        self,
        directory: Path,
        *,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.directory = Path(directory)
        self.progress = progress
        self.counts: dict[str, int] = {}

    def run(self) -> dict[str, int]:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.questions = Question.objects.visible()
        self.answers = Answer.objects.visible().filter(question__in=self.questions.values("pk"))
        self.answer_offset = Question.objects.aggregate(m=Max("pk"))["m"] or 0
        self.tag_offset = self.answer_offset + (Answer.objects.aggregate(m=Max("pk"))["m"] or 0)
        self._users()
        self._tags()
        self._posts()
        self._history()
        self._links()
        self._comments()
        self._votes()
        return self.counts

    def _tick(self, name: str, out: DumpWriter) -> None:
        if self.progress and out.count % 1000 == 0:
            self.progress(name, out.count, 0)

    def _write(self, name: str, root: str, rows) -> None:
        with DumpWriter(self.directory / name, root) as out:
            for row in rows:
                out.row(**row)
                self._tick(name, out)
        self.counts[name] = out.count

    def _post_id(self, post) -> int:
        return post.pk if isinstance(post, Question) else post.pk + self.answer_offset

    def _users(self) -> None:
        # The anonymous voters an import made stand for nobody: the votes go out without them.
        voters = ImportedRow.objects.filter(kind=ImportedKind.VOTER).values("new_id")
        users = User.objects.exclude(pk__in=voters).order_by("pk")
        self._write(
            "Users.xml",
            "users",
            (
                {
                    "Id": user.pk,
                    "Reputation": user.reputation,
                    "CreationDate": user.date_joined,
                    "DisplayName": user.first_name or user.username,
                    "AboutMe": _paragraphs(user.about) or None,
                }
                for user in users.only(
                    "pk", "reputation", "date_joined", "first_name", "username", "about"
                ).iterator(chunk_size=2000)
            ),
        )

    def _tags(self) -> None:
        tags = Tag.objects.annotate(
            n=Count("questions", filter=Q(questions__in=self.questions.values("pk")))
        ).order_by("pk")
        self.excerpts = []
        rows = []
        for tag in tags.iterator(chunk_size=2000):
            excerpt = self.tag_offset + tag.pk if tag.description else None
            if excerpt:
                self.excerpts.append((excerpt, tag))
            rows.append(
                {"Id": tag.pk, "TagName": tag.name, "Count": tag.n, "ExcerptPostId": excerpt}
            )
        self._write("Tags.xml", "tags", rows)

    def _posts(self) -> None:
        accepted = dict(self.answers.filter(is_accepted=True).values_list("question_id", "pk"))

        def rows():
            questions = self.questions.order_by("pk").prefetch_related(
                Prefetch("tags", Tag.objects.order_by("name"))
            )
            for q in questions.iterator(chunk_size=1000):
                yield {
                    "Id": q.pk,
                    "PostTypeId": QUESTION,
                    "AcceptedAnswerId": (
                        accepted[q.pk] + self.answer_offset if q.pk in accepted else None
                    ),
                    "CreationDate": q.created_at,
                    "Score": q.score,
                    "Body": q.body_html,
                    "OwnerUserId": q.author_id,
                    "LastEditDate": q.edited_at,
                    "LastActivityDate": q.last_activity_at,
                    "Title": q.title,
                    "Tags": "".join(f"<{t.name}>" for t in q.tags.all()),
                    "AnswerCount": q.answer_count,
                    "CommentCount": q.comment_count,
                    "ClosedDate": q.closed_at,
                }
            for a in self.answers.order_by("pk").iterator(chunk_size=2000):
                yield {
                    "Id": self._post_id(a),
                    "PostTypeId": ANSWER,
                    "ParentId": a.question_id,
                    "CreationDate": a.created_at,
                    "Score": a.score,
                    "Body": a.body_html,
                    "OwnerUserId": a.author_id,
                    "LastEditDate": a.edited_at,
                    "CommentCount": a.comment_count,
                }
            for excerpt, tag in self.excerpts:
                yield {
                    "Id": excerpt,
                    "PostTypeId": TAG_EXCERPT,
                    "CreationDate": tag.created_at,
                    "Score": 0,
                    "Body": _paragraphs(tag.description),
                }

        self._write("Posts.xml", "posts", rows())

    def _history(self) -> None:
        """Each body's Markdown source, and each closed question's reason."""

        def rows():
            number = 0
            for model, posts in ((Question, self.questions), (Answer, self.answers)):
                fields = ("pk", "author_id", "created_at", "body")
                for pk, author, created, body in (
                    posts.order_by("pk").values_list(*fields).iterator(chunk_size=2000)
                ):
                    number += 1
                    post_id = pk if model is Question else pk + self.answer_offset
                    yield {
                        "Id": number,
                        "PostHistoryTypeId": INITIAL_BODY,
                        "PostId": post_id,
                        "CreationDate": created,
                        "UserId": author,
                        "Text": body,
                    }
            closed = self.questions.filter(closed_at__isnull=False).order_by("pk")
            for pk, closed_at, reason in closed.values_list("pk", "closed_at", "close_reason"):
                number += 1
                yield {
                    "Id": number,
                    "PostHistoryTypeId": CLOSED,
                    "PostId": pk,
                    "CreationDate": closed_at,
                    "Comment": CLOSE_REASON_IDS.get(reason, 103),
                }

        self._write("PostHistory.xml", "posthistory", rows())

    def _links(self) -> None:
        duplicates = self.questions.filter(duplicate_of__in=self.questions.values("pk")).order_by(
            "pk"
        )
        self._write(
            "PostLinks.xml",
            "postlinks",
            (
                {
                    "Id": n,
                    "CreationDate": closed_at or created,
                    "PostId": pk,
                    "RelatedPostId": original,
                    "LinkTypeId": DUPLICATE_LINK,
                }
                for n, (pk, original, closed_at, created) in enumerate(
                    duplicates.values_list("pk", "duplicate_of_id", "closed_at", "created_at"), 1
                )
            ),
        )

    def _comments(self) -> None:
        on_public_posts = Q(question__in=self.questions.values("pk")) | Q(
            answer__in=self.answers.values("pk")
        )
        comments = Comment.objects.visible().filter(on_public_posts).order_by("pk")
        fields = ("pk", "question_id", "answer_id", "body", "created_at", "author_id")
        self._write(
            "Comments.xml",
            "comments",
            (
                {
                    "Id": pk,
                    "PostId": question or answer + self.answer_offset,
                    "Score": 0,
                    "Text": body,
                    "CreationDate": created,
                    "UserId": author,
                }
                for pk, question, answer, body, created, author in comments.values_list(
                    *fields
                ).iterator(chunk_size=2000)
            ),
        )

    def _votes(self) -> None:
        """Votes without their voters, as the published dumps give them; dated by day."""
        votes = Vote.objects.filter(
            Q(question__in=self.questions.values("pk")) | Q(answer__in=self.answers.values("pk"))
        ).order_by("pk")
        fields = ("pk", "question_id", "answer_id", "value", "created_at")
        self._write(
            "Votes.xml",
            "votes",
            (
                {
                    "Id": pk,
                    "PostId": question or answer + self.answer_offset,
                    "VoteTypeId": UPVOTE if value == 1 else DOWNVOTE,
                    "CreationDate": format_date(created)[:10] + "T00:00:00.000",
                }
                for pk, question, answer, value, created in votes.values_list(*fields).iterator(
                    chunk_size=2000
                )
            ),
        )
