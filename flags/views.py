"""Flagging a post or a comment for moderators."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import permissions
from core.ratelimits import limit
from core.views import confirm, get_post

from . import services
from .forms import FlagForm


@login_required
@require_http_methods(["GET", "POST"])
@limit("flag")
def flag(request, pk, model):
    post = get_post(request, model, pk)
    permissions.check(permissions.flag_refusal(request.user, post))
    form = FlagForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.flag_post(
                flagger=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
            return confirm(request, post, _("Thank you. Moderators will look at this post."))
        return render(request, "questions/flag_form.html", {"form": form, "post": post}, status=400)
    return render(request, "questions/flag_form.html", {"form": form, "post": post})
