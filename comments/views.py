"""Commenting on a post."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import permissions
from core.protection import protect_form
from core.ratelimits import limit
from core.views import confirm, get_post

from . import services
from .forms import CommentForm


@require_POST
@login_required
@protect_form
@limit("comment")
def comment(request, pk, model):
    post = get_post(request, model, pk)
    permissions.check(permissions.comment_refusal(request.user, post))
    form = CommentForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "post": post}
        return render(request, "questions/comment_form.html", context, status=400)
    new = services.add_comment(author=request.user, post=post, body=form.cleaned_data["body"])
    return confirm(request, new, _("Your comment is posted."))
