from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from questions.admin import (
    CommentInline,
    DeletedListFilter,
    PostAdmin,
    PostStateListFilter,
    RevisionInline,
    admin_link,
)

from .models import Answer


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
