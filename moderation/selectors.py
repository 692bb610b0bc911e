"""Reads of moderation state that the thread page joins in."""

from django.db.models import Count, Q

from .models import CloseVote


def attach_close_votes(question, user) -> None:
    """Set `close_vote_count` (the active close or reopen votes: a question is open or closed,
    so they are all of one kind) and `viewer_close_vote` (whether one of them is `user`'s) on
    `question`: one query, made only for a reader the count is shown to (threads.readers'
    `close_votes`), rather than a subquery built into every reader's question query."""
    counts = (
        CloseVote.objects.active()
        .filter(question=question)
        .aggregate(n=Count("pk"), mine=Count("pk", filter=Q(voter=user)))
    )
    question.close_vote_count = counts["n"]
    question.viewer_close_vote = counts["mine"] > 0
