"""Reads of moderation state that the thread page joins in."""

from core.statements import Statement

from .models import CloseVote

# The question's active votes, one row each (a handful: a round ends at the votes needed),
# compiled once per process (core.statements): an aggregate's compilation cost more than it.
_ACTIVE = Statement(
    CloseVote,
    lambda question_id: (
        CloseVote.objects.active().filter(question_id=question_id).only("id", "voter_id")
    ),
)


def attach_close_votes(question, user) -> None:
    """Set `close_vote_count` (the active close or reopen votes: a question is open or closed,
    so they are all of one kind) and `viewer_close_vote` (whether one of them is `user`'s) on
    `question`: one query, made only for a reader the count is shown to (threads.readers'
    `close_votes`), rather than a subquery built into every reader's question query."""
    votes = _ACTIVE.rows(question.pk)
    question.close_vote_count = len(votes)
    question.viewer_close_vote = any(vote.voter_id == user.pk for vote in votes)
