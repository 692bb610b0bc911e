"""Editing, retagging, a post's revision history and rolling back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import permissions
from core.ratelimits import limit
from core.views import confirm, get_post, is_preview, preview_html
from questions.forms import EditQuestionForm
from questions.models import Question

from . import history, services
from .diffs import word_diff
from .forms import RetagForm


@login_required
@require_http_methods(["GET", "POST"])
@limit("edit", unless=is_preview)
def edit(request, pk, model, form_class=EditQuestionForm):
    post = get_post(request, model, pk)
    # Whom `edit_refusal` turns away only for lack of `edit_others` suggests an edit instead.
    suggesting = permissions.can_suggest_edit(request.user, post)
    if not suggesting:
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
    context = {"form": form, "post": post, "editing": True, "suggesting": suggesting}
    if is_preview(request):
        return render(request, template, {**context, "preview_html": preview_html(request)})
    if request.method == "POST":
        if form.is_valid() and suggesting:
            return _suggest(request, post, form.cleaned_data)
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
            return confirm(request, post, _("Your edit is saved."))
        return render(request, template, context, status=400)
    return render(request, template, context)


def _suggest(request, post, data):
    """Keep the edit as a suggestion for review; the post is unchanged (302 to it)."""
    try:
        suggestion = services.suggest_edit(
            suggester=request.user,
            post=post,
            body=data["body"],
            title=data.get("title"),
            tags=data.get("tags"),
            summary=data.get("summary", ""),
        )
    except services.SuggestionPending:
        text = _("This post has a suggested edit waiting for review already; try again later.")
        return confirm(request, post, text, messages.INFO)
    if suggestion is None:
        text = _("Your edit changes nothing, so nothing was suggested.")
        return confirm(request, post, text, messages.INFO)
    text = _("Thank you: your edit is suggested and shows once a reviewer approves it.")
    return confirm(request, post, text)


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
            with transaction.atomic():
                # Lock, then reread: an edit that committed since this request read the
                # question keeps its body and title.
                question = Question.objects.select_for_update().get(pk=question.pk)
                changes = {
                    "body": question.body,
                    "title": question.title,
                    "tags": form.cleaned_data["tags"],
                    "category": question.category,
                    "summary": _("Retagged"),
                }
                services.edit_post(editor=request.user, post=question, **changes)
            return confirm(request, question, _("The tags are saved."))
        return render(request, "questions/retag_form.html", context, status=400)
    return render(request, "questions/retag_form.html", context)


def suggestion_diff(suggestion) -> dict:
    """What a suggested edit changes: title and tags (old, new) and a word diff of the body
    (`diffs.word_diff`: bounded work, unchanged lines folded)."""
    post = suggestion.post
    diff = {"body": word_diff(post.body, suggestion.body).ops}
    if isinstance(post, Question):
        tags = " ".join(post.tag_names())
        if suggestion.title and suggestion.title != post.title:
            diff["title"] = (post.title, suggestion.title)
        if suggestion.tags and sorted(suggestion.tags.split()) != sorted(tags.split()):
            diff["tags"] = (tags, suggestion.tags)
    return diff


@require_safe
def revisions(request, pk, model):
    post = get_post(request, model, pk)
    moderator = permissions.is_moderator(request.user)
    page = history.revision_page(post, request.GET.get("page"), moderator=moderator)
    context = {
        "post": post,
        "page_obj": page,
        "revisions": page.object_list,
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
    post.refresh_from_db()  # a title rolled back means another slug
    if changed:
        return confirm(request, post, _("Rolled back to revision %(n)d.") % {"n": number})
    text = _("Revision %(n)d is the current text already.") % {"n": number}
    return confirm(request, post, text, messages.INFO)
