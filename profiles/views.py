import functools
from datetime import UTC

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import themes
from accounts.models import Theme
from core import permissions
from core.statements import Statement
from pagecache.fragments import lists_fragments
from votes import reputation
from votes.models import ReputationEvent, ReputationReason

from . import charts, selectors
from .forms import ProfileForm

HISTORY_DAYS = 90
RECENT_EVENTS = 20
# Rows in which the member's own post (or the question they asked) is the subject; the others
# (the cost of downvoting, refunds of it) would tell everyone how the member voted.
_PUBLIC_POST_REASONS = set(ReputationReason) - {ReputationReason.DOWNVOTED_ANSWER}
# The ledger rows' posts are shown as links: their bodies (kilobytes each, compressed out of
# line) are not read.
_POST_BODIES = [
    f"{post}__{field}"
    for post in ("question", "answer", "answer__question")
    for field in ("body", "body_html")
]


# The latest ledger rows with their posts: compiled once (core.statements), and prepared on
# PostgreSQL, which spent 3.6 ms planning this five-table join and 1.6 ms running it at 1 M.
_LEDGER = Statement(
    ReputationEvent,
    lambda user_id: (
        ReputationEvent.objects.filter(user_id=user_id)
        .select_related("question", "answer__question")
        .defer(*_POST_BODIES)
        .order_by("-created_at", "-pk")[:RECENT_EVENTS]
    ),
)


def _shown_post(event, profile, viewer):
    """The post a ledger row links to on `profile`'s page for `viewer`, or None."""
    post = event.post
    if post is None:
        return None
    question = post if event.question_id else post.question
    if viewer.pk != profile.pk:
        asked = event.answer_id and question.author_id == profile.pk
        if event.reason not in _PUBLIC_POST_REASONS or not (post.author_id == profile.pk or asked):
            return None
    if not (permissions.can_view(viewer, post) and permissions.can_view(viewer, question)):
        return None
    return post


def milestones(*, firsts: dict, reached: dict) -> list[dict]:
    """Badge-worthy moments, worked out from the member's posts and reputation history."""

    def moment(name, when=None, done=None, progress=None):
        return {
            "name": name,
            "when": when,
            "done": bool(when) if done is None else done,
            "progress": progress,
        }

    upvoted = firsts["upvoted"]
    return [
        moment(_("First question"), firsts["first_question"]),
        moment(_("First answer"), firsts["first_answer"]),
        moment(_("First accepted answer"), firsts["first_accepted"]),
        moment(_("An answer scored 10 or more"), done=firsts["nice"]),
        moment(
            _("10 answers voted up"),
            done=upvoted >= 10,
            progress=None if upvoted >= 10 else f"{upvoted}/10",
        ),
        moment(_("100 reputation"), reached[100]),
        moment(_("1,000 reputation"), reached[1000]),
    ]


@require_safe
@lists_fragments
def profile(request, username):
    """A member's reputation and where it came from (a 90-day chart and the latest ledger
    rows), their posts and milestones: a fixed number of queries, none of which reads the
    member's whole history (`profiles.selectors`)."""
    user = get_object_or_404(selectors.members_with_totals(), username=username)
    today = timezone.now().astimezone(UTC).date()

    # The chart and the milestones are the same for every reader: `{% shared %}` blocks, so
    # their rows are read only when a block is rendered (the template calls these once).
    @functools.cache
    def ledger():  # the chart's days and the milestones' first ledger rows: one query
        return selectors.ledger_reads(user, today, HISTORY_DAYS)

    @functools.cache
    def chart():
        daily = ledger()[0]
        return charts.line_chart(
            charts.last_days(charts.running_totals(daily), today, HISTORY_DAYS)
        )

    @functools.cache
    def shown_milestones():
        reached = selectors.first_days_reaching(user, (100, 1000), first=ledger()[1])
        return milestones(firsts=selectors.firsts(user), reached=reached)

    events = _LEDGER.rows(user.pk)
    for event in events:
        event.shown_post = _shown_post(event, user, request.user)
    questions = user.questions.visible()
    answers = user.answers.visible()
    context = {
        "profile": user,
        "questions": questions.order_by("-created_at")[:20],
        "question_count": user.n_questions,
        "answers": answers.select_related("question").order_by("-created_at")[:20],
        "answer_count": user.n_answers,
        "accepted_count": user.n_accepted,
        "chart": chart,
        "history_days": HISTORY_DAYS,
        "events": events,
        "milestones": shown_milestones,
        "canonical_url": request.build_absolute_uri(user.get_absolute_url()),
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


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    """The member's own profile: display name, about, avatar, colours."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            messages.success(request, _("Your profile is saved."))
            response = redirect(user)
            themes.remember(response, user.theme)
            return response
        return render(request, "accounts/profile_form.html", {"form": form}, status=400)
    return render(request, "accounts/profile_form.html", {"form": form})


@csrf_exempt
@require_POST
def set_theme(request):
    """Light, dark or the device's setting, from the toggle every page carries (a plain form,
    no JavaScript needed): saved on the member's account and in a cookie, then back to `next`.

    Like choosing a language, it needs no CSRF token, so anonymous pages carry none; a forged
    POST can change no more than the colours.
    """
    theme = request.POST.get("theme", "")
    if theme not in Theme.values:
        return HttpResponseBadRequest(_("Unknown theme."))
    if request.user.is_authenticated and request.user.theme != theme:
        request.user.theme = theme
        request.user.save(update_fields=["theme"])
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # A URL, never a view name: redirect("!") would try to reverse it and fail with a 500.
    response = HttpResponseRedirect(target if safe else "/")
    themes.remember(response, theme)
    return response
