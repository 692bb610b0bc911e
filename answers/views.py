from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import permissions
from core.protection import protect_form
from core.ratelimits import limit
from core.views import confirm, is_preview, preview_html
from questions.models import Question

from . import services
from .forms import AnswerForm


@require_POST
@login_required
@protect_form(unless=is_preview)
@limit("answer", unless=is_preview)
def post_answer(request, pk):
    question = get_object_or_404(Question.objects.visible(), pk=pk)
    permissions.check(permissions.answer_refusal(request.user, question))
    form = AnswerForm(request.POST)
    if is_preview(request):
        context = {"form": form, "question": question, "preview_html": preview_html(request)}
        return render(request, "answers/answer_form.html", context)
    if not form.is_valid():
        context = {"form": form, "question": question}
        return render(request, "answers/answer_form.html", context, status=400)
    answer = services.post_answer(
        author=request.user, question=question, body=form.cleaned_data["body"]
    )
    return confirm(request, answer, _("Your answer is posted."))
