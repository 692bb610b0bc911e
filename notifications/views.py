"""The inbox and following a question."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from questions import permissions
from questions.models import Question

from . import services
from .forms import FollowForm

PAGE_SIZE = 20


@require_safe
@login_required
def inbox(request):
    """Newest first; what this page shows is marked read as it is shown (and still marked
    "new" on it). Queries: count, the page, the update."""
    notifications = request.user.notifications.for_inbox()
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = [n.pk for n in page.object_list if n.read_at is None]
    if unread:
        services.mark_read(user=request.user, ids=unread)
    return render(request, "notifications/inbox.html", {"page_obj": page})


@require_POST
@login_required
def mark_all_read(request):
    services.mark_read(user=request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:inbox")


@require_POST
@login_required
def follow(request, pk):
    question = get_object_or_404(Question.objects.select_related("author"), pk=pk)
    if not permissions.can_view(request.user, question):
        raise Http404
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("follow is 1 or 0."))
    following = form.cleaned_data["follow"]
    if following:
        services.follow(user=request.user, question=question)
    else:
        services.unfollow(user=request.user, question=question)
    preferred = request.get_preferred_type(["text/html", "application/json"])
    if preferred == "application/json":
        return JsonResponse({"following": following})
    if following:
        messages.success(request, _("You follow this question: its activity reaches your inbox."))
    else:
        messages.info(request, _("You no longer follow this question."))
    return redirect(question)
