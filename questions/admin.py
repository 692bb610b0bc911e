"""The admin is the moderators' console (superusers and the Moderators group).

Posts and comments are soft-deleted and restored through actions that call the services, so the
stored counters stay right; hard deletes are switched off where they would bypass them. Edits to
a post's text go through `edit_post`, which keeps a revision. Votes and revisions are read-only:
only the services write them. Every changelist states its joins (`list_select_related`) or
annotations (`get_queryset`), and tests/*/test_admin.py prove its query count is flat. A
`get_queryset` that calls `select_related` switches `list_select_related` off (ChangeList only
applies it to a queryset without one), so the joins a changelist needs are listed there only.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import moderation, services
from .models import (
    Category,
    CloseReason,
    Comment,
    Flag,
    FlagReason,
    FlagStatus,
    ModerationAction,
    Question,
    Revision,
    Tag,
    TagSynonym,
    Vote,
)
from .moderation import FlagDecision


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
    services.record_action(
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


class FlagTargetListFilter(PostKindListFilter):
    """Flags can be on comments too."""

    def lookups(self, request, model_admin):
        return [*super().lookups(request, model_admin), ("comment", _("on a comment"))]

    def queryset(self, request, queryset):
        if self.value() == "comment":
            return queryset.filter(comment__isnull=False)
        return super().queryset(request, queryset)


class ReadOnlyAdminMixin:
    """View only, for everyone: these rows are written by the services alone."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class PostAdmin(admin.ModelAdmin):
    """What the question and answer admins share.

    Posts are written on the site (the services add the first revision and the counters), so
    the admin adds none and never hard-deletes: it soft-deletes and restores.
    """

    form = PostAdminForm
    # Fields whose change makes a new revision, through `services.edit_post`.
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
            record_admin_edit(request, obj, plain)
        if content:
            moderation.edit_post(
                moderator=request.user,
                post=obj,
                summary=form.cleaned_data["summary"],
                **self.edit_kwargs(obj, form.cleaned_data),
            )

    @admin.action(
        description=_("Soft-delete selected %(verbose_name_plural)s"), permissions=["change"]
    )
    def soft_delete(self, request, queryset):
        done = sum(
            moderation.soft_delete(moderator=request.user, target=post)
            for post in queryset.filter(deleted_at__isnull=True)
        )
        report(
            self,
            request,
            ngettext("%(count)d post deleted.", "%(count)d posts deleted.", done),
            done,
        )

    @admin.action(description=_("Restore selected %(verbose_name_plural)s"), permissions=["change"])
    def restore(self, request, queryset):
        done = sum(
            moderation.undelete(moderator=request.user, target=post)
            for post in queryset.filter(deleted_at__isnull=False)
        )
        report(
            self,
            request,
            ngettext("%(count)d post restored.", "%(count)d posts restored.", done),
            done,
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


@admin.register(Comment)
class CommentAdmin(AuditedAdminMixin, admin.ModelAdmin):
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

    @admin.action(description=_("Soft-delete selected comments"), permissions=["change"])
    def soft_delete(self, request, queryset):
        done = sum(
            moderation.soft_delete(moderator=request.user, target=comment)
            for comment in queryset.filter(deleted_at__isnull=True)
        )
        report(
            self,
            request,
            ngettext("%(count)d comment deleted.", "%(count)d comments deleted.", done),
            done,
        )

    @admin.action(description=_("Restore selected comments"), permissions=["change"])
    def restore(self, request, queryset):
        done = sum(
            moderation.undelete(moderator=request.user, target=comment)
            for comment in queryset.filter(deleted_at__isnull=False)
        )
        report(
            self,
            request,
            ngettext("%(count)d comment restored.", "%(count)d comments restored.", done),
            done,
        )


def open_flags_on_same_target(**filters) -> Subquery:
    """Count of open flags on the outer flag's target. Exactly one of the outer row's three
    keys is set; comparing the other two with NULL matches nothing."""
    same_target = (
        Q(question=OuterRef("question"))
        | Q(answer=OuterRef("answer"))
        | Q(comment=OuterRef("comment"))
    )
    flags = (
        Flag.objects.filter(same_target, status=FlagStatus.OPEN, **filters)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(flags), 0)


# Annotation name -> reason, for the queue's "reasons" column.
REASON_COUNTS = {f"{reason.name.lower()}_flags": reason for reason in FlagReason}


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """The moderators' queue: open flags first, newest first. Each row shows what was flagged,
    its author, how many open flags it has and why, and one-click decisions (buttons posting
    to `decide_view`); the same decisions are bulk actions. All of them go through
    `moderation.handle_flags`, which decides each target once."""

    list_display = [
        "target_excerpt",
        "target_author",
        "open_flags",
        "reasons",
        "decide",
        "flagger",
        "details_excerpt",
        "status",
        "created_at",
        "handled_by",
    ]
    list_select_related = [
        "flagger",
        "handled_by",
        "question__author",
        "answer__author",
        "answer__question",
        "comment__author",
        "comment__question",
        "comment__answer__question",
    ]
    list_filter = ["status", "reason", FlagTargetListFilter, "created_at"]
    search_fields = [
        "details",
        "flagger__username",
        "question__title",
        "question__author__username",
        "answer__author__username",
        "comment__author__username",
    ]
    # Open flags are the ones not handled yet.
    ordering = [F("handled_at").asc(nulls_first=True), "-created_at"]
    show_facets = admin.ShowFacets.ALWAYS
    list_per_page = 50
    fields = [
        "post_link",
        "post_preview",
        "target_author",
        "flagger",
        "reason",
        "details",
        "created_at",
        "status",
        "handled_by",
        "handled_at",
        "decide",
    ]
    readonly_fields = [field for field in fields if field != "status"]
    actions = ["decline", "mark_helpful", "delete_post_and_resolve", "delete_and_suspend"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def has_add_permission(self, request):
        return False  # members flag posts on the site

    def get_queryset(self, request):
        counts = {name: open_flags_on_same_target(reason=r) for name, r in REASON_COUNTS.items()}
        return (
            super()
            .get_queryset(request)
            .annotate(open_flag_count=open_flags_on_same_target(), **counts)
        )

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_decide"
        return [path("<int:pk>/decide/<str:decision>/", decide, name=name), *super().get_urls()]

    # --- columns ---------------------------------------------------------------------------

    @admin.display(description=_("flagged"))
    def target_excerpt(self, obj):
        target = obj.target
        kind = {"question": _("Q"), "answer": _("A"), "comment": _("C")}[target.kind]
        text = target.title if target.kind == "question" else target.body
        states = [(target.is_deleted, _("deleted")), (target.is_hidden, _("hidden"))]
        state = ", ".join(str(label) for on, label in states if on)
        return format_html(
            "<strong>{}</strong> {}{} · {}",
            kind,
            Truncator(text).chars(90),
            format_html(" <em>({})</em>", state) if state else "",
            site_link(target),
        )

    @admin.display(description=_("author"))
    def target_author(self, obj):
        author = obj.target.author
        suspended = format_html(" <em>({})</em>", _("suspended")) if author.is_suspended else ""
        return format_html("{}{}", admin_link(author), suspended)

    @admin.display(description=_("open flags"), ordering="open_flag_count")
    def open_flags(self, obj):
        return obj.open_flag_count

    @admin.display(description=_("reasons"))
    def reasons(self, obj):
        counts = [(reason.label, getattr(obj, name, 0)) for name, reason in REASON_COUNTS.items()]
        return ", ".join(f"{label} ×{n}" for label, n in counts if n) or "–"

    @admin.display(description=_("post"))
    def post_link(self, obj):
        target = obj.target
        state = format_html(" <strong>({})</strong>", _("deleted")) if target.is_deleted else ""
        return format_html("{}{} · {}", admin_link(target), state, site_link(target))

    @admin.display(description=_("flagged text"))
    def post_preview(self, obj):
        return mark_safe(obj.target.body_html)  # sanitized when the post was saved

    @admin.display(description=_("details"), ordering="details")
    def details_excerpt(self, obj):
        return Truncator(obj.details).chars(80)

    @admin.display(description=_("decide"))
    def decide(self, obj):
        """Buttons inside the changelist (or change) form: `formaction` posts that form, with
        its CSRF token, to `decide_view`."""
        if obj.status != FlagStatus.OPEN:
            return "–"
        days = settings.JOKESITE_SUSPENSION_DAYS
        labels = {
            FlagDecision.DISMISS: _("Dismiss"),
            FlagDecision.DELETE: _("Delete"),
            FlagDecision.DELETE_AND_SUSPEND: ngettext(
                "Delete + suspend %(days)d day", "Delete + suspend %(days)d days", days
            )
            % {"days": days},
        }
        url = f"admin:{self.opts.app_label}_{self.opts.model_name}_decide"
        return format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" formmethod="post">{}</button>',
            (
                (reverse(url, args=[obj.pk, decision.value]), label)
                for decision, label in labels.items()
            ),
        )

    # --- decisions -------------------------------------------------------------------------

    def decide_view(self, request, pk, decision):
        """One click on a row: decide on that flag's target, back to where the click was."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        flag = get_object_or_404(Flag, pk=pk)
        if not self.has_change_permission(request, flag):
            raise PermissionDenied
        if decision not in FlagDecision.values:
            return redirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )
        self._decide(request, [flag], FlagDecision(decision))
        back = request.headers.get("referer", "")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        if not safe:
            back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return redirect(back)

    def _decide(self, request, flags, decision: FlagDecision) -> None:
        outcome = moderation.handle_flags(moderator=request.user, flags=flags, decision=decision)
        if not outcome.targets:
            self.message_user(
                request, gettext("Another moderator decided on these flags already."), messages.INFO
            )
            return
        parts = []
        if outcome.deleted:
            parts.append(
                ngettext("%(count)d post deleted.", "%(count)d posts deleted.", outcome.deleted)
                % {"count": outcome.deleted}
            )
        if outcome.suspended:
            parts.append(
                ngettext(
                    "%(count)d author suspended.", "%(count)d authors suspended.", outcome.suspended
                )
                % {"count": outcome.suspended}
            )
        if decision == FlagDecision.DISMISS:
            done = ngettext("%(count)d flag declined.", "%(count)d flags declined.", outcome.flags)
        else:
            done = ngettext("%(count)d flag resolved.", "%(count)d flags resolved.", outcome.flags)
        parts.append(done % {"count": outcome.flags})
        self.message_user(request, " ".join(parts), messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        """Closing an open flag by hand decides on its target like the buttons do (dismiss or
        helpful); any other change of status is saved as it is and logged."""
        if "status" not in form.changed_data:
            return
        was_open = Flag.objects.filter(pk=obj.pk, status=FlagStatus.OPEN).exists()
        if was_open and obj.status != FlagStatus.OPEN:
            helpful = obj.status == FlagStatus.HELPFUL
            decision = FlagDecision.HELPFUL if helpful else FlagDecision.DISMISS
            moderation.handle_flags(moderator=request.user, flags=[obj], decision=decision)
            obj.refresh_from_db()
            return
        handled = obj.status != FlagStatus.OPEN
        obj.handled_by = request.user if handled else None
        obj.handled_at = timezone.now() if handled else None
        super().save_model(request, obj, form, change)
        record_admin_edit(request, obj, ["status"])

    @admin.action(
        description=_("Dismiss: decline the flags, show the post"), permissions=["change"]
    )
    def decline(self, request, queryset):
        self._decide(request, queryset, FlagDecision.DISMISS)

    @admin.action(description=_("Mark the flags helpful, keep the post"), permissions=["change"])
    def mark_helpful(self, request, queryset):
        self._decide(request, queryset, FlagDecision.HELPFUL)

    @admin.action(
        description=_("Soft-delete the flagged posts and resolve their flags"),
        permissions=["change"],
    )
    def delete_post_and_resolve(self, request, queryset):
        """Deleting a post settles every open flag on it, not only the selected ones."""
        self._decide(request, queryset, FlagDecision.DELETE)

    @admin.action(
        description=_("Delete the flagged posts, suspend their authors, resolve the flags"),
        permissions=["change"],
    )
    def delete_and_suspend(self, request, queryset):
        self._decide(request, queryset, FlagDecision.DELETE_AND_SUSPEND)


def _check_tag_name(name: str) -> str:
    """A tag or synonym name as the ask form would store it: lower case, a valid tag."""
    name = name.strip().lower()
    if not services.TAG_RE.match(name):
        raise ValidationError(_("A tag may only contain letters, digits and + # . - _"))
    return name


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "description"]

    def clean_name(self):
        name = _check_tag_name(self.cleaned_data["name"])
        if TagSynonym.objects.filter(name=name).exists():
            raise ValidationError(_("“%(name)s” is a synonym; remove it first.") % {"name": name})
        return name


class TagSynonymForm(forms.ModelForm):
    class Meta:
        model = TagSynonym
        fields = ["name", "tag"]

    def clean_name(self):
        name = _check_tag_name(self.cleaned_data["name"])
        if Tag.objects.filter(name=name).exists():
            raise ValidationError(
                _("“%(name)s” is a tag: merge it instead, which makes it a synonym.")
                % {"name": name}
            )
        return name


class TagSynonymInline(admin.TabularInline):
    model = TagSynonym
    form = TagSynonymForm
    fields = ["name", "created_at"]
    readonly_fields = ["created_at"]
    extra = 1


class MergeTagsForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = tags


@admin.register(Tag)
class TagAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "question_count", "synonym_list", "created_at"]
    search_fields = ["name", "synonyms__name", "description"]
    ordering = ["name"]  # Meta.ordering is dropped from the annotated (GROUP BY) queryset
    fields = ["name", "description", "created_at"]
    readonly_fields = ["created_at"]
    inlines = [TagSynonymInline]
    actions = ["merge_tags"]

    def get_queryset(self, request):
        visible = Q(questions__deleted_at__isnull=True)
        return (
            super()
            .get_queryset(request)
            .annotate(question_count=Count("questions", filter=visible))
            .prefetch_related("synonyms")
        )

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, obj):
        return obj.question_count

    @admin.display(description=_("synonyms"))
    def synonym_list(self, obj):
        return ", ".join(synonym.name for synonym in obj.synonyms.all())

    @admin.action(description=_("Merge selected tags into …"), permissions=["change"])
    def merge_tags(self, request, queryset):
        """First the choice of the tag to keep among the selected ones, then the merge."""
        tags = Tag.objects.filter(pk__in=queryset.values("pk")).order_by("name")
        if tags.count() < 2:
            self.message_user(request, _("Select at least two tags to merge."), messages.WARNING)
            return None
        form = MergeTagsForm(request.POST if "target" in request.POST else None, tags=tags)
        if form.is_valid():
            target = form.cleaned_data["target"]
            sources = [tag for tag in tags if tag.pk != target.pk]
            with transaction.atomic():
                moved = services.merge_tags(sources=sources, target=target)
                services.record_action(
                    actor=request.user,
                    action=ModerationAction.Kind.MERGE_TAGS,
                    details={
                        "tags": [tag.name for tag in sources],
                        "into": target.name,
                        "questions": moved,
                    },
                )
            self.message_user(
                request,
                ngettext(
                    "Merged %(tags)s into %(target)s; %(count)d question retagged.",
                    "Merged %(tags)s into %(target)s; %(count)d questions retagged.",
                    moved,
                )
                % {
                    "tags": ", ".join(tag.name for tag in sources),
                    "target": target.name,
                    "count": moved,
                },
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge tags"),
            "opts": self.model._meta,
            "form": form,
            "tags": tags.annotate(
                question_count=Count("questions", filter=Q(questions__deleted_at__isnull=True))
            ),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": [str(tag.pk) for tag in tags],
        }
        return TemplateResponse(request, "admin/questions/tag/merge.html", context)


@admin.register(TagSynonym)
class TagSynonymAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = TagSynonymForm
    list_display = ["name", "tag", "created_at"]
    list_select_related = ["tag"]
    search_fields = ["name", "tag__name"]
    autocomplete_fields = ["tag"]
    ordering = ["name"]


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "question_count"]
    search_fields = ["name", "description"]
    ordering = ["name"]  # Meta.ordering is dropped from the annotated (GROUP BY) queryset
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        visible = Q(questions__deleted_at__isnull=True)
        return (
            super()
            .get_queryset(request)
            .annotate(question_count=Count("questions", filter=visible))
        )

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, obj):
        return obj.question_count


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

    list_display = ["post_link", "number", "editor", "summary", "created_at"]
    list_select_related = ["editor", "question", "answer"]
    list_filter = [PostKindListFilter, "created_at"]
    search_fields = ["title", "body", "summary", "editor__username"]
    ordering = ["-created_at", "-pk"]
    fields = ["post_link", "number", "editor", "title", "tags", "body", "summary", "created_at"]
    readonly_fields = fields
    show_facets = admin.ShowFacets.ALLOW
    list_per_page = 50

    @admin.display(description=_("post"))
    def post_link(self, obj):
        return admin_link(obj.post)


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log: every moderator action, on the site or here. Written by the services
    alone (`services.record_action`), read-only for everyone."""

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
