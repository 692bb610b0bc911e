"""What the views of every app share: finding the post a URL names, and the answer format."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from . import permissions
from .markdown import render_post
from .models import BODY_MAX


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


def is_preview(request) -> bool:
    """The form was sent with its `preview` button (contract v1.3): show, save nothing."""
    return request.method == "POST" and "preview" in request.POST


def preview_html(request) -> str:
    """The posted body as it would show: the site's own renderer and sanitiser, on at most
    as much text as a post may hold."""
    return render_post(request.POST.get("body", "")[:BODY_MAX])
