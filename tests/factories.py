from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Sum
from django.utils import timezone

from accounts.signals import MODERATORS
from answers.models import Answer
from comments.models import Comment
from flags.models import Flag, FlagReason
from moderation import queue as review_queue
from moderation.signals import grant_moderator_permissions
from questions.models import Category, Question, Tag
from revisions.models import Revision
from search import fulltext as search
from votes.models import Vote, VoteValue
from votes.reputation import award_bonus


class UserFactory(factory.django.DjangoModelFactory):
    """A member. `reputation=N` is granted as a bonus row, so the total matches the ledger
    (`User.reputation == max(1, 1 + sum of the rows)`) as it does on the site."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")
    reputation = 1

    class Params:
        # Past `JOKESITE_NEW_ACCOUNT_DAYS` (and the first-posts window): may vote to close.
        seasoned = factory.Trait(
            date_joined=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
        )

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            ledger = obj.reputation_events.aggregate(total=Sum("delta"))["total"] or 0
            if max(1, 1 + ledger) != obj.reputation:
                award_bonus(user=obj, amount=obj.reputation - 1 - ledger)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Why does question number {n} exist at all?")
    body = factory.Faker("paragraph", nb_sentences=5)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create:
            obj.tags.set(extracted if extracted is not None else [TagFactory()])
            search.index_post(obj)  # as the services do: findable once saved
            review_queue.on_post_created(sender=Question, post=obj)  # a first post waits


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    author = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    body = factory.Faker("paragraph", nb_sentences=5)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        answer = super()._create(model_class, *args, **kwargs)
        type(answer.question).objects.filter(pk=answer.question_id).update(
            answer_count=answer.question.answers.filter(deleted_at__isnull=True).count()
        )
        search.index_post(answer)
        # As `post_answer` does: a first post or a late answer waits in review (the question
        # read again, for a `created_at` a test may have moved).
        fresh = Answer.objects.select_related("author", "question").get(pk=answer.pk)
        review_queue.on_post_created(sender=Answer, post=fresh)
        return answer


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    author = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    body = factory.Faker("sentence", nb_words=8)


class ModeratorFactory(UserFactory):
    """A member of the Moderators group (created by the migrations), hence staff.

    A transactional test (the browser tests' live server, the concurrency tests) empties every
    table when it ends, the group included; make it again, with the permissions `migrate`
    grants, so tests that run after one still get a real moderator.
    """

    @factory.post_generation
    def moderators_group(obj, create, extracted, **kwargs):
        if create:
            group, created = Group.objects.get_or_create(name=MODERATORS)
            if created:
                grant_moderator_permissions(sender=None, using=DEFAULT_DB_ALIAS)
            obj.groups.add(group)


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    voter = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    value = VoteValue.UP


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    flagger = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    reason = FlagReason.SPAM

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        flag = super()._create(model_class, *args, **kwargs)
        if flag.status == "open":  # as `flag_post` does: the post waits in review
            review_queue.on_post_flagged(sender=Flag, flag=flag, target=flag.target)
        return flag


class RevisionFactory(factory.django.DjangoModelFactory):
    """A revision row as `add_revision` writes it; `number` must be unique per post."""

    class Meta:
        model = Revision

    question = factory.SubFactory(QuestionFactory)
    number = factory.Sequence(lambda n: n + 1)
    editor = factory.LazyAttribute(lambda r: (r.question or r.answer).author)
    title = factory.LazyAttribute(lambda r: r.question.title if r.question else "")
    body = factory.LazyAttribute(lambda r: (r.question or r.answer).body)


class AnswerCommentFactory(CommentFactory):
    """A comment on an answer (CommentFactory comments on a question)."""

    question = None
    answer = factory.SubFactory(AnswerFactory)
