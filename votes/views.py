"""Voting on posts and accepting answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from answers.models import Answer
from core import permissions
from core.ratelimits import limit
from core.views import confirm, get_post, wants_json

from . import services
from .forms import VoteForm


@require_POST
@login_required
@limit("vote")
def vote(request, pk, model):
    post = get_post(request, model, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("A vote is 1, -1 or 0."))
    value = form.cleaned_data["value"]
    permissions.check(permissions.vote_refusal(request.user, post, value))
    score = services.cast_vote(voter=request.user, post=post, value=value)
    if wants_json(request):
        return JsonResponse({"score": score, "vote": value})
    return redirect(post)


@require_POST
@login_required
@limit("accept")
def accept(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    if not permissions.can_view(request.user, answer):
        raise Http404  # as for every other action: a deleted answer is unknown to others
    permissions.check(permissions.accept_refusal(request.user, answer))
    if services.accept_answer(answer=answer):
        return confirm(request, answer, _("You accepted this answer."))
    return confirm(request, answer, _("The answer is no longer accepted."), messages.INFO)
