"""Lists of questions, tags and categories: the pages a reader browses."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core import seo
from pagecache.fragments import lists_fragments

from .listing import ListPaginator, list_count
from .models import (
    LIST_ORDERS,
    LIST_PAGE_SIZE,
    TAG_ORDERS,
    TAG_PAGE_SIZE,
    Category,
    Question,
    Tag,
    TagSynonym,
    tag_listing_params,
)

SORTS = LIST_ORDERS
SORT_NAMES = {
    "active": gettext_lazy("Active"),
    "newest": gettext_lazy("Newest"),
    "votes": gettext_lazy("Votes"),
    "unanswered": gettext_lazy("Unanswered"),
}
TAG_SORTS = TAG_ORDERS
TAG_SORT_NAMES = {
    "popular": gettext_lazy("Popular"),
    "name": gettext_lazy("Name"),
    "new": gettext_lazy("New"),
}


def question_listing(request, queryset, *, default_sort="active", stored=None):
    """Sort and paginate a question queryset for a list page; returns template context.
    `stored`: the name of the list in `questions.liststore` ("all", "tag:<id>", ...)."""
    sort = request.GET.get("sort", default_sort)
    if sort not in SORTS:
        sort = default_sort
    paginator = ListPaginator(queryset.for_listing(sort), LIST_PAGE_SIZE, stored=stored, sort=sort)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page_obj": page, "questions": page.object_list, "sort": sort, "sorts": SORTS}
    context["canonical_url"] = seo.listing_canonical_url(request, context, default_sort)
    context["title_suffix"] = seo.listing_title_suffix(context, default_sort, SORT_NAMES)
    return context


@require_safe
@lists_fragments
def question_list(request):
    context = question_listing(request, Question.objects.all(), stored="all")
    return render(request, "questions/question_list.html", context)


@require_safe
@lists_fragments
def tag_list(request):
    """Tags sorted by `?sort=popular|name|new`, filtered by `?q=` (part of the name)."""
    sort, query = tag_listing_params(request.GET)
    tags = Tag.objects.for_listing(sort, query)
    page = Paginator(tags, TAG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "tags": page,
        "sort": sort,
        "tag_sorts": TAG_SORT_NAMES,
        "query": query,
        "canonical_url": seo.canonical_url(
            request,
            sort=sort if sort != "popular" else None,
            page=page.number if page.number > 1 else None,
        ),
    }
    context["title_suffix"] = seo.listing_title_suffix(context, "popular", TAG_SORT_NAMES)
    return render(request, "questions/tag_list.html", context)


@require_safe
@lists_fragments
def tag_detail(request, name):
    tag = Tag.objects.filter(name=name).first()
    if tag is None:
        synonym = get_object_or_404(TagSynonym.objects.select_related("tag"), name=name)
        target = synonym.tag.get_absolute_url()
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    context = question_listing(request, tag.questions.all(), stored=f"tag:{tag.pk}")
    context["tag"] = tag
    if context["sort"] == "unanswered":
        context["question_count"] = list_count(tag.questions.visible(), f"tag:{tag.pk}")
    else:
        context["question_count"] = context["page_obj"].paginator.count
    return render(request, "questions/tag_detail.html", context)


@require_safe
def category_list(request):
    categories = Category.objects.with_question_counts().order_by("name")
    context = {
        "categories": categories,
        "canonical_url": seo.canonical_url(request),
    }
    return render(request, "questions/category_list.html", context)


@require_safe
@lists_fragments
def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    context = question_listing(request, category.questions.all(), stored=f"category:{category.pk}")
    context["category"] = category
    return render(request, "questions/category_detail.html", context)


def home(request):
    return question_list(request)
