"""What the views of every app share: finding the post a URL names, the answer format, and
confirmations shown beside the item they are about."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

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


# A message's extra tag naming the element it is about (messages.html and `place_messages`).
ANCHOR_TAG = "at:"


def anchor_of(item) -> str:
    """The id of the element that holds a question, answer or comment on its thread."""
    return f"{item._meta.model_name}-{item.pk}"


def confirm(request, item, text, level=messages.SUCCESS):
    """Say `text` about `item` and go to it: a redirect to its thread ending in its anchor
    (`:target` highlights it), and a message the thread shows inside the item, where the eye
    lands, rather than at the top of a page that may be metres long on a phone."""
    anchor = anchor_of(item)
    messages.add_message(request, level, text, extra_tags=ANCHOR_TAG + anchor)
    return redirect(f"{item.get_absolute_url().split('#')[0]}#{anchor}")


def place_messages(request, anchors: set[str]) -> tuple[dict[str, list], list]:
    """This request's messages split in two: those about an element in `anchors` (by anchor),
    for the page to show inside it, and the rest, for the top of the page. Reading them marks
    them shown, as the messages template would."""
    placed: dict[str, list] = {}
    rest = []
    for message in messages.get_messages(request):
        tags = (message.extra_tags or "").split()
        anchor = next((t[len(ANCHOR_TAG) :] for t in tags if t.startswith(ANCHOR_TAG)), None)
        if anchor in anchors:
            placed.setdefault(anchor, []).append(message)
        else:
            rest.append(message)
    return placed, rest
