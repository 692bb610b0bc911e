"""The inbox, following a question, email settings and one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import permissions
from core.ratelimits import limit
from questions.models import Question, Tag

from . import emails, services
from .forms import EmailPreferencesForm, FollowForm, MarkReadForm
from .models import EmailPreferences

PAGE_SIZE = 20


@require_safe
@login_required
def inbox(request):
    """Newest first, unread ones marked "new". Reading the page changes nothing (a post's
    `<img src="/inbox/">` must not clear anyone's badge): its "Mark these read" and "Mark all
    read" buttons POST. Queries: count, the page."""
    notifications = request.user.notifications.for_inbox()
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = [n.pk for n in page.object_list if n.read_at is None]
    return render(request, "notifications/inbox.html", {"page_obj": page, "unread": unread})


@require_POST
@login_required
def mark_all_read(request):
    """Every unread notification, or only those named by `ids` (the "Mark these read" button
    of one inbox page), then back to that page."""
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("ids are notification numbers."))
    ids = form.cleaned_data["ids"]
    services.mark_read(user=request.user, ids=ids or None)
    if not ids:
        messages.success(request, _("All notifications are marked read."))
    url = reverse("notifications:inbox")
    if (page := form.cleaned_data["page"]) and page > 1:
        url += f"?page={page}"
    return redirect(url)


def _refuse_if_suspended(user) -> None:
    """A suspended member reads but writes nothing, follows included: 403 with the reason."""
    if notice := permissions.block_notice(user):
        raise PermissionDenied(notice)


@require_POST
@login_required
@limit("follow")
def follow(request, pk):
    question = get_object_or_404(Question.objects.select_related("author"), pk=pk)
    if not permissions.can_view(request.user, question):
        raise Http404
    _refuse_if_suspended(request.user)
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


@require_POST
@login_required
@limit("follow")
def follow_tag(request, name):
    tag = get_object_or_404(Tag, name=name)
    _refuse_if_suspended(request.user)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("follow is 1 or 0."))
    following = form.cleaned_data["follow"]
    if following:
        services.follow_tag(user=request.user, tag=tag)
        messages.success(request, _("You follow this tag: its new questions reach your inbox."))
    else:
        services.unfollow_tag(user=request.user, tag=tag)
        messages.info(request, _("You no longer follow this tag."))
    return redirect(tag)


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request):
    # Read, not created: a GET or a refused POST writes nothing (the defaults are the model's).
    preferences = EmailPreferences.objects.filter(user=request.user).first()
    preferences = preferences or EmailPreferences(user=request.user)
    form = EmailPreferencesForm(request.POST or None, instance=preferences)
    if request.method == "POST":
        if form.is_valid():
            EmailPreferences.objects.update_or_create(user=request.user, defaults=form.cleaned_data)
            messages.success(request, _("Your email settings are saved."))
            return redirect("notifications:settings")
        return render(request, "notifications/settings.html", {"form": form}, status=400)
    return render(request, "notifications/settings.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail clients POST it (RFC 8058) without one
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """No login: the signed token names a member and an email switch ("all": every switch).
    GET and HEAD only show what the button would turn off, so a link scanner that fetches the
    link changes nothing; POST (the button, or a mail client's RFC 8058 one-click POST) turns
    it off. Doing it twice changes nothing."""
    try:
        user_id, switch = emails.read_unsubscribe_token(token)
    except signing.BadSignature:
        context = {"invalid": True}
        return render(request, "notifications/unsubscribe.html", context, status=400)
    user = get_object_or_404(get_user_model(), pk=user_id)
    switches = EmailPreferences.kinds() if switch == emails.ALL else [switch]
    labels = [EmailPreferences._meta.get_field(name).verbose_name for name in switches]
    context = {"everything": switch == emails.ALL, "labels": labels, "done": False}
    if request.method == "POST":
        preferences, _created = EmailPreferences.objects.get_or_create(user=user)
        for name in switches:
            setattr(preferences, name, False)
        preferences.save(update_fields=switches)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)
