"""Reads that join the viewer's votes onto posts (Spirit's `with_likes`)."""

from django.db.models import Prefetch

from .models import Vote


def with_viewer_votes(posts, user):
    """Attach `viewer_votes` (a list of 0 or 1 Vote) to every post: one query."""
    if not user.is_authenticated:
        return posts
    mine = Vote.objects.filter(voter=user)
    return posts.prefetch_related(Prefetch("votes", mine, to_attr="viewer_votes"))
