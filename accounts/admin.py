"""Members in the moderation console.

Moderators (the Moderators group) may view every account and change ordinary members' names,
profile and active flag; staff and superuser accounts, passwords, groups and permissions are
for superusers only, so the group cannot widen its own rights.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from answers.models import Answer
from questions.models import Question

from .models import User


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
        "date_joined",
    ]
    list_filter = [*BaseUserAdmin.list_filter, "date_joined"]
    ordering = ["-date_joined", "-pk"]
    # Reputation is kept exact by the services (votes, accepted answers).
    readonly_fields = ["reputation", "last_login", "date_joined"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Community"), {"fields": ["reputation", "about"]}),
    ]
    moderator_fieldsets = [
        (None, {"fields": ["username"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Community"), {"fields": ["reputation", "about"]}),
        (_("Status"), {"fields": ["is_active", "is_staff"]}),
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

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, obj):
        return obj.question_count

    @admin.display(description=_("answers"), ordering="answer_count")
    def answer_count(self, obj):
        return obj.answer_count
