"""Old links into an imported site keep working.

A question or answer keeps its id from the dump when the id was free, so most old links work
as they are. The others answer 404 here, and this middleware turns that 404 into a permanent
redirect to where the post went, through the `ImportedRow` mapping: `/questions/<old id>/...`
(also Stack Exchange's `/questions/<qid>/<slug>/<answer id>` form), `/q/<old id>` and
`/a/<old id>`. It only looks when the page was not found, so other pages pay nothing.
"""

import re

from django.http import HttpResponsePermanentRedirect

from answers.models import Answer
from questions.models import Question

from .models import ImportedKind, ImportedRow

_OLD_LINK = re.compile(
    r"^/(?:(?P<questions>questions|q)/(?P<qid>\d+)(?:/[^/]+(?:/(?P<aid>\d+))?)?|a/(?P<a>\d+)(?:/\d+)?)/?$"
)


def _moved(kind: str, old_id: int) -> int | None:
    """Where a post of the dump went, when its id could not be kept (first site imported)."""
    row = (
        ImportedRow.objects.filter(kind=kind, old_id=old_id)
        .exclude(new_id=old_id)
        .order_by("pk")
        .values_list("new_id", flat=True)
        .first()
    )
    return row


def old_link_target(path: str) -> str | None:
    """The URL an old Stack Exchange link now lives at, or None."""
    match = _OLD_LINK.match(path)
    if not match:
        return None
    answer_id = match["aid"] or match["a"]
    if answer_id:
        old = int(answer_id)
        new = _moved(ImportedKind.ANSWER, old) or old
        answer = Answer.objects.select_related("question").filter(pk=new).first()
        return answer.get_absolute_url() if answer else None
    old = int(match["qid"])
    if match["questions"] == "questions" and Question.objects.filter(pk=old).exists():
        return None  # the 404 is the question's own (deleted): not an old link
    new = _moved(ImportedKind.QUESTION, old) or old
    question = Question.objects.filter(pk=new).only("pk", "slug").first()
    return question.get_absolute_url() if question else None


class OldLinkRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = old_link_target(request.path_info)
            if target and target != request.path_info:
                return HttpResponsePermanentRedirect(target)
        return response
