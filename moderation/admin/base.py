"""What every page of the moderation console shares: links, list filters, the audit of admin
edits, the read-only and soft-delete mixins."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from moderation import services as moderation
from moderation.models import ModerationAction
from questions.models import Question


def admin_link(obj) -> str:
    """A link to `obj`'s change page in the admin, labelled with `str(obj)`."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj)


def site_link(obj) -> str:
    return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("view on site"))


class DeletedListFilter(admin.SimpleListFilter):
    title = _("deleted")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


class PostKindListFilter(admin.SimpleListFilter):
    """For what hangs off either kind of post: comments, flags, votes, revisions."""

    title = _("post")
    parameter_name = "post"

    def lookups(self, request, model_admin):
        return [("question", _("on a question")), ("answer", _("on an answer"))]

    def queryset(self, request, queryset):
        if self.value() in ("question", "answer"):
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


class PostStateListFilter(admin.SimpleListFilter):
    """Posts a moderator has set apart: hidden by flags, locked, or (questions) closed."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        states = [("hidden", _("hidden by flags")), ("locked", _("locked"))]
        if model_admin.model is Question:
            states.append(("closed", _("closed")))
        return states

    def queryset(self, request, queryset):
        if self.value() in ("hidden", "locked", "closed"):
            return queryset.filter(**{f"{self.value()}_at__isnull": False})
        return queryset


def record_admin_edit(request, obj, fields) -> None:
    """An `edit` row in the audit log for a change saved in the admin."""
    target = obj if hasattr(obj, "kind") or isinstance(obj, get_user_model()) else None
    moderation.record_action(
        actor=request.user,
        action=ModerationAction.Kind.EDIT,
        target=target,
        details={
            "admin": obj._meta.label_lower,
            "pk": obj.pk,
            "object": str(obj)[:200],
            "fields": sorted(fields),
        },
    )


class AuditedAdminMixin:
    """What a moderator saves or deletes here goes to the audit log: the fields a change
    touched, the rows an inline added, changed or deleted, an addition, a deletion."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            record_admin_edit(request, obj, ["(added)"])
        elif form.changed_data:
            record_admin_edit(request, obj, form.changed_data)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        rows = {
            "added": [str(obj) for obj in formset.new_objects],
            "changed": [str(obj) for obj, _fields in formset.changed_objects],
            "deleted": [str(obj) for obj in formset.deleted_objects],
        }
        if any(rows.values()):
            label = formset.model._meta.label_lower
            record_admin_edit(
                request, form.instance, [f"{label}: {k}" for k, v in rows.items() if v]
            )

    def delete_model(self, request, obj):
        record_admin_edit(request, obj, ["(deleted)"])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_admin_edit(request, obj, ["(deleted)"])
        super().delete_queryset(request, queryset)


def report(model_admin, request, message: str, count: int) -> None:
    """A success message from `ngettext(...)` with `%(count)d` in it."""
    model_admin.message_user(request, message % {"count": count}, messages.SUCCESS)


class ReadOnlyAdminMixin:
    """View only, for everyone: these rows are written by the services alone."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SoftDeleteActionsMixin:
    """Soft-delete and restore actions for posts and comments, through the moderation services
    (so counters, reputation and the audit log follow). Subclasses may word the messages."""

    deleted_message = ngettext_lazy("%(count)d post deleted.", "%(count)d posts deleted.", "count")
    restored_message = ngettext_lazy(
        "%(count)d post restored.", "%(count)d posts restored.", "count"
    )

    @admin.action(
        description=_("Soft-delete selected %(verbose_name_plural)s"), permissions=["change"]
    )
    def soft_delete(self, request, queryset):
        done = sum(
            moderation.soft_delete(moderator=request.user, target=target)
            for target in queryset.filter(deleted_at__isnull=True)
        )
        report(self, request, self.deleted_message, done)

    @admin.action(description=_("Restore selected %(verbose_name_plural)s"), permissions=["change"])
    def restore(self, request, queryset):
        done = sum(
            moderation.undelete(moderator=request.user, target=target)
            for target in queryset.filter(deleted_at__isnull=False)
        )
        report(self, request, self.restored_message, done)
