"""Full-text search, and the similar-questions fragment of the ask form."""

import functools

from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from core.ratelimits import limit_reads
from pagecache.fragments import lists_fragments
from questions.services import normalize_tags

from . import fulltext
from .similar import similar_questions

PAGE_SIZE = 20


def similar_to_form(request) -> dict:
    """Context for questions/_similar.html: the questions like the title (and tags) typed so
    far, and whether anything was typed to compare."""
    source = request.POST if request.method == "POST" else request.GET
    title = " ".join(source.get("title", "").split())[:200]
    tags = normalize_tags(source.get("tags", "")[:250])[:10]
    if not title and not tags:
        return {"similar": [], "similar_checked": False}
    return {"similar": similar_questions(title, tags=tags), "similar_checked": True}


@require_safe
@lists_fragments
def search(request):
    """Full-text search over questions and answers (questions/search). Any input is a normal
    page: what cannot be searched gets a message, never an error."""
    query = fulltext.parse_query(request.GET.get("q", ""))
    sort = request.GET.get("sort")
    if sort not in fulltext.SORTS or (sort == "relevance" and not query.parts):
        sort = "relevance" if query.parts else "votes"

    @functools.cache
    def run():
        results = fulltext.search(query, sort=sort)
        page = fulltext.ResultPaginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = fulltext.with_snippets(page.object_list, query)
        return results, page

    # Searched only when the page shows the results: not when they come kept with the block
    # around them (pagecache.fragments).
    context = {
        "query": query.text,  # what the header's search box shows, as on every page
        "parsed": query,
        "page_obj": SimpleLazyObject(lambda: run()[1]),
        "results": SimpleLazyObject(lambda: run()[1].object_list),
        "capped": SimpleLazyObject(lambda: run()[0].capped),
        "sort": sort,
        "sorts": fulltext.SORTS if query.parts else fulltext.SORTS[1:],
        "limits": {"length": fulltext.MAX_QUERY_LENGTH, "terms": fulltext.MAX_TERMS},
    }
    return render(request, "questions/search.html", context)


@require_safe
@limit_reads("similar")
def similar(request):
    """The similar-questions fragment that static/js/similar.js fetches as the title is typed."""
    return render(request, "questions/_similar.html", similar_to_form(request))
