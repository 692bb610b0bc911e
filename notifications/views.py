"""The inbox, following a question, email settings and one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import permissions
from questions.models import Question, Tag

from . import emails, services
from .forms import EmailPreferencesForm, FollowForm
from .models import EmailPreferences

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


@require_POST
@login_required
def follow_tag(request, name):
    tag = get_object_or_404(Tag, name=name)
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
    preferences, _created = EmailPreferences.objects.get_or_create(user=request.user)
    form = EmailPreferencesForm(request.POST or None, instance=preferences)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your email settings are saved."))
            return redirect("notifications:settings")
        return render(request, "notifications/settings.html", {"form": form}, status=400)
    return render(request, "notifications/settings.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail clients POST it (RFC 8058) without one
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """One click, no login: turns off the email switch named in the signed token ("all" turns
    off every switch). Doing it twice changes nothing."""
    try:
        user_id, switch = emails.read_unsubscribe_token(token)
    except signing.BadSignature:
        context = {"invalid": True}
        return render(request, "notifications/unsubscribe.html", context, status=400)
    user = get_object_or_404(get_user_model(), pk=user_id)
    preferences, _created = EmailPreferences.objects.get_or_create(user=user)
    switches = EmailPreferences.kinds() if switch == emails.ALL else [switch]
    for name in switches:
        setattr(preferences, name, False)
    preferences.save(update_fields=switches)
    labels = [EmailPreferences._meta.get_field(name).verbose_name for name in switches]
    context = {"everything": switch == emails.ALL, "labels": labels}
    return render(request, "notifications/unsubscribe.html", context)
