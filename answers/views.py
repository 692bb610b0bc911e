from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jokesite.protection import protect_form
from questions import permissions
from questions.models import Question
from questions.ratelimits import limit
from questions.views import refuse_if_blocked

from . import services
from .forms import AnswerForm
from .models import Answer


@require_POST
@login_required
@protect_form
@limit("answer")
def post_answer(request, pk):
    question = get_object_or_404(Question.objects.visible(), pk=pk)
    if not permissions.can_answer(request.user, question):
        refuse_if_blocked(request.user, question)
        if question.is_closed:
            raise PermissionDenied(permissions.closed_notice())
        raise PermissionDenied(_("You cannot answer this question."))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "question": question}
        return render(request, "answers/answer_form.html", context, status=400)
    answer = services.post_answer(
        author=request.user, question=question, body=form.cleaned_data["body"]
    )
    messages.success(request, _("Your answer is posted."))
    return redirect(answer)


@require_POST
@login_required
@limit("accept")
def accept(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    if not permissions.can_view(request.user, answer):
        raise Http404  # as for every other action: a deleted answer is unknown to others
    if not permissions.can_accept(request.user, answer):
        refuse_if_blocked(request.user)
        raise PermissionDenied(_("Only the person who asked can accept an answer."))
    accepted = services.accept_answer(answer=answer)
    if accepted:
        messages.success(request, _("You accepted this answer."))
    else:
        messages.info(request, _("The answer is no longer accepted."))
    return redirect(answer)
