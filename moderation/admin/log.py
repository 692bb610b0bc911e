"""What only the services write, to read: votes, revisions and the moderation log."""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import permissions
from moderation import services as moderation
from moderation.models import ModerationAction
from revisions.models import Revision
from votes.models import Vote

from .base import (
    PostKindListFilter,
    ReadOnlyAdminMixin,
    admin_link,
    report,
)


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Votes move scores and reputation: only `cast_vote` writes them."""

    list_display = ["voter", "value", "post_link", "created_at"]
    list_select_related = ["voter", "question", "answer"]
    list_filter = ["value", PostKindListFilter, "created_at"]
    search_fields = ["voter__username"]
    ordering = ["-created_at", "-pk"]
    fields = ["voter", "value", "post_link", "created_at"]
    readonly_fields = fields
    show_facets = admin.ShowFacets.ALLOW
    list_per_page = 50

    @admin.display(description=_("post"))
    def post_link(self, obj):
        return admin_link(obj.post)


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A post's history: written by the services, never changed afterwards."""

    list_display = ["post_link", "number", "editor", "summary", "created_at", "redacted_at"]
    list_select_related = ["editor", "question", "answer"]
    list_filter = [PostKindListFilter, "created_at", ("redacted_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body", "summary", "editor__username"]
    ordering = ["-created_at", "-pk"]
    fields = [
        "post_link",
        "number",
        "editor",
        "title",
        "tags",
        "body",
        "summary",
        "created_at",
        "redacted_at",
        "redacted_by",
    ]
    readonly_fields = fields
    show_facets = admin.ShowFacets.ALLOW
    list_per_page = 50
    actions = ["redact"]

    def has_redact_permission(self, request):
        return permissions.is_moderator(request.user)

    @admin.action(
        description=_("Redact: hide the text from the public history"), permissions=["redact"]
    )
    def redact(self, request, queryset):
        done = sum(
            moderation.redact_revision(moderator=request.user, revision=revision)
            for revision in queryset.select_related("question", "answer")
        )
        report(
            self,
            request,
            ngettext("%(count)d revision redacted.", "%(count)d revisions redacted.", done),
            done,
        )

    @admin.display(description=_("post"))
    def post_link(self, obj):
        return admin_link(obj.post)


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log: every moderator action, on the site or here. Written by the services
    alone (`moderation_services.record_action`), read-only for everyone."""

    list_display = ["created_at", "actor", "action", "target_link", "reason_excerpt"]
    list_select_related = ["actor", "question", "answer__question", "comment", "user"]
    list_filter = ["action", ("actor", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = [
        "reason",
        "actor__username",
        "user__username",
        "question__title",
        "answer__body",
        "comment__body",
    ]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    fields = ["created_at", "actor", "action", "target_link", "user", "reason", "details"]
    readonly_fields = fields
    show_facets = admin.ShowFacets.ALLOW
    list_per_page = 100

    @admin.display(description=_("target"))
    def target_link(self, obj):
        target = obj.target
        if target is None:
            details = obj.details or {}
            return details.get("object", "–")
        return admin_link(target)

    @admin.display(description=_("reason"), ordering="reason")
    def reason_excerpt(self, obj):
        return Truncator(obj.reason).chars(80)
