"""Members in the moderation console.

Moderators (the Moderators group) may view every account and change ordinary members' names,
profile and active flag; staff and superuser accounts, passwords, groups and permissions are
for superusers only, so the group cannot widen its own rights. Suspensions and "delete
spammer" are actions here; they go through `moderation.services` and its audit log.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from answers.models import Answer
from core import permissions
from moderation import services as moderation
from questions.models import Question

from . import confirm
from .base import record_admin_edit, report


def _visible_post_count(model):
    """Subquery counting a user's visible posts of one kind: two Counts over joins in one query
    would multiply each other."""
    posts = (
        model.objects.visible()
        .filter(author=OuterRef("pk"))
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(posts), 0)


class SuspendedListFilter(admin.SimpleListFilter):
    title = _("suspended")
    parameter_name = "suspended"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        running = Q(suspended_at__isnull=False) & (
            Q(suspended_until__isnull=True) | Q(suspended_until__gt=now)
        )
        if self.value() == "yes":
            return queryset.filter(running)
        if self.value() == "no":
            return queryset.exclude(running)
        return queryset


SUSPENSION_FIELDS = ["suspended_at", "suspended_until", "suspension_reason"]


def _confirm_members(model_admin, request, queryset, *, action: str, suspends: bool):
    """The confirmation page for `action` on the selected members."""
    if suspends:
        title = gettext("Suspend the selected members?")
        warning = gettext(
            "They can read but not write until the suspension ends; each reads the reason and "
            "the length in a banner and an email."
        )
    else:
        title = gettext("Delete these spammers?")
        warning = gettext(
            "Each is suspended until a moderator lifts it, all their posts and comments are "
            "deleted and their votes undone."
        )
    return confirm.page(
        request,
        model_admin,
        title=title,
        warning=warning,
        items=[user.username for user in queryset],
        suspends=suspends,
        action=action,
        selected=[user.pk for user in queryset],
        reason_required=suspends,
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "email",
        "reputation",
        "question_count",
        "answer_count",
        "is_staff",
        "is_active",
        "suspended",
        "date_joined",
    ]
    list_filter = [*BaseUserAdmin.list_filter, SuspendedListFilter, "date_joined"]
    ordering = ["-date_joined", "-pk"]
    # Reputation is kept exact by the services (votes, accepted answers); suspensions are
    # set by the actions, which log them.
    readonly_fields = ["reputation", "last_login", "date_joined", *SUSPENSION_FIELDS]
    actions = [
        "suspend",
        "lift_suspension",
        "delete_spammer",
    ]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Community"), {"fields": ["reputation", "about"]}),
        (_("Suspension"), {"fields": SUSPENSION_FIELDS}),
    ]
    moderator_fieldsets = [
        (None, {"fields": ["username"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Community"), {"fields": ["reputation", "about"]}),
        (_("Status"), {"fields": ["is_active", "is_staff"]}),
        (_("Suspension"), {"fields": SUSPENSION_FIELDS}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    # allauth keeps the verified addresses: a changed email here would not be one of them.
    moderator_readonly_fields = ["email", "is_staff"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                question_count=_visible_post_count(Question),
                answer_count=_visible_post_count(Answer),
            )
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.moderator_fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and not request.user.is_superuser:
            # UserChangeForm declares it, so it would stay even outside the fieldsets.
            form.base_fields.pop("password", None)
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += self.moderator_readonly_fields
        return readonly

    def has_change_permission(self, request, obj=None):
        """Staff and superuser accounts are changed by superusers only."""
        if obj is not None and not request.user.is_superuser and (obj.is_staff or obj.is_superuser):
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            record_admin_edit(request, obj, form.changed_data)

    def skipped(self, request, count: int) -> None:
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d member skipped: staff accounts are for superusers, and not "
                    "yourself.",
                    "%(count)d members skipped: staff accounts are for superusers, and not "
                    "yourself.",
                    count,
                )
                % {"count": count},
                messages.WARNING,
            )

    @admin.action(description=_("Suspend selected members…"), permissions=["change"])
    def suspend(self, request, queryset):
        """Asks for confirmation, the reason and the length first."""
        form = confirm.confirmed(request, suspends=True)
        if form is None:
            return _confirm_members(self, request, queryset, action="suspend", suspends=True)
        done = 0
        for user in queryset:
            if permissions.can_suspend(request.user, user):
                moderation.suspend_user(moderator=request.user, user=user, **form.cleaned_data)
                done += 1
        self.skipped(request, len(queryset) - done)
        report(
            self,
            request,
            ngettext("%(count)d member suspended.", "%(count)d members suspended.", done),
            done,
        )
        return None

    @admin.action(description=_("Lift the suspension of selected members"), permissions=["change"])
    def lift_suspension(self, request, queryset):
        done = sum(
            moderation.lift_suspension(moderator=request.user, user=user)
            for user in queryset
            if permissions.can_suspend(request.user, user)
        )
        report(
            self,
            request,
            ngettext("%(count)d suspension lifted.", "%(count)d suspensions lifted.", done),
            done,
        )

    @admin.action(
        description=_("Delete spammer: suspend, delete all posts and comments, undo votes"),
        permissions=["change"],
    )
    def delete_spammer(self, request, queryset):
        """Asks for confirmation (and an optional reason) first."""
        form = confirm.confirmed(request, suspends=False, reason_required=False)
        if form is None:
            return _confirm_members(
                self, request, queryset, action="delete_spammer", suspends=False
            )
        done = 0
        for user in queryset:
            if permissions.can_suspend(request.user, user):
                moderation.delete_spammer(
                    moderator=request.user, user=user, reason=form.cleaned_data["reason"]
                )
                done += 1
        self.skipped(request, len(queryset) - done)
        report(
            self,
            request,
            ngettext("%(count)d spammer deleted.", "%(count)d spammers deleted.", done),
            done,
        )
        return None

    @admin.display(boolean=True, description=_("suspended"))
    def suspended(self, obj):
        return obj.is_suspended

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, obj):
        return obj.question_count

    @admin.display(description=_("answers"), ordering="answer_count")
    def answer_count(self, obj):
        return obj.answer_count
