"""Comments in the moderation console."""

from django.contrib import admin
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from comments.models import Comment

from .base import (
    AuditedAdminMixin,
    DeletedListFilter,
    PostKindListFilter,
    SoftDeleteActionsMixin,
    admin_link,
    site_link,
)


@admin.register(Comment)
class CommentAdmin(SoftDeleteActionsMixin, AuditedAdminMixin, admin.ModelAdmin):
    deleted_message = ngettext_lazy(
        "%(count)d comment deleted.", "%(count)d comments deleted.", "count"
    )
    restored_message = ngettext_lazy(
        "%(count)d comment restored.", "%(count)d comments restored.", "count"
    )

    list_display = ["excerpt", "post_link", "author", "created_at", "is_deleted", "site_link"]
    list_select_related = ["author", "question", "answer__question"]
    list_filter = [DeletedListFilter, PostKindListFilter, "created_at"]
    search_fields = ["body", "author__username"]
    raw_id_fields = ["author"]
    ordering = ["-created_at", "-pk"]
    fields = ["post_link", "author", "body", "preview", "created_at", "deleted_at", "hidden_at"]
    readonly_fields = ["post_link", "preview", "created_at", "deleted_at", "hidden_at"]
    actions = ["soft_delete", "restore"]
    show_facets = admin.ShowFacets.ALLOW
    list_per_page = 50

    def has_add_permission(self, request):
        return False  # comments are written on the site, which counts them on the post

    def has_delete_permission(self, request, obj=None):
        return False  # soft delete keeps the post's comment_count right

    @admin.display(description=_("comment"), ordering="body")
    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    @admin.display(description=_("post"))
    def post_link(self, obj):
        return admin_link(obj.post)

    @admin.display(boolean=True, description=_("deleted"), ordering="deleted_at")
    def is_deleted(self, obj):
        return obj.deleted_at is not None

    @admin.display(description=_("on site"))
    def site_link(self, obj):
        return site_link(obj)

    @admin.display(description=_("rendered"))
    def preview(self, obj):
        return mark_safe(obj.body_html)  # sanitized when the comment was saved
