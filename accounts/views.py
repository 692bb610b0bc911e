from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from questions import permissions, reputation


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
    }
    return render(request, "accounts/profile.html", context)


def reputation_rules() -> list[tuple[str, int]]:
    """How reputation is earned and lost, in the words of the privileges page."""
    return [
        (_("Your question or answer is voted up"), reputation.UPVOTE_RECEIVED),
        (_("Your question or answer is voted down"), reputation.DOWNVOTE_RECEIVED),
        (_("You vote an answer down"), reputation.DOWNVOTE_ANSWER_GIVEN),
        (_("Your answer is accepted"), reputation.ANSWER_ACCEPTED),
        (_("You accept someone else's answer to your question"), reputation.ACCEPTER),
    ]


@require_safe
def privileges(request):
    """The privilege table from settings, with how far the viewer is from each."""
    user = request.user
    rows = []
    for name in permissions.privileges():
        needed = permissions.threshold(name)
        rows.append(
            {
                "key": name,
                "name": _(permissions.PRIVILEGE_NAMES[name]),
                "description": permissions.PRIVILEGE_DESCRIPTIONS[name],
                "needed": needed,
                "has": permissions.has_privilege(user, name),
                "to_go": max(0, needed - user.reputation) if user.is_authenticated else needed,
            }
        )
    context = {
        "privileges": rows,
        "rules": reputation_rules(),
        "daily_cap": reputation.DAILY_CAP,
        "launch_mode": settings.JOKESITE_LAUNCH_MODE,
        "is_moderator": permissions.is_moderator(user),
    }
    return render(request, "accounts/privileges.html", context)
