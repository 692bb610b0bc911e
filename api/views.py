"""The read-only JSON API, `/api/v1/`: what the pages show, as data.

Plain function views returning `JsonResponse`: four GET endpoints with one shape each need no
serializer framework, and the same QuerySet methods as the pages keep the two in step. The
document at `/api/v1/openapi.json` (`questions/openapi.json`, written by hand) describes every
response; tests/test_api.py validates real responses against it.

Every endpoint is anonymous and shows only visible content, the same to everyone, which makes
it safe to cache whole responses: each is kept in the shared cache for
`JOKESITE_API_CACHE_SECONDS` (30 s) per URL and `Cache-Control: max-age` says the same to
clients. Nothing is invalidated on write; the short lifetime bounds how far the API lags the
pages. Reads are rate-limited per IP address before the cache is asked, so a cached answer
counts too; over the limit is a JSON 429 with `Retry-After`.
"""

import json
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from core.ratelimits import limit_reads
from questions.listing import ListPaginator
from questions.models import (
    LIST_ORDERS,
    LIST_PAGE_SIZE,
    TAG_PAGE_SIZE,
    Question,
    Tag,
    tag_listing_params,
)
from threads.selectors import public_thread

OPENAPI = json.loads((Path(__file__).parent / "openapi.json").read_text(encoding="utf-8"))
USER_RECENT = 20


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False}
    )
    # Public, anonymous, read-only data: any site may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def api_view(view):
    """GET/HEAD only, rate-limited per IP, cached briefly; `view` returns a dict, and a 404 it
    raises becomes JSON too."""

    @wraps(view)
    def as_json(request, *args, **kwargs):
        try:
            return _json(view(request, *args, **kwargs))
        except Http404:
            return _json({"error": "not_found", "detail": "No such object."}, status=404)

    cached = cache_page(settings.JOKESITE_API_CACHE_SECONDS, key_prefix="api")(as_json)
    return require_safe(limit_reads("api")(cached))


def _url(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _user(request, user) -> dict:
    return {
        "username": user.username,
        "reputation": user.reputation,
        "url": _url(request, user.get_absolute_url()),
    }


def _comment(request, comment) -> dict:
    return {
        "id": comment.pk,
        "author": _user(request, comment.author),
        "body": comment.body,
        "body_html": comment.body_html,
        "created_at": comment.created_at,
    }


def _question_summary(request, question) -> dict:
    category = question.category
    return {
        "id": question.pk,
        "title": question.title,
        "url": _url(request, question.get_absolute_url()),
        "api_url": _url(request, reverse("api:question", kwargs={"pk": question.pk})),
        "author": _user(request, question.author),
        "score": question.score,
        "answer_count": question.answer_count,
        "comment_count": question.comment_count,
        "tags": question.tag_names(),
        "category": {"slug": category.slug, "name": category.name} if category else None,
        "created_at": question.created_at,
        "edited_at": question.edited_at,
        "last_activity_at": question.last_activity_at,
    }


def _page(request, page, results: list) -> dict:
    """The envelope of every list: counts and absolute links to the neighbouring pages."""

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return _url(request, f"{request.path}?{query.urlencode()}")

    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": results,
    }


@api_view
def question_list(request):
    """`?sort=active|newest|votes|unanswered&page=N`, `PAGE_SIZE` a page, like /questions/."""
    sort = request.GET.get("sort", "active")
    if sort not in LIST_ORDERS:
        sort = "active"
    listed = Question.objects.for_listing(sort)
    page = ListPaginator(listed, LIST_PAGE_SIZE, stored="all", sort=sort).get_page(
        request.GET.get("page")
    )
    questions = [_question_summary(request, q) for q in page]
    return {"sort": sort, **_page(request, page, questions)}


@api_view
def question_detail(request, pk):
    """A visible question with its visible answers (thread order) and comments."""
    try:
        question = public_thread(pk)
    except Question.DoesNotExist:
        raise Http404 from None
    data = _question_summary(request, question)
    data["body"] = question.body
    data["body_html"] = question.body_html
    data["comments"] = [_comment(request, c) for c in question.visible_comments]
    data["answers"] = []
    for answer in question.visible_answers:
        answer.question = question  # for get_absolute_url: no query per answer
        data["answers"].append(
            {
                "id": answer.pk,
                "url": _url(request, answer.get_absolute_url()),
                "author": _user(request, answer.author),
                "body": answer.body,
                "body_html": answer.body_html,
                "score": answer.score,
                "is_accepted": answer.is_accepted,
                "created_at": answer.created_at,
                "edited_at": answer.edited_at,
                "comments": [_comment(request, c) for c in answer.visible_comments],
            }
        )
    return data


@api_view
def tag_list(request):
    """`?sort=popular|name|new&q=...&page=N`, 60 a page, like /tags/."""
    sort, query = tag_listing_params(request.GET)
    tags = Tag.objects.for_listing(sort, query)
    page = Paginator(tags, TAG_PAGE_SIZE).get_page(request.GET.get("page"))
    results = [
        {
            "name": tag.name,
            "description": tag.description,
            "question_count": tag.question_count,
            "created_at": tag.created_at,
            "url": _url(request, tag.get_absolute_url()),
        }
        for tag in page
    ]
    return {"sort": sort, **_page(request, page, results)}


@api_view
def user_detail(request, username):
    """An active member's public profile, like /users/<username>/."""
    user = get_object_or_404(get_user_model(), username=username, is_active=True)
    questions = user.questions.visible().order_by("-created_at", "-id")
    answers = user.answers.visible().order_by("-created_at", "-id")
    recent_answers = answers.select_related("question")[:USER_RECENT]
    return {
        **_user(request, user),
        "date_joined": user.date_joined,
        "about": user.about,
        "question_count": questions.count(),
        "answer_count": answers.count(),
        "accepted_count": answers.filter(is_accepted=True).count(),
        "questions": [
            {
                "id": q.pk,
                "title": q.title,
                "score": q.score,
                "answer_count": q.answer_count,
                "url": _url(request, q.get_absolute_url()),
                "created_at": q.created_at,
            }
            for q in questions.defer("body", "body_html")[:USER_RECENT]
        ],
        "answers": [
            {
                "id": a.pk,
                "question_id": a.question_id,
                "question_title": a.question.title,
                "score": a.score,
                "is_accepted": a.is_accepted,
                "url": _url(request, a.get_absolute_url()),
                "created_at": a.created_at,
            }
            for a in recent_answers
        ],
    }


@require_safe
def openapi(request):
    response = _json(OPENAPI)
    response["Cache-Control"] = "max-age=3600"
    return response
