"""Pages and actions for questions, and the shared actions any post has (vote, comment, edit,
delete, flag, revisions): one function each, the model passed in by each app's `urls.py`."""

import difflib
import json

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jokesite.protection import protect_form

from . import close_votes, moderation, permissions, review, seo, services
from . import search as fulltext
from .forms import (
    BodyForm,
    CloseForm,
    CloseVoteForm,
    CommentForm,
    EditQuestionForm,
    FlagForm,
    QuestionForm,
    RetagForm,
    VoteForm,
)
from .listing import ListPaginator
from .models import Category, CloseReason, CloseVote, Comment, Question, Tag, TagSynonym
from .ratelimits import limit, limit_reads
from .similar import related_questions, similar_questions

PAGE_SIZE = 20
SORTS = {
    "active": ("-last_activity_at", "-id"),
    "newest": ("-created_at", "-id"),
    "votes": ("-score", "-id"),
    "unanswered": ("-created_at", "-id"),
}
SORT_NAMES = {
    "active": gettext_lazy("Active"),
    "newest": gettext_lazy("Newest"),
    "votes": gettext_lazy("Votes"),
    "unanswered": gettext_lazy("Unanswered"),
}
TAG_PAGE_SIZE = 60
TAG_SORTS = {
    "popular": ("-question_count", "name"),
    "name": ("name",),
    "new": ("-created_at", "-id"),
}
TAG_SORT_NAMES = {
    "popular": gettext_lazy("Popular"),
    "name": gettext_lazy("Name"),
    "new": gettext_lazy("New"),
}
RELATED_LIMIT = 5


def wants_json(request) -> bool:
    preferred = request.get_preferred_type(["text/html", "application/json"])
    return preferred == "application/json"


def deny(privilege: str | None = None):
    """A 403 that says why, in the words the disabled button uses."""
    raise PermissionDenied(permissions.explain(privilege) if privilege else "")


def refuse_if_blocked(user, post=None) -> None:
    """A 403 with the member's suspension (its reason and end) or the post's lock, when one
    of them is why a rule said no; returns otherwise, for the rule's own explanation."""
    if notice := permissions.block_notice(user, post):
        raise PermissionDenied(notice)


def question_listing(request, queryset, *, default_sort="active"):
    """Sort and paginate a question queryset for a list page; returns template context."""
    sort = request.GET.get("sort", default_sort)
    if sort not in SORTS:
        sort = default_sort
    queryset = queryset.visible()
    if sort == "unanswered":
        answer_model = apps.get_model("answers", "Answer")
        answered = answer_model.objects.filter(
            question=OuterRef("pk"), deleted_at__isnull=True
        ).filter(Q(is_accepted=True) | Q(score__gt=0))
        queryset = queryset.filter(~Exists(answered))
    queryset = (
        queryset.order_by(*SORTS[sort])
        .select_related("author", "category")
        .prefetch_related(Prefetch("tags", Tag.objects.order_by("name")))
    )
    page = ListPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "questions": page.object_list, "sort": sort, "sorts": SORTS}
    context["canonical_url"] = seo.listing_canonical_url(request, context, default_sort)
    context["title_suffix"] = seo.listing_title_suffix(context, default_sort, SORT_NAMES)
    return context


@require_safe
def question_list(request):
    context = question_listing(request, Question.objects.all())
    return render(request, "questions/question_list.html", context)


def with_question_counts(queryset):
    """Annotate `question_count`: the visible questions of each tag or category."""
    return queryset.annotate(
        question_count=Count("questions", filter=Q(questions__deleted_at__isnull=True))
    )


