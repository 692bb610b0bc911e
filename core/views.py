"""What the views of every app share: finding the post a URL names, and the answer format."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from . import permissions


def wants_json(request) -> bool:
    preferred = request.get_preferred_type(["text/html", "application/json"])
    return preferred == "application/json"


def get_post(request, model, pk, *, for_update=True):
    """The post (or comment) addressed by the URL, or 404 when it does not exist or the viewer
    may not see it."""
    queryset = model.objects.select_related("author")
    kind = model._meta.model_name
    if kind == "comment":
        queryset = queryset.select_related("question", "answer__question")
    elif kind == "answer":
        queryset = queryset.select_related("question", "question__author")
    post = get_object_or_404(queryset, pk=pk)
    if not permissions.can_view(request.user, post):
        raise Http404
    return post
