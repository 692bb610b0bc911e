"""Editing, retagging, a post's revision history and rolling back."""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import permissions
from core.ratelimits import limit
from core.views import get_post
from questions.forms import EditQuestionForm
from questions.models import Question

from . import services
from .forms import RetagForm


@login_required
@require_http_methods(["GET", "POST"])
@limit("edit")
def edit(request, pk, model, form_class=EditQuestionForm):
    post = get_post(request, model, pk)
    permissions.check(permissions.edit_refusal(request.user, post))
    initial = {"body": post.body}
    if isinstance(post, Question):
        initial.update(
            title=post.title,
            tags=" ".join(post.tag_names()),
            category=post.category.slug if post.category else None,
        )
    form = form_class(request.POST or None, initial=initial)
    template = f"{post._meta.app_label}/{post._meta.model_name}_form.html"
    context = {"form": form, "post": post, "editing": True}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            changes = {
                "body": data["body"],
                "title": data.get("title"),
                "tags": data.get("tags"),
                "category": data.get("category"),
                "summary": data.get("summary", ""),
            }
            # A new title means a new slug: redirect to the post as saved, not as it was.
            post = services.edit_post(editor=request.user, post=post, **changes)
            messages.success(request, _("Your edit is saved."))
            return redirect(post)
        return render(request, template, context, status=400)
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
@limit("edit")
def retag(request, pk):
    """Change only the tags of a question (field `tags`): members with `edit_tags`, besides
    whoever may edit it. Keeps a revision, as any edit."""
    question = get_post(request, Question, pk)
    permissions.check(permissions.retag_refusal(request.user, question))
    form = RetagForm(request.POST or None, initial={"tags": " ".join(question.tag_names())})
    context = {"form": form, "question": question}
    if request.method == "POST":
        if form.is_valid():
            changes = {
                "body": question.body,
                "title": question.title,
                "tags": form.cleaned_data["tags"],
                "category": question.category,
                "summary": _("Retagged"),
            }
            services.edit_post(editor=request.user, post=question, **changes)
            messages.success(request, _("The tags are saved."))
            return redirect(question)
        return render(request, "questions/retag_form.html", context, status=400)
    return render(request, "questions/retag_form.html", context)


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    """Line diff as (kind, text) pairs, kind in ' ', '+', '-'."""
    lines = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line[:1] in " +-":
            lines.append((line[:1], line[2:]))
    return lines


@require_safe
def revisions(request, pk, model):
    post = get_post(request, model, pk)
    revs = list(post.revisions.select_related("editor").order_by("number"))
    previous = None
    for rev in revs:
        old_title = previous.title if previous else ""
        old_tags = previous.tags if previous else ""
        rev.title_changed = bool(rev.title) and rev.title != old_title
        rev.tags_changed = rev.tags != old_tags
        rev.diff = _diff(previous.body if previous else "", rev.body)
        previous = rev
    revs.reverse()
    context = {
        "post": post,
        "revisions": revs,
        "can_rollback": permissions.can_rollback(request.user, post),
    }
    return render(request, "questions/revisions.html", context)


@require_POST
@login_required
@limit("edit")
def rollback(request, pk, number, model):
    """Make an earlier revision current again, as a new revision: the author or a moderator."""
    post = get_post(request, model, pk)
    permissions.check(permissions.rollback_refusal(request.user, post))
    if not post.revisions.filter(number=number).exists():
        raise Http404(_("This post has no such revision."))
    changed = services.rollback_post(editor=request.user, post=post, number=number) is not None
    if changed:
        messages.success(request, _("Rolled back to revision %(n)d.") % {"n": number})
    else:
        messages.info(request, _("Revision %(n)d is the current text already.") % {"n": number})
    post.refresh_from_db()  # a title rolled back means another slug
    return redirect(post)
