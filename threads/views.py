"""The thread page, which shows everything a question carries, and the ask page."""

import functools
import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import empty
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import permissions, textrules
from core.fasturls import Absolute
from core.protection import protect_form
from core.ratelimits import limit
from core.views import anchor_of, is_preview, place_messages, preview_html
from moderation import close_votes
from moderation.selectors import attach_close_votes
from pagecache import versions as page_versions
from questions import services
from questions.forms import BodyForm, QuestionForm
from questions.models import CloseReason
from search.views import similar_to_form

from . import fragments, readers, rows, selectors
from .render import ThreadRenderer

RELATED_LIMIT = 5


def qa_page_json_ld(request, question, answers) -> str:
    """schema.org QAPage for a thread, escaped for a <script> element."""
    absolute = Absolute(request)

    def person(user):
        return {"@type": "Person", "name": user.username, "url": absolute(user.get_absolute_url())}

    def answer_ld(answer):
        return {
            "@type": "Answer",
            "text": answer.body,
            "dateCreated": answer.created_at.isoformat(),
            "upvoteCount": answer.score,
            "url": absolute(answer.get_absolute_url()),
            "author": person(answer.author),
        }

    visible = [a for a in answers if not (a.is_deleted or a.is_hidden)]
    accepted = [a for a in visible if a.is_accepted]
    main = {
        "@type": "Question",
        "name": question.title,
        "text": question.body,
        "answerCount": len(visible),
        "upvoteCount": question.score,
        "dateCreated": question.created_at.isoformat(),
        "author": person(question.author),
        "url": absolute(question.get_absolute_url()),
    }
    if accepted:
        main["acceptedAnswer"] = answer_ld(accepted[0])
    suggested = [answer_ld(a) for a in visible if not a.is_accepted]
    if suggested:
        main["suggestedAnswer"] = suggested
    data = {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": main}
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def answer_field() -> str:
    """The answer form's body field (label, textarea, help) as HTML: the same on every thread
    in a language, so rendered once per process and language rather than through the form
    renderer's templates on every member's view (0.7 ms of the demo thread's 9)."""
    label = _("Your answer")
    return _answer_field(get_language(), label, str(BodyForm.base_fields["body"].help_text))


@functools.lru_cache(maxsize=16)
def _answer_field(language: str, label: str, help_text: str) -> str:
    # The sentences are in the key: a catalogue compiled later (in tests) is not missed.
    form = BodyForm()
    form.fields["body"].label = label
    return render_to_string("includes/field.html", {"field": form["body"]})


def _unwrapped(user):
    """The member itself rather than request.user's lazy wrapper, through which each of a
    thread's hundreds of permission checks would reach every attribute."""
    if getattr(user, "_wrapped", None) is empty:
        user._setup()
    return getattr(user, "_wrapped", user)


@require_safe
def question_detail(request, pk, slug=None):
    stamp = fragments.stamp(request, pk)  # before any of the thread's rows (threads.fragments)
    order = request.GET.get("answers", "votes")
    if order not in selectors.ANSWER_ORDERS:
        order = "votes"
    thread = rows.ThreadRows(request, pk, order, stamp)
    question = thread.question
    if not permissions.can_view(request.user, question):
        raise Http404(_("This question was deleted."))
    if slug != question.slug:
        url = question.get_absolute_url()
        if request.GET:  # ?answers=oldest survives the way to the canonical URL
            url = f"{url}?{request.GET.urlencode()}"
        return redirect(url, permanent=True)
    answers = thread.answers()
    # The same for every reader (moderators' extra answers are left out of it too).
    json_ld = {f"json-ld-{order}": lambda: qa_page_json_ld(request, question, answers)}
    shared = fragments.prepare(
        request,
        question,
        [question, *answers],
        stamp,
        related_limit=RELATED_LIMIT,
        whole=json_ld,
    )
    shown = [question, *answers]
    shown += [comment for post in shown for comment in post.visible_comments]
    placed, rest = place_messages(request, {anchor_of(item) for item in shown})
    user = _unwrapped(request.user)
    reader = readers.Reader(user)
    login_next_url = f"{reverse('account_login')}?next={quote(request.path, safe='/')}"
    privileges_url = reverse("accounts:privileges")
    words = readers.words()  # what every post shows alike, translated once
    renderer = ThreadRenderer(
        request,
        user,
        words=words,
        placed=placed,
        login_next_url=login_next_url,
        privileges_url=privileges_url,
        extra={"close_reasons": CloseReason.choices, "close_votes_needed": close_votes.needed()},
    )
    for post in (question, *answers):
        post.reader = reader.facts(post)
    if question.reader.close_votes:  # the count and their own vote, shown to them alone
        attach_close_votes(question, user)
    for post in (question, *answers):
        post.html = renderer.post(post)
    context = {
        "user": user,
        "messages": rest,  # the top of the page: what is about no item shown here
        "placed_messages": placed,  # confirmations shown inside the item they are about
        "question": question,
        "answers": answers,
        "answer_order": order,
        "answer_orders": list(selectors.ANSWER_ORDERS),
        "sidebar": shared["sidebar"],
        "answer_field": answer_field(),
        "json_ld": shared[f"json-ld-{order}"],
        "canonical_url": request.build_absolute_uri(question.get_absolute_url()),
        # The meta and Open Graph description: the question's text, cut to 155 characters.
        "description": Truncator(textrules.html_to_plain(question.body_html)).chars(155),
        "words": words,
        "answers_html": renderer.answers(answers),
        "jump_list": renderer.jump_list(answers) if len(answers) >= 3 else "",
    }
    # An anonymous page kept by the page cache shows these questions' scores and answer counts
    # and these members' reputation: their writes elsewhere make it out of date.
    page_versions.depends_on(
        [page_versions.thread_key(pk) for pk in shared["related_ids"]]
        + [
            page_versions.user_key(pk)
            for pk in {question.author_id, *(answer.author_id for answer in answers)}
        ]
    )
    return render(request, "questions/question_detail.html", context)


def _is_similar_check(request) -> bool:
    return "check_similar" in request.POST


def _is_check_or_preview(request) -> bool:
    return _is_similar_check(request) or is_preview(request)


@login_required
@require_http_methods(["GET", "POST"])
@protect_form(unless=_is_check_or_preview)
@limit("ask", unless=_is_check_or_preview)
@limit("similar_check", unless=lambda request: not _is_similar_check(request))
def ask(request):
    permissions.check(permissions.ask_refusal(request.user))
    if _is_similar_check(request):
        # The no-JavaScript "Check for similar questions" step: the form again, as typed, with
        # the list; nothing saved, no errors shown yet.
        form = QuestionForm(initial=request.POST.dict())
        context = {"form": form, **similar_to_form(request)}
        return render(request, "questions/question_form.html", context)
    form = QuestionForm(request.POST or None)
    if is_preview(request):
        context = {"form": form, "preview_html": preview_html(request)}
        return render(request, "questions/question_form.html", context)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            question = services.ask_question(
                author=request.user,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                category=data["category"],
            )
            messages.success(request, _("Your question is posted."))
            return redirect(question)
        return render(request, "questions/question_form.html", {"form": form}, status=400)
    return render(request, "questions/question_form.html", {"form": form})


@require_POST
@login_required
@limit("preview")
def preview(request):
    """The live preview of static/js/editor.js: the posted `body` rendered and sanitised by the
    same code as the forms' `preview` submit (contract v1.3), as an HTML fragment; nothing is
    saved. Login required and rate limited, so it is no free Markdown service."""
    return HttpResponse(preview_html(request), content_type="text/html; charset=utf-8")
