"""Load the demo thread a new install shows first: the seed's question and its ten answers.

The thread lives in `questions/demo/thread.json`, inside the project, so a running site never
depends on files beside the clone. Everything is written through the services, so revisions,
counters and reputation are exactly what the same actions on the site would leave behind.
Then the dates are set so the story agrees with itself: each member joined before they
posted, each vote (and the reputation it moved) is dated a few hours after its post, the
accept at its time, so a demo profile's 90-day chart climbs instead of jumping today.
"""

import json
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from comments.models import Comment
from comments.services import add_comment
from moderation import queue as review_queue
from questions.models import Category, Question
from questions.services import ask_question
from revisions.models import Revision
from search import fulltext as search
from votes.models import ReputationEvent
from votes.services import cast_vote

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "thread.json"
# The demo category's words, marked so the catalogue translates them where the category is shown
# (`Category.shown_name`); the thread itself stays in the seed's English.
CATEGORY_TEXT = [
    gettext_noop("Mood Talk"),
    gettext_noop("Everyday conversation: life, money and the stories behind the news."),
]
# Time between one demo vote on a post and the next, the first counted from the post.
VOTE_SPACING = timedelta(hours=2, minutes=17)


@contextmanager
def _dated_reputation(at):
    """Date the reputation rows written inside the block at `at` (the services stamp now)."""
    before = ReputationEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    ReputationEvent.objects.filter(pk__gt=before).update(created_at=at)


def load_data(path: Path = DATA_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def find_demo_question(data: dict) -> Question | None:
    """The demo question, deleted or not: its title asked by the demo asker marks it."""
    question = data["question"]
    return Question.objects.filter(
        title=question["title"], author__username=question["author"]
    ).first()


class Command(BaseCommand):
    help = "Load the demo thread (the seed's question and its answers) unless it is there."

    def handle(self, *args, **options):
        data = load_data()
        with transaction.atomic():
            # The category row is locked before the check, so a second load started meanwhile
            # waits here and then finds the thread (or fails on the unique slug) instead of
            # adding another.
            category = self._category(data["category"])
            existing = find_demo_question(data)
            if existing:
                self.stdout.write(f"Demo thread already loaded: {existing.get_absolute_url()}")
                return
            question = self._load(data, category)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded demo thread: 1 question, {question.answer_count} answers, "
                f"{question.tags.count()} tags in {question.category}: "
                f"{question.get_absolute_url()}"
            )
        )

    def _category(self, spec: dict) -> Category:
        category, created = Category.objects.select_for_update().get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "description": spec["description"]}
        )
        if created:
            self.stdout.write(f"Created category {category.slug}")
        return category

    def _load(self, data: dict, category: Category) -> Question:
        # questions never imports answers at module level; a command may reach it at run time.
        from answers.services import post_answer
        from votes.services import accept_answer

        users = self._users(data["users"])

        spec = data["question"]
        asked_at = timezone.now() - timedelta(days=spec["asked_days_ago"])
        question = ask_question(
            author=users[spec["author"]],
            title=spec["title"],
            body=spec["body"],
            tags=spec["tags"],
            category=category,
        )
        self._backdate(question, asked_at)
        self._react(question, spec, users, asked_at, posted_at=asked_at)

        last_activity_at = asked_at
        for answer_spec in data["answers"]:
            posted_at = asked_at + timedelta(hours=answer_spec["hours_after_question"])
            answer = post_answer(
                author=users[answer_spec["author"]], question=question, body=answer_spec["body"]
            )
            self._backdate(answer, posted_at)
            self._react(answer, answer_spec, users, asked_at, posted_at=posted_at)
            last_activity_at = max(last_activity_at, posted_at)
            if answer_spec.get("accepted"):
                accepted_at = asked_at + timedelta(hours=spec["accepted_hours_after_question"])
                with _dated_reputation(accepted_at):
                    accept_answer(answer=answer)
                type(answer).objects.filter(pk=answer.pk).update(accepted_at=accepted_at)
                last_activity_at = max(last_activity_at, accepted_at)

        # The services stamp "now"; the demo reads as a thread that grew over days.
        Question.objects.filter(pk=question.pk).update(last_activity_at=last_activity_at)
        question.refresh_from_db()
        return question

    def _users(self, specs: list[dict]) -> dict:
        """Demo members by username; existing ones are reused, new ones cannot sign in and
        joined `joined_days_ago`, long before the thread."""
        User = get_user_model()
        users = {}
        now = timezone.now()
        for spec in specs:
            user, created = User.objects.get_or_create(
                username=spec["username"],
                defaults={
                    "about": spec["about"],
                    "password": make_password(None),
                    "date_joined": now - timedelta(days=spec["joined_days_ago"]),
                },
            )
            if created:
                self.stdout.write(f"Created demo user {user.username}")
            users[user.username] = user
        return users

    def _backdate(self, post, at) -> None:
        type(post).objects.filter(pk=post.pk).update(created_at=at)
        Revision.objects.filter(**{post.kind: post}, number=1).update(created_at=at)
        search.index_post(post)  # search's "newest" order reads the entry's date
        # Posted "now", an answer 30 days after its backdated question looked late.
        review_queue.reconsider(post)

    def _react(self, post, spec: dict, users: dict, asked_at, *, posted_at) -> None:
        """Cast the post's demo votes, each VOTE_SPACING after the one before (starting from
        the post), with the reputation it moved; add its demo comments."""
        for number, (voter, value) in enumerate(spec.get("votes", {}).items(), start=1):
            voted_at = posted_at + number * VOTE_SPACING
            with _dated_reputation(voted_at):
                cast_vote(voter=users[voter], post=post, value=value)
            post.votes.filter(voter=users[voter]).update(created_at=voted_at)
        for comment_spec in spec.get("comments", []):
            comment = add_comment(
                author=users[comment_spec["author"]], post=post, body=comment_spec["body"]
            )
            at = asked_at + timedelta(hours=comment_spec["hours_after_question"])
            Comment.objects.filter(pk=comment.pk).update(created_at=at)
