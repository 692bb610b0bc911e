"""What moderators do on the site (delete, lock, close) and what members with the privileges
do (close and reopen votes, the review queue)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from answers.forms import EditAnswerForm
from answers.models import Answer
from core import permissions
from core.ratelimits import limit
from core.views import get_post, is_preview, preview_html
from questions.forms import EditQuestionForm
from questions.models import Question
from revisions import services as revision_services
from revisions.models import SuggestedEdit
from revisions.views import suggestion_diff

from . import close_votes, review, suggestions
from . import services as moderation
from .forms import CloseForm, CloseVoteForm
from .models import ReviewDecisionKind, ReviewQueue


@require_POST
@login_required
@limit("delete")
def delete(request, pk, model):
    post = get_post(request, model, pk)
    permissions.check(permissions.delete_refusal(request.user, post))
    if permissions.acts_as_moderator(request.user, post):
        moderation.soft_delete(moderator=request.user, target=post)
    else:
        moderation.delete_post(actor=request.user, post=post)
    messages.success(request, _("The post is deleted."))
    if isinstance(post, Question):
        return redirect("home")
    return redirect(post)


@require_POST
@login_required
@limit("moderate")
def undelete(request, pk, model):
    """Moderators only (an author sees their deleted post but cannot bring it back)."""
    post = get_post(request, model, pk)
    permissions.check(permissions.moderate_refusal(request.user, "undelete"))
    if moderation.undelete(moderator=request.user, target=post):
        messages.success(request, _("The post is back."))
    return redirect(post)


@require_POST
@login_required
@limit("moderate")
def lock(request, pk, model, locked=True):
    post = get_post(request, model, pk)
    permissions.check(permissions.moderate_refusal(request.user, "lock"))
    if moderation.set_locked(moderator=request.user, post=post, locked=locked):
        done = _("The post is locked.") if locked else _("The post is unlocked.")
        messages.success(request, done)
    return redirect(post)


@login_required
@require_http_methods(["GET", "POST"])
@limit("close")
def close(request, pk):
    """The close form (GET), closing (POST). Moderators only; members vote (`close_vote`)."""
    question = get_post(request, Question, pk)
    permissions.check(permissions.moderate_refusal(request.user, "close"))
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
@limit("close")
def reopen(request, pk):
    question = get_post(request, Question, pk)
    permissions.check(permissions.moderate_refusal(request.user, "reopen"))
    if moderation.reopen_question(moderator=request.user, question=question):
        messages.success(request, _("The question is open again."))
    return redirect(question)


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
    # A suspended member writes nothing, retractions included.
    permissions.check(permissions.block_notice(request.user) or None)
    if close_votes.retract_vote(voter=request.user, question=question):
        messages.success(request, _("Your vote is taken back."))
    else:
        messages.info(request, _("You have no vote on this question to take back."))
    return redirect(question)


@login_required
@require_http_methods(["GET", "POST"])
@limit("close")
def close_vote(request, pk):
    """The close vote form (GET), a vote (POST: `reason`, `duplicate_of` for a duplicate) or
    its retraction (POST `retract`). Members with `close_reopen`; a moderator's vote closes."""
    question = get_post(request, Question, pk)
    if request.method == "POST" and "retract" in request.POST:
        return _retract(request, question)
    permissions.check(permissions.vote_close_refusal(request.user, question))
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
@limit("close")
def reopen_vote(request, pk):
    """A reopen vote (or, with `retract`, its retraction) on a closed question."""
    question = get_post(request, Question, pk)
    if "retract" in request.POST:
        return _retract(request, question)
    permissions.check(permissions.vote_reopen_refusal(request.user, question))
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
@require_safe
def review_queue(request):
    """The review queues, for members with `review`: each queue's oldest items open to this
    reviewer, each with its post and the decisions the queue offers. `?queue=` shows one."""
    permissions.check(permissions.review_refusal(request.user))
    chosen = request.GET.get("queue")
    queues = []
    for queue in ReviewQueue:
        if chosen and chosen != queue:
            continue
        size = review.PAGE_SIZE * 4 if chosen else review.PAGE_SIZE
        items, total = review.page(queue, request.user, size=size)
        for item in items:
            if item.suggestion_id:
                item.diff = suggestion_diff(item.suggestion)
        queues.append({"queue": queue, "label": queue.label, "items": items, "total": total})
    context = {
        "queues": queues,
        "chosen": chosen,
        "all_queues": ReviewQueue,
        "can_decide": permissions.can_decide_review(request.user),
        "needed": review.needed(),
    }
    return render(request, "moderation/review.html", context)


