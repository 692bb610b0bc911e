"""Reads that join comments onto posts."""

from django.db.models import Prefetch

from .models import Comment


def with_comments(posts):
    """Attach `visible_comments` (oldest first, authors joined) to every post: one query."""
    comments = Comment.objects.visible().select_related("author").order_by("created_at", "pk")
    return posts.prefetch_related(Prefetch("comments", comments, to_attr="visible_comments"))
