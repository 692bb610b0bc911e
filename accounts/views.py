from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe


@require_safe
def profile(request, username):
    user = get_object_or_404(get_user_model(), username=username, is_active=True)
    questions = user.questions.visible().order_by("-created_at")
    answers = user.answers.visible().select_related("question").order_by("-created_at")
    context = {
        "profile": user,
        "questions": questions[:20],
        "question_count": questions.count(),
        "answers": answers[:20],
        "answer_count": answers.count(),
        "accepted_count": answers.filter(is_accepted=True).count(),
        "canonical_url": request.build_absolute_uri(user.get_absolute_url()),
    }
    return render(request, "accounts/profile.html", context)
