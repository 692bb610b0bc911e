"""What moderators do on the site (delete, lock, close) and what members with the privileges
do (close and reopen votes, the review queue)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import permissions
from core.views import get_post
from questions.models import Question

from . import close_votes, review
from . import services as moderation
from .forms import CloseForm, CloseVoteForm


@require_POST
@login_required
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
def undelete(request, pk, model):
    """Moderators only (an author sees their deleted post but cannot bring it back)."""
    post = get_post(request, model, pk)
    permissions.check(permissions.moderate_refusal(request.user, "undelete"))
    if moderation.undelete(moderator=request.user, target=post):
        messages.success(request, _("The post is back."))
    return redirect(post)


@require_POST
@login_required
def lock(request, pk, model, locked=True):
    post = get_post(request, model, pk)
    permissions.check(permissions.moderate_refusal(request.user, "lock"))
    if moderation.set_locked(moderator=request.user, post=post, locked=locked):
        done = _("The post is locked.") if locked else _("The post is unlocked.")
        messages.success(request, done)
    return redirect(post)


@login_required
@require_http_methods(["GET", "POST"])
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
    """Posts needing attention, for members with `review`: read-only, with links to act."""
    permissions.check(permissions.review_refusal(request.user))
    page = Paginator(review.queue(), review.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "items": review.load(page.object_list)}
    return render(request, "questions/review.html", context)