@require_safe
def tag_list(request):
    """Tags sorted by `?sort=popular|name|new`, filtered by `?q=` (part of the name)."""
    sort = request.GET.get("sort", "popular")
    if sort not in TAG_SORTS:
        sort = "popular"
    query = " ".join(request.GET.get("q", "").split())[:50]
    tags = with_question_counts(Tag.objects.all())
    if query:
        tags = tags.filter(name__icontains=query)
    page = Paginator(tags.order_by(*TAG_SORTS[sort]), TAG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
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
def tag_detail(request, name):
    tag = Tag.objects.filter(name=name).first()
    if tag is None:
        synonym = get_object_or_404(TagSynonym.objects.select_related("tag"), name=name)
        target = synonym.tag.get_absolute_url()
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    context = question_listing(request, tag.questions.all())
    context["tag"] = tag
    if context["sort"] == "unanswered":
        context["question_count"] = tag.questions.visible().count()
    else:
        context["question_count"] = context["page_obj"].paginator.count
    return render(request, "questions/tag_detail.html", context)


@require_safe
def category_list(request):
    categories = with_question_counts(Category.objects.all()).order_by("name")
    context = {
        "categories": categories,
        "canonical_url": seo.canonical_url(request),
    }
    return render(request, "questions/category_list.html", context)


@require_safe
def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    context = question_listing(request, category.questions.all())
    context["category"] = category
    return render(request, "questions/category_detail.html", context)


def _thread_answers(question, user):
    answers = (
        question.answers.select_related("author")
        .with_comments()
        .with_viewer_votes(user)
        .order_by("-is_accepted", "-score", "created_at", "id")
    )
    if not permissions.is_moderator(user):
        visible = Q(deleted_at__isnull=True, hidden_at__isnull=True)
        if user.is_authenticated:
            visible |= Q(author=user)
        answers = answers.filter(visible)
    return answers


def qa_page_json_ld(request, question, answers) -> str:
    """schema.org QAPage for a thread, escaped for a <script> element."""

    def person(user):
        url = request.build_absolute_uri(user.get_absolute_url())
        return {"@type": "Person", "name": user.username, "url": url}

    def answer_ld(answer):
        return {
            "@type": "Answer",
            "text": answer.body,
            "dateCreated": answer.created_at.isoformat(),
            "upvoteCount": answer.score,
            "url": request.build_absolute_uri(answer.get_absolute_url()),
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
        "url": request.build_absolute_uri(question.get_absolute_url()),
    }
    if accepted:
        main["acceptedAnswer"] = answer_ld(accepted[0])
    suggested = [answer_ld(a) for a in visible if not a.is_accepted]
    if suggested:
        main["suggestedAnswer"] = suggested
    data = {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": main}
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def with_close_votes(queryset, user):
    """Annotate `close_vote_count` (the active close or reopen votes: a question is open or
    closed, so they are all of one kind) and, for a member, `viewer_close_vote` (whether one
    of them is theirs), in the same query."""
    active = CloseVote.objects.active().filter(question=OuterRef("pk"))
    counted = active.order_by().values("question").annotate(n=Count("pk")).values("n")
    queryset = queryset.annotate(close_vote_count=Coalesce(Subquery(counted), Value(0)))
    if user.is_authenticated:
        queryset = queryset.annotate(viewer_close_vote=Exists(active.filter(voter=user)))
    return queryset


@require_safe
def question_detail(request, pk, slug=None):
    question = get_object_or_404(
        with_close_votes(
            Question.objects.select_related("author", "category", "duplicate_of")
            .prefetch_related(Prefetch("tags", Tag.objects.order_by("name")))
            .with_comments()
            .with_viewer_votes(request.user),
            request.user,
        ),
        pk=pk,
    )
    if not permissions.can_view(request.user, question):
        raise Http404(_("This question was deleted."))
    if slug != question.slug:
        return redirect(question, permanent=True)
    answers = list(_thread_answers(question, request.user))
    for answer in answers:
        answer.question = question  # the thread's question: no query per answer
    answer_form = BodyForm()
    answer_form.fields["body"].label = _("Your answer")
    context = {
        "question": question,
        "answers": answers,
        "related_questions": related_questions(question, limit=RELATED_LIMIT),
        "answer_form": answer_form,
        "close_reasons": CloseReason.choices,
        "close_votes_needed": close_votes.needed(),
        "json_ld": qa_page_json_ld(request, question, answers),
        "canonical_url": request.build_absolute_uri(question.get_absolute_url()),
    }
    return render(request, "questions/question_detail.html", context)


def _is_similar_check(request) -> bool:
    return "check_similar" in request.POST


def _similar_to_form(request) -> dict:
    """Context for questions/_similar.html: the questions like the title (and tags) typed so
    far, and whether anything was typed to compare."""
    source = request.POST if request.method == "POST" else request.GET
    title = " ".join(source.get("title", "").split())[:200]
    tags = services.normalize_tags(source.get("tags", "")[:250])[:10]
    if not title and not tags:
        return {"similar": [], "similar_checked": False}
    return {"similar": similar_questions(title, tags=tags), "similar_checked": True}


@login_required
@require_http_methods(["GET", "POST"])
@protect_form(unless=_is_similar_check)
@limit("ask", unless=_is_similar_check)
def ask(request):
    if not permissions.can_ask(request.user):
        refuse_if_blocked(request.user)
        deny()
    if _is_similar_check(request):
        # The no-JavaScript "Check for similar questions" step: the form again, as typed, with
        # the list; nothing saved, no errors shown yet.
        form = QuestionForm(initial=request.POST.dict())
        context = {"form": form, **_similar_to_form(request)}
        return render(request, "questions/question_form.html", context)
    form = QuestionForm(request.POST or None)
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


def _get_post(request, model, pk, *, for_update=True):
    """The post (or comment) addressed by the URL, or 404 when it does not exist or the viewer
    may not see it."""
    queryset = model.objects.select_related("author")
    if model is Comment:
        queryset = queryset.select_related("question", "answer__question")
    elif model is not Question:
        queryset = queryset.select_related("question", "question__author")
    post = get_object_or_404(queryset, pk=pk)
    if not permissions.can_view(request.user, post):
        raise Http404
    return post


@require_POST
@login_required
@limit("vote")
def vote(request, pk, model):
    post = _get_post(request, model, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("A vote is 1, -1 or 0."))
    value = form.cleaned_data["value"]
    if not permissions.can_vote(request.user, post, value):
        refuse_if_blocked(request.user, post)
        if permissions.is_author(request.user, post):
            raise PermissionDenied(_("You cannot vote on your own post."))
        if post.is_deleted:
            raise PermissionDenied(_("This post was deleted."))
        deny(permissions.vote_privilege(value))
    score = services.cast_vote(voter=request.user, post=post, value=value)
    if wants_json(request):
        return JsonResponse({"score": score, "vote": value})
    return redirect(post)


@require_POST
@login_required
@protect_form
@limit("comment")
def comment(request, pk, model):
    post = _get_post(request, model, pk)
    if not permissions.can_comment(request.user, post):
        refuse_if_blocked(request.user, post)
        deny("comment")
    form = CommentForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "post": post}
        return render(request, "questions/comment_form.html", context, status=400)
    new = services.add_comment(author=request.user, post=post, body=form.cleaned_data["body"])
    return redirect(f"{post.get_absolute_url().split('#')[0]}#comment-{new.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@limit("edit")
def edit(request, pk, model, form_class=EditQuestionForm):
    post = _get_post(request, model, pk)
    if not permissions.can_edit(request.user, post):
        refuse_if_blocked(request.user, post)
        if post.is_deleted:
            raise PermissionDenied(_("Only the author and moderators can edit this post."))
        deny("edit_others")
    initial = {"body": post.body}
    if isinstance(post, Question):
        initial.update(
            title=post.title,
            tags=" ".join(post.tag_names()),
            category=post.category.slug if post.category else None,
        )
    form = form_class(request.POST or None, initial=initial)
    template = f"{post._meta.app_label}/{post._meta.model_name}_form.html"
    context = {"form": form, "post": post, "editing": True}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            changes = {
                "body": data["body"],
                "title": data.get("title"),
                "tags": data.get("tags"),
                "category": data.get("category"),
                "summary": data.get("summary", ""),
            }
            # A new title means a new slug: redirect to the post as saved, not as it was.
            if permissions.acts_as_moderator(request.user, post):
                post = moderation.edit_post(moderator=request.user, post=post, **changes)
            else:
                post = services.edit_post(editor=request.user, post=post, **changes)
            messages.success(request, _("Your edit is saved."))
            return redirect(post)
        return render(request, template, context, status=400)
    return render(request, template, context)


@require_POST
@login_required
def delete(request, pk, model):
    post = _get_post(request, model, pk)
    if not permissions.can_delete(request.user, post):
        refuse_if_blocked(request.user, post)
        raise PermissionDenied(_("Only the author and moderators can delete this post."))
    if permissions.acts_as_moderator(request.user, post):
        moderation.soft_delete(moderator=request.user, target=post)
    else:
        services.delete_post(actor=request.user, post=post)
    messages.success(request, _("The post is deleted."))
    if isinstance(post, Question):
        return redirect("home")
    return redirect(post)


def _require_moderator(request, message: str) -> None:
    if not permissions.can_moderate(request.user):
        refuse_if_blocked(request.user)
        raise PermissionDenied(message)


@require_POST
@login_required
def undelete(request, pk, model):
    """Moderators only (an author sees their deleted post but cannot bring it back)."""
    post = _get_post(request, model, pk)
    _require_moderator(request, _("Only moderators can undelete posts."))
    if moderation.undelete(moderator=request.user, target=post):
        messages.success(request, _("The post is back."))
    return redirect(post)


@require_POST
@login_required
def lock(request, pk, model, locked=True):
    post = _get_post(request, model, pk)
    _require_moderator(request, _("Only moderators can lock and unlock posts."))
    if moderation.set_locked(moderator=request.user, post=post, locked=locked):
        done = _("The post is locked.") if locked else _("The post is unlocked.")
        messages.success(request, done)
    return redirect(post)


@login_required
@require_http_methods(["GET", "POST"])
def close(request, pk):
    """The close form (GET), closing (POST). Moderators only; members vote (`close_vote`)."""
    question = _get_post(request, Question, pk)
    _require_moderator(request, _("Only moderators can close questions."))
    if question.is_closed:
        messages.info(request, _("This question is closed already."))
        return redirect(question)
    data = request.POST if request.method == "POST" else None  # an empty POST is bound too
    form = CloseForm(data, question=question)
    context = {"form": form, "question": question}
    if request.method == "POST":
        if form.is_valid():
            moderation.close_question(
                moderator=request.user,
                question=question,
                reason=form.cleaned_data["reason"],
                duplicate_of=form.cleaned_data["duplicate_of"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The question is closed."))
            return redirect(question)
        return render(request, "questions/close_form.html", context, status=400)
    return render(request, "questions/close_form.html", context)


@require_POST
@login_required
def reopen(request, pk):
    question = _get_post(request, Question, pk)
    _require_moderator(request, _("Only moderators can reopen questions."))
    if moderation.reopen_question(moderator=request.user, question=question):
        messages.success(request, _("The question is open again."))
    return redirect(question)


def _refuse_closing_vote(request, question) -> None:
    """The 403 for a close or reopen vote the rules refuse, saying why."""
    refuse_if_blocked(request.user, question)
    if question.is_deleted:
        raise PermissionDenied(_("This question was deleted."))
    if permissions.has_privilege(request.user, "close_reopen"):
        if question.is_closed:
            raise PermissionDenied(_("This question is closed already."))
        raise PermissionDenied(_("This question is open."))
    deny("close_reopen")


def _vote_message(request, outcome, *, done: str) -> None:
    if outcome.done:
        messages.success(request, done)
    else:
        messages.success(
            request,
            _("Your vote is counted (%(n)d of %(needed)d).")
            % {"n": outcome.votes, "needed": close_votes.needed()},
        )


def _retract(request, question):
    refuse_if_blocked(request.user)  # a suspended member writes nothing, retractions included
    if close_votes.retract_vote(voter=request.user, question=question):
        messages.success(request, _("Your vote is taken back."))
    else:
        messages.info(request, _("You have no vote on this question to take back."))
    return redirect(question)


@login_required
@require_http_methods(["GET", "POST"])
def close_vote(request, pk):
    """The close vote form (GET), a vote (POST: `reason`, `duplicate_of` for a duplicate) or
    its retraction (POST `retract`). Members with `close_reopen`; a moderator's vote closes."""
    question = _get_post(request, Question, pk)
    if request.method == "POST" and "retract" in request.POST:
        return _retract(request, question)
    if not permissions.can_vote_close(request.user, question):
        _refuse_closing_vote(request, question)
    data = request.POST if request.method == "POST" else None
    form = CloseVoteForm(data, question=question)
    context = {
        "form": form,
        "question": question,
        "voting": True,
        "close_votes_needed": close_votes.needed(),
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = close_votes.cast_close_vote(
                    voter=request.user,
                    question=question,
                    reason=form.cleaned_data["reason"],
                    duplicate_of=form.cleaned_data["duplicate_of"],
                )
            except close_votes.AlreadyVoted:
                raise PermissionDenied(_("You have voted on this question already.")) from None
            except close_votes.AlreadyDecided:
                messages.info(request, _("Other members decided on this question meanwhile."))
                return redirect(question)
            _vote_message(request, outcome, done=_("The question is closed."))
            return redirect(question)
        return render(request, "questions/close_form.html", context, status=400)
    return render(request, "questions/close_form.html", context)


@require_POST
@login_required
def reopen_vote(request, pk):
    """A reopen vote (or, with `retract`, its retraction) on a closed question."""
    question = _get_post(request, Question, pk)
    if "retract" in request.POST:
        return _retract(request, question)
    if not permissions.can_vote_reopen(request.user, question):
        _refuse_closing_vote(request, question)
    try:
        outcome = close_votes.cast_reopen_vote(voter=request.user, question=question)
    except close_votes.AlreadyVoted:
        raise PermissionDenied(_("You have voted on this question already.")) from None
    except close_votes.AlreadyDecided:
        messages.info(request, _("Other members decided on this question meanwhile."))
        return redirect(question)
    _vote_message(request, outcome, done=_("The question is open again."))
    return redirect(question)


@login_required
@require_http_methods(["GET", "POST"])
@limit("edit")
def retag(request, pk):
    """Change only the tags of a question (field `tags`): members with `edit_tags`, besides
    whoever may edit it. Keeps a revision, as any edit."""
    question = _get_post(request, Question, pk)
    if not permissions.can_retag(request.user, question):
        refuse_if_blocked(request.user, question)
        if question.is_deleted:
            raise PermissionDenied(_("Only the author and moderators can edit this post."))
        deny("edit_tags")
    form = RetagForm(request.POST or None, initial={"tags": " ".join(question.tag_names())})
    context = {"form": form, "question": question}
    if request.method == "POST":
        if form.is_valid():
            changes = {
                "body": question.body,
                "title": question.title,
                "tags": form.cleaned_data["tags"],
                "category": question.category,
                "summary": _("Retagged"),
            }
            if permissions.acts_as_moderator(request.user, question):
                moderation.edit_post(moderator=request.user, post=question, **changes)
            else:
                services.edit_post(editor=request.user, post=question, **changes)
            messages.success(request, _("The tags are saved."))
            return redirect(question)
        return render(request, "questions/retag_form.html", context, status=400)
    return render(request, "questions/retag_form.html", context)


@login_required
@require_safe
def review_queue(request):
    """Posts needing attention, for members with `review`: read-only, with links to act."""
    if not permissions.can_review(request.user):
        deny("review")
    page = Paginator(review.queue(), review.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "items": review.load(page.object_list)}
    return render(request, "questions/review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@limit("flag")
def flag(request, pk, model):
    post = _get_post(request, model, pk)
    if not permissions.can_flag(request.user, post):
        refuse_if_blocked(request.user)
        if permissions.is_author(request.user, post):
            raise PermissionDenied(_("You cannot flag your own post."))
        deny("flag")
    form = FlagForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.flag_post(
                flagger=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
            messages.success(request, _("Thank you. Moderators will look at this post."))
            return redirect(post)
        return render(request, "questions/flag_form.html", {"form": form, "post": post}, status=400)
    return render(request, "questions/flag_form.html", {"form": form, "post": post})


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    """Line diff as (kind, text) pairs, kind in ' ', '+', '-'."""
    lines = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line[:1] in " +-":
            lines.append((line[:1], line[2:]))
    return lines


@require_safe
def revisions(request, pk, model):
    post = _get_post(request, model, pk)
    revs = list(post.revisions.select_related("editor").order_by("number"))
    previous = None
    for rev in revs:
        old_title = previous.title if previous else ""
        old_tags = previous.tags if previous else ""
        rev.title_changed = bool(rev.title) and rev.title != old_title
        rev.tags_changed = rev.tags != old_tags
        rev.diff = _diff(previous.body if previous else "", rev.body)
        previous = rev
    revs.reverse()
    context = {
        "post": post,
        "revisions": revs,
        "can_rollback": permissions.can_rollback(request.user, post),
    }
    return render(request, "questions/revisions.html", context)


@require_POST
@login_required
@limit("edit")
def rollback(request, pk, number, model):
    """Make an earlier revision current again, as a new revision: the author or a moderator."""
    post = _get_post(request, model, pk)
    if not permissions.can_rollback(request.user, post):
        refuse_if_blocked(request.user, post)
        raise PermissionDenied(_("Only the author and moderators can roll back this post."))
    if not post.revisions.filter(number=number).exists():
        raise Http404(_("This post has no such revision."))
    if permissions.acts_as_moderator(request.user, post):
        changed = moderation.rollback_post(moderator=request.user, post=post, number=number)
    else:
        changed = services.rollback_post(editor=request.user, post=post, number=number)
    if changed:
        messages.success(request, _("Rolled back to revision %(n)d.") % {"n": number})
    else:
        messages.info(request, _("Revision %(n)d is the current text already.") % {"n": number})
    post.refresh_from_db()  # a title rolled back means another slug
    return redirect(post)


@require_safe
def search(request):
    """Full-text search over questions and answers (questions/search). Any input is a normal
    page: what cannot be searched gets a message, never an error."""
    query = fulltext.parse_query(request.GET.get("q", ""))
    sort = request.GET.get("sort")
    if sort not in fulltext.SORTS or (sort == "relevance" and not query.parts):
        sort = "relevance" if query.parts else "votes"
    results = fulltext.search(query, sort=sort)
    page = fulltext.ResultPaginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = fulltext.with_snippets(page.object_list, query)
    context = {
        "query": query.text,  # what the header's search box shows, as on every page
        "parsed": query,
        "page_obj": page,
        "results": page.object_list,
        "capped": results.capped,
        "sort": sort,
        "sorts": fulltext.SORTS if query.parts else fulltext.SORTS[1:],
        "limits": {"length": fulltext.MAX_QUERY_LENGTH, "terms": fulltext.MAX_TERMS},
    }
    return render(request, "questions/search.html", context)


@require_safe
@limit_reads("similar")
def similar(request):
    """The similar-questions fragment that static/js/similar.js fetches as the title is typed."""
    return render(request, "questions/_similar.html", _similar_to_form(request))


def home(request):
    return question_list(request)
