"""Votes on questions and answers, and the reputation ledger they and accepts are booked in."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from answers.models import Answer
from core.models import exactly_one_post
from questions.models import Question


class VoteValue(models.IntegerChoices):
    UP = 1, pgettext_lazy("vote", "Up")
    DOWN = -1, pgettext_lazy("vote", "Down")


class Vote(models.Model):
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="votes", verbose_name=_("voter")
    )
    question = models.ForeignKey(
        Question, models.CASCADE, null=True, blank=True, related_name="votes"
    )
    answer = models.ForeignKey(Answer, models.CASCADE, null=True, blank=True, related_name="votes")
    value = models.SmallIntegerField(_("value"), choices=VoteValue)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        db_table = "questions_vote"  # made by `questions`; the table kept its name
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            exactly_one_post("vote_has_exactly_one_post"),
            models.UniqueConstraint(fields=["voter", "question"], name="one_vote_per_question"),
            models.UniqueConstraint(fields=["voter", "answer"], name="one_vote_per_answer"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_is_1_or_-1"),
        ]

    def __str__(self):
        return _("%(voter)s %(value)+d on %(post)s") % {
            "voter": self.voter,
            "value": self.value,
            "post": self.post,
        }

    @property
    def post(self):
        return self.question if self.question_id else self.answer


class ReputationReason(models.TextChoices):
    UPVOTE = "upvote", _("Upvote received")
    DOWNVOTE = "downvote", _("Downvote received")
    DOWNVOTED_ANSWER = "downvoted-answer", _("Downvoted an answer")
    ACCEPTED = "accepted", _("Answer accepted")
    ACCEPTER = "accepter", _("Accepted an answer")
    UNACCEPTED = "unaccepted", _("Accept undone")
    VOTE_REVERSED = "vote-reversed", _("Vote reversed")
    POST_DELETED = "post-deleted", _("Post deleted")
    POST_RESTORED = "post-restored", _("Post undeleted")
    VOTES_INVALIDATED = "votes-invalidated", _("Votes invalidated")
    CORRECTION = "correction", _("Recount correction")
    OPENING = "opening", _("Reputation from before the ledger")
    BONUS = "bonus", _("Bonus")
    SUGGESTED_EDIT = "suggested-edit", _("Suggested edit approved")

    @classmethod
    def from_votes_and_accepts(cls) -> list[str]:
        """Reasons whose rows `recompute_reputation` checks against the votes and accepts;
        a bonus and the +2 for an approved suggested edit are booked once, when granted, and
        taken as they are."""
        return [reason for reason in cls if reason not in (cls.BONUS, cls.SUGGESTED_EDIT)]


# Each reason's label (lazy: translated when shown), for `ReputationEvent.reason_label`.
REASON_LABELS = dict(ReputationReason.choices)


class ReputationEvent(models.Model):
    """One change to a member's reputation: the ledger a profile's history is read from.

    Rows are only ever added. The post stays linked while it exists (deleted or not); a post
    removed from the database leaves its rows without a link.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="reputation_events",
        verbose_name=_("member"),
    )
    delta = models.IntegerField(_("change"))
    reason = models.CharField(_("reason"), max_length=20, choices=ReputationReason)
    question = models.ForeignKey(Question, models.SET_NULL, null=True, blank=True, related_name="+")
    answer = models.ForeignKey(Answer, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        db_table = "accounts_reputationevent"  # made by `accounts`; the table kept its name
        verbose_name = _("reputation change")
        verbose_name_plural = _("reputation changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=True) | Q(answer__isnull=True),
                name="reputation_event_has_at_most_one_post",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="reputation_event_user_idx"),
            # A profile's 90-day chart sums the days' deltas from this index alone.
            models.Index(
                fields=["user", "created_at"], include=["delta"], name="reputation_event_user_day"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.delta:+d} {self.get_reason_display()}"

    @property
    def reason_label(self):
        """What `get_reason_display()` says, without rebuilding the field's choices on every
        call (70 µs each; a profile lists 20 changes)."""
        return REASON_LABELS.get(self.reason, self.reason)

    @property
    def post(self):
        return self.question if self.question_id else self.answer
