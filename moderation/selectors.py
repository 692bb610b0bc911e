"""Reads of moderation state that the thread page and lists join in."""

from django.db.models import Count, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import CloseVote


def with_close_votes(queryset, user):
    """Annotate `close_vote_count` (the active close or reopen votes: a question is open or
    closed, so they are all of one kind) and, for a member, `viewer_close_vote` (whether one
    of them is theirs), in the same query."""
    active = CloseVote.objects.active().filter(question=OuterRef("pk"))
    counted = active.order_by().values("question").annotate(n=Count("pk")).values("n")
    queryset = queryset.annotate(close_vote_count=Coalesce(Subquery(counted), Value(0)))
    if user.is_authenticated:
        queryset = queryset.annotate(viewer_close_vote=Exists(active.filter(voter=user)))
    return queryset
