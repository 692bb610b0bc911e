"""Questions and answers in the moderation console."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from answers.models import Answer
from comments.models import Comment
from moderation import services as moderation
from questions.models import CloseReason, Question
from revisions.models import Revision
from search import index as search_index

from .base import (
    DeletedListFilter,
    PostStateListFilter,
    ReadOnlyAdminMixin,
    SoftDeleteActionsMixin,
    admin_link,
    record_admin_edit,
    report,
    site_link,
)


class RevisionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Revision
    fields = ["number", "editor", "title", "summary", "created_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # str(revision), shown on each row, names its post.
        return super().get_queryset(request).select_related("editor", "question", "answer")


class CommentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Comment
    fields = ["created_at", "author", "body", "deleted_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    ordering = ["created_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class PostAdminForm(forms.ModelForm):
    summary = forms.CharField(
        label=_("Edit summary"),
        max_length=200,
        required=False,
        help_text=_("Kept with the revision that a change to the text adds."),
    )


class PostAdmin(SoftDeleteActionsMixin, admin.ModelAdmin):
    """What the question and answer admins share.

    Posts are written on the site (the services add the first revision and the counters), so
    the admin adds none and never hard-deletes: it soft-deletes and restores.
    """

    form = PostAdminForm
    # Fields whose change makes a new revision, through `revision_services.edit_post`.
    content_fields: list[str] = ["body"]
    actions = ["soft_delete", "restore", "lock", "unlock"]
    raw_id_fields = ["author"]
    show_facets = admin.ShowFacets.ALLOW
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description=_("deleted"), ordering="deleted_at")
    def is_deleted(self, obj):
        return obj.is_deleted

    @admin.display(description=_("state"))
    def state(self, obj):
        states = [
            (obj.is_hidden, _("hidden")),
            (obj.is_locked, _("locked")),
            (getattr(obj, "is_closed", False), _("closed")),
        ]
        return ", ".join(str(label) for on, label in states if on) or "–"

    @admin.display(description=_("on site"))
    def site_link(self, obj):
        return site_link(obj)

    @admin.display(description=_("rendered"))
    def preview(self, obj):
        return mark_safe(obj.body_html)  # sanitized when the post was saved

    def edit_kwargs(self, obj, cleaned_data) -> dict:
        return {"body": cleaned_data["body"]}

    # Fields `save_model` hands to a service instead of saving them itself.
    service_fields: list[str] = []

    def save_model(self, request, obj, form, change):
        """A change to the text goes through `moderation.edit_post` (one new revision,
        edited_at, an audit row); other fields (the author) are saved as they are and logged.
        """
        if not change:
            super().save_model(request, obj, form, change)
            return
        changed = set(form.changed_data) - {"summary"} - set(self.service_fields)
        content = changed & set(self.content_fields)
        if plain := changed - content:
            obj.save(update_fields=sorted(plain))
            search_index.index_post(obj)  # the author, as search shows and filters it
            record_admin_edit(request, obj, plain)
        if content:
            moderation.edit_post(
                moderator=request.user,
                post=obj,
                summary=form.cleaned_data["summary"],
                **self.edit_kwargs(obj, form.cleaned_data),
            )

    @admin.action(
        description=_("Lock selected %(verbose_name_plural)s (no edits, votes or comments)"),
        permissions=["change"],
    )
    def lock(self, request, queryset):
        done = sum(
            moderation.set_locked(moderator=request.user, post=post, locked=True)
            for post in queryset.filter(locked_at__isnull=True)
        )
        report(
            self, request, ngettext("%(count)d post locked.", "%(count)d posts locked.", done), done
        )

    @admin.action(description=_("Unlock selected %(verbose_name_plural)s"), permissions=["change"])
    def unlock(self, request, queryset):
        done = sum(
            moderation.set_locked(moderator=request.user, post=post, locked=False)
            for post in queryset.filter(locked_at__isnull=False)
        )
        report(
            self,
            request,
            ngettext("%(count)d post unlocked.", "%(count)d posts unlocked.", done),
            done,
        )


class QuestionAdminForm(PostAdminForm):
    def clean(self):
        cleaned = super().clean()
        reason, original = cleaned.get("close_reason"), cleaned.get("duplicate_of")
        if reason == CloseReason.DUPLICATE and not original:
            self.add_error("duplicate_of", _("Name the question this one duplicates."))
        if original and original.pk == self.instance.pk:
            self.add_error("duplicate_of", _("A question cannot duplicate itself."))
        return cleaned


def close_action(reason: CloseReason):
    """An admin action closing the selected questions for `reason`."""

    @admin.action(
        # Lazy, so the menu is in each moderator's language.
        description=lazy(
            lambda: gettext("Close selected questions as “%(reason)s”") % {"reason": reason.label},
            str,
        )(),
        permissions=["change"],
    )
    def close(model_admin, request, queryset):
        done = sum(
            moderation.close_question(moderator=request.user, question=question, reason=reason)
            for question in queryset.filter(closed_at__isnull=True)
        )
        report(
            model_admin,
            request,
            ngettext("%(count)d question closed.", "%(count)d questions closed.", done),
            done,
        )

    close.__name__ = f"close_{reason.value.replace('-', '_')}"
    return close


@admin.register(Question)
class QuestionAdmin(PostAdmin):
    form = QuestionAdminForm
    content_fields = ["title", "body", "category", "tags"]
    service_fields = ["close_reason", "duplicate_of"]
    list_display = [
        "title",
        "author",
        "category",
        "score",
        "answers_link",
        "comment_count",
        "created_at",
        "is_deleted",
        "state",
        "site_link",
    ]
    list_select_related = ["author", "category"]
    list_filter = [DeletedListFilter, PostStateListFilter, "close_reason", "category", "created_at"]
    search_fields = ["title", "body", "author__username"]
    autocomplete_fields = ["tags"]
    raw_id_fields = ["author", "duplicate_of"]
    ordering = ["-created_at", "-pk"]
    # Duplicates are closed from the change page, where the original can be picked.
    actions = [
        *PostAdmin.actions,
        *(close_action(reason) for reason in CloseReason if reason != CloseReason.DUPLICATE),
        "reopen",
    ]
    readonly_fields = [
        "preview",
        "score",
        "answer_count",
        "comment_count",
        "created_at",
        "edited_at",
        "last_activity_at",
        "deleted_at",
        "deleted_by",
        "closed_at",
        "closed_by",
        "hidden_at",
        "locked_at",
        "locked_by",
    ]
    fieldsets = [
        (None, {"fields": ["title", "body", "summary", "category", "tags", "author"]}),
        (
            _("Closing"),
            {
                "fields": [("close_reason", "duplicate_of"), ("closed_at", "closed_by")],
                "description": _("Pick a reason to close, or empty it to reopen."),
            },
        ),
        (_("Rendered"), {"fields": ["preview"], "classes": ["collapse"]}),
        (
            _("Stored counters and dates"),
            {
                "fields": [
                    ("score", "answer_count", "comment_count"),
                    ("created_at", "edited_at", "last_activity_at"),
                    ("deleted_at", "deleted_by"),
                    ("hidden_at", "locked_at", "locked_by"),
                ]
            },
        ),
    ]
    inlines = [RevisionInline, CommentInline]

    def save_model(self, request, obj, form, change):
        """Closing and reopening go through the moderation services (and the audit log); a new
        reason or original on a closed question reopens it and closes it again."""
        super().save_model(request, obj, form, change)
        if not (change and set(self.service_fields) & set(form.changed_data)):
            return
        question = Question.objects.get(pk=obj.pk)
        if question.is_closed:
            moderation.reopen_question(moderator=request.user, question=question)
        if reason := form.cleaned_data["close_reason"]:
            moderation.close_question(
                moderator=request.user,
                question=question,
                reason=reason,
                duplicate_of=form.cleaned_data["duplicate_of"],
            )

    @admin.action(description=_("Reopen selected questions"), permissions=["change"])
    def reopen(self, request, queryset):
        done = sum(
            moderation.reopen_question(moderator=request.user, question=question)
            for question in queryset.filter(closed_at__isnull=False)
        )
        report(
            self,
            request,
            ngettext("%(count)d question reopened.", "%(count)d questions reopened.", done),
            done,
        )

    @admin.display(description=_("answers"), ordering="answer_count")
    def answers_link(self, obj):
        url = reverse("admin:answers_answer_changelist")
        query = urlencode({"question__id__exact": obj.pk})
        return format_html('<a href="{}?{}">{}</a>', url, query, obj.answer_count)

    def edit_kwargs(self, obj, cleaned_data):
        return {
            "body": cleaned_data["body"],
            "title": cleaned_data["title"],
            "category": cleaned_data["category"],
            "tags": [tag.name for tag in cleaned_data["tags"]],
        }


@admin.register(Answer)
class AnswerAdmin(PostAdmin):
    list_display = [
        "excerpt",
        "question_link",
        "author",
        "score",
        "comment_count",
        "is_accepted",
        "created_at",
        "is_deleted",
        "state",
        "site_link",
    ]
    list_select_related = ["author", "question"]  # the site link needs the question's slug
    list_filter = [DeletedListFilter, PostStateListFilter, "is_accepted", "created_at"]
    search_fields = ["body", "author__username", "question__title"]
    ordering = ["-created_at", "-pk"]
    # Moving an answer to another question, or accepting it here, would bypass the counters
    # and the reputation that `post_answer` and `accept_answer` keep.
    readonly_fields = [
        "question_link",
        "preview",
        "score",
        "comment_count",
        "is_accepted",
        "accepted_at",
        "created_at",
        "edited_at",
        "deleted_at",
        "deleted_by",
        "hidden_at",
        "locked_at",
        "locked_by",
    ]
    fieldsets = [
        (None, {"fields": ["question_link", "body", "summary", "author"]}),
        (_("Rendered"), {"fields": ["preview"], "classes": ["collapse"]}),
        (
            _("Stored counters and dates"),
            {
                "fields": [
                    ("score", "comment_count"),
                    ("is_accepted", "accepted_at"),
                    ("created_at", "edited_at"),
                    ("deleted_at", "deleted_by"),
                    ("hidden_at", "locked_at", "locked_by"),
                ]
            },
        ),
    ]
    inlines = [RevisionInline, CommentInline]

    @admin.display(description=_("answer"), ordering="body")
    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    @admin.display(description=_("question"), ordering="question__title")
    def question_link(self, obj):
        return admin_link(obj.question)