TARGETS = {"question": Question, "answer": Answer, "suggestion": SuggestedEdit}


def _decision_refusal(user, queue, target, decision):
    """The rule a decision needs beyond `review_decision_refusal`."""
    post = target.post if isinstance(target, SuggestedEdit) else target
    if decision in (ReviewDecisionKind.APPROVE, ReviewDecisionKind.REJECT):
        return permissions.review_suggestion_refusal(user, target)
    if decision == ReviewDecisionKind.CLOSE:
        return permissions.vote_close_refusal(user, post)
    if decision == ReviewDecisionKind.REOPEN:
        return permissions.vote_reopen_refusal(user, post)
    return None


@require_POST
@login_required
@limit("review")
def review_decide(request, queue, kind, pk):
    """One reviewer's decision (`decision`) on one item; Edit, Flag and Close (outside the close
    votes queue) go on to their form. Back to the queue with a message otherwise."""
    permissions.check(permissions.review_decision_refusal(request.user))
    if queue not in ReviewQueue.values or kind not in TARGETS:
        raise Http404
    target = get_object_or_404(TARGETS[kind], pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in review.offered(queue, kind):
        return HttpResponseBadRequest(_("Choose one of the decisions this queue offers."))
    reason = request.POST.get("reason", "").strip()[:300]
    if decision == ReviewDecisionKind.REJECT and not reason:
        messages.error(request, _("Say why you reject the suggested edit."))
        return redirect(f"{reverse('questions:review')}?queue={queue}")
    permissions.check(_decision_refusal(request.user, queue, target, decision))
    if decision == ReviewDecisionKind.IMPROVE:
        # A form of its own; the decision is recorded when the improved edit is saved.
        return redirect("questions:improve_suggestion", pk=target.pk)
    return _decide(request, queue, target, decision, reason)


OUTDATED = gettext_lazy(
    "The post was edited after this suggestion was made, so approving it would overwrite that "
    "edit. Reject it, or improve it into an edit of the current post."
)


def _decide(request, queue, target, decision, reason, changes=None):
    back = f"{reverse('questions:review')}?queue={queue}"
    try:
        review.decide(
            reviewer=request.user,
            queue=queue,
            target=target,
            decision=decision,
            reason=reason,
            changes=changes,
        )
    except (review.ReviewClosed, suggestions.AlreadyReviewed, close_votes.AlreadyDecided):
        messages.info(request, _("Another reviewer finished this item first."))
        return redirect(back)
    except suggestions.Outdated:
        messages.error(request, OUTDATED)
        return redirect(back)
    except close_votes.AlreadyVoted:
        messages.info(request, _("You have voted on this question already."))
        return redirect(back)
    post = target.post if isinstance(target, SuggestedEdit) else target
    form = review.FORMS.get(decision)
    if form and not (decision == ReviewDecisionKind.CLOSE and queue == ReviewQueue.CLOSE_VOTES):
        return redirect(getattr(post, form)())
    messages.success(
        request,
        _("Your review is saved: %(decision)s.") % {"decision": ReviewDecisionKind(decision).label},
    )
    return redirect(back)


def _suggestion_view(decision):
    @require_POST
    @login_required
    @limit("review")
    def view(request, pk):
        suggestion = get_object_or_404(SuggestedEdit, pk=pk)
        permissions.check(permissions.review_suggestion_refusal(request.user, suggestion))
        reason = request.POST.get("reason", "").strip()[:300]
        if decision == ReviewDecisionKind.REJECT and not reason:
            return HttpResponseBadRequest(_("Say why you reject the suggested edit."))
        return _decide(request, ReviewQueue.SUGGESTED_EDITS, suggestion, decision, reason)

    view.__name__ = f"suggestion_{decision}"
    view.__doc__ = f"POST /suggested-edits/<id>/{decision}/ (contract): as the review queue's."
    return view


approve_suggestion = _suggestion_view(ReviewDecisionKind.APPROVE)
reject_suggestion = _suggestion_view(ReviewDecisionKind.REJECT)


@login_required
@require_http_methods(["GET", "POST"])
@limit("review", unless=is_preview)
def improve_suggestion(request, pk):
    """Stack Overflow's "Improve edit": the edit form filled with the suggested text (GET);
    saving it (POST, the edit form's fields) approves the suggestion as the reviewer rewrote
    it (`suggestions.improve`). For whoever may both review the suggestion and edit the post."""
    suggestion = get_object_or_404(SuggestedEdit.objects.select_related("suggester"), pk=pk)
    post = suggestion.post
    permissions.check(permissions.review_suggestion_refusal(request.user, suggestion))
    permissions.check(permissions.edit_refusal(request.user, post))
    back = f"{reverse('questions:review')}?queue={ReviewQueue.SUGGESTED_EDITS}"
    if not suggestion.is_pending:
        messages.info(request, _("Another reviewer finished this item first."))
        return redirect(back)
    is_question = isinstance(post, Question)
    initial = {"body": suggestion.body, "summary": suggestion.summary}
    if is_question:
        initial.update(
            title=suggestion.title or post.title,
            tags=suggestion.tags or " ".join(post.tag_names()),
            category=post.category.slug if post.category else None,
        )
    form_class = EditQuestionForm if is_question else EditAnswerForm
    form = form_class(request.POST or None, initial=initial)
    template = f"{post._meta.app_label}/{post._meta.model_name}_form.html"
    context = {
        "form": form,
        "post": post,
        "editing": True,
        "improving": suggestion,
        "diff": suggestion_diff(suggestion),
        "outdated": suggestion.is_outdated(revision_services.newest_revision(post)),
    }
    if is_preview(request):
        return render(request, template, {**context, "preview_html": preview_html(request)})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            changes = {"body": data["body"], "summary": data.get("summary", "")}
            if is_question:
                changes.update(title=data["title"], tags=data["tags"], category=data["category"])
            try:
                return _decide(
                    request,
                    ReviewQueue.SUGGESTED_EDITS,
                    suggestion,
                    ReviewDecisionKind.IMPROVE,
                    "",
                    changes=changes,
                )
            except suggestions.NothingChanged:
                form.add_error(
                    None,
                    _(
                        "Your edit leaves the post as it is, so there is nothing to approve: "
                        "change the text, or reject the suggestion."
                    ),
                )
        return render(request, template, context, status=400)
    return render(request, template, context)


@login_required
@require_safe
def review_history(request):
    """A member's review decisions: one's own, or (moderators) anyone's via `?member=`."""
    member = request.user
    name = request.GET.get("member")
    if name and name != request.user.username:
        permissions.check(permissions.moderate_refusal(request.user))
        member = get_object_or_404(get_user_model(), username=name)
    elif permissions.review_refusal(request.user) and not member.review_decisions.exists():
        permissions.check(permissions.review_refusal(request.user))
    page = Paginator(review.history(member), 50).get_page(request.GET.get("page"))
    moderator = permissions.is_moderator(request.user)
    for row in page.object_list:
        # A deleted post (or an answer of a deleted question) keeps its title from members.
        row.gone = not moderator and permissions.is_gone(row.post)
    context = {"member": member, "page_obj": page, "decisions": page.object_list}
    return render(request, "moderation/review_history.html", context)
