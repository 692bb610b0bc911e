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
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import (
    Category,
    Comment,
    Flag,
    FlagStatus,
    Question,
    Revision,
    Tag,
    TagSynonym,
    Vote,
)


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
    actions = ["soft_delete", "restore"]
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

    @admin.display(description=_("on site"))
    def site_link(self, obj):
        return site_link(obj)

    @admin.display(description=_("rendered"))
    def preview(self, obj):
        return mark_safe(obj.body_html)  # sanitized when the post was saved

    def edit_kwargs(self, obj, cleaned_data) -> dict:
        return {"body": cleaned_data["body"]}

    def save_model(self, request, obj, form, change):
        """A change to the text goes through `edit_post` (one new revision, edited_at); other
        fields (the author) are saved as they are."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        changed = set(form.changed_data) - {"summary"}
        content = changed & set(self.content_fields)
        if plain := changed - content:
            obj.save(update_fields=sorted(plain))
        if content:
            services.edit_post(
                editor=request.user,
                post=obj,
                summary=form.cleaned_data["summary"],
                **self.edit_kwargs(obj, form.cleaned_data),
            )

    @admin.action(
        description=_("Soft-delete selected %(verbose_name_plural)s"), permissions=["change"]
    )
    def soft_delete(self, request, queryset):
        posts = list(queryset.filter(deleted_at__isnull=True))
        for post in posts:
            services.delete_post(actor=request.user, post=post)
        self.message_user(
            request,
            ngettext("%(count)d post deleted.", "%(count)d posts deleted.", len(posts))
            % {"count": len(posts)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore selected %(verbose_name_plural)s"), permissions=["change"])
    def restore(self, request, queryset):
        posts = list(queryset.filter(deleted_at__isnull=False))
        for post in posts:
            services.restore_post(post=post)
        self.message_user(
            request,
            ngettext("%(count)d post restored.", "%(count)d posts restored.", len(posts))
            % {"count": len(posts)},
            messages.SUCCESS,
        )


@admin.register(Question)
class QuestionAdmin(PostAdmin):
    content_fields = ["title", "body", "category", "tags"]
    list_display = [
        "title",
        "author",
        "category",
        "score",
        "answers_link",
        "comment_count",
        "created_at",
        "is_deleted",
        "site_link",
    ]
    list_select_related = ["author", "category"]
    list_filter = [DeletedListFilter, "category", "created_at"]
    search_fields = ["title", "body", "author__username"]
    autocomplete_fields = ["tags"]
    ordering = ["-created_at", "-pk"]
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
    ]
    fieldsets = [
        (None, {"fields": ["title", "body", "summary", "category", "tags", "author"]}),
        (_("Rendered"), {"fields": ["preview"], "classes": ["collapse"]}),
        (
            _("Stored counters and dates"),
            {
                "fields": [
                    ("score", "answer_count", "comment_count"),
                    ("created_at", "edited_at", "last_activity_at"),
                    ("deleted_at", "deleted_by"),
                ]
            },
        ),
    ]
    inlines = [RevisionInline, CommentInline]

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
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "post_link", "author", "created_at", "is_deleted", "site_link"]
    list_select_related = ["author", "question", "answer__question"]
    list_filter = [DeletedListFilter, PostKindListFilter, "created_at"]
    search_fields = ["body", "author__username"]
    raw_id_fields = ["author"]
    ordering = ["-created_at", "-pk"]
    fields = ["post_link", "author", "body", "preview", "created_at", "deleted_at"]
    readonly_fields = ["post_link", "preview", "created_at", "deleted_at"]
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
        comments = list(queryset.filter(deleted_at__isnull=True))
        for comment in comments:
            services.delete_comment(comment=comment)
        self.message_user(
            request,
            ngettext("%(count)d comment deleted.", "%(count)d comments deleted.", len(comments))
            % {"count": len(comments)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore selected comments"), permissions=["change"])
    def restore(self, request, queryset):
        comments = list(queryset.filter(deleted_at__isnull=False))
        for comment in comments:
            services.restore_comment(comment=comment)
        self.message_user(
            request,
            ngettext("%(count)d comment restored.", "%(count)d comments restored.", len(comments))
            % {"count": len(comments)},
            messages.SUCCESS,
        )


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """The moderators' queue: open flags first, newest first."""

    list_display = [
        "reason",
        "post_link",
        "details_excerpt",
        "flagger",
        "status",
        "created_at",
        "handled_by",
    ]
    list_select_related = ["flagger", "handled_by", "question", "answer__question"]
    list_filter = ["status", "reason", PostKindListFilter, "created_at"]
    search_fields = ["details", "flagger__username", "question__title"]
    # Open flags are the ones not handled yet.
    ordering = [F("handled_at").asc(nulls_first=True), "-created_at"]
    show_facets = admin.ShowFacets.ALWAYS
    list_per_page = 50
    fields = [
        "post_link",
        "post_preview",
        "flagger",
        "reason",
        "details",
        "created_at",
        "status",
        "handled_by",
        "handled_at",
    ]
    readonly_fields = [field for field in fields if field != "status"]
    actions = ["mark_helpful", "decline", "delete_post_and_resolve"]

    def has_add_permission(self, request):
        return False  # members flag posts on the site

    @admin.display(description=_("post"))
    def post_link(self, obj):
        post = obj.post
        state = format_html(" <strong>({})</strong>", _("deleted")) if post.is_deleted else ""
        return format_html("{}{} · {}", admin_link(post), state, site_link(post))

    @admin.display(description=_("flagged text"))
    def post_preview(self, obj):
        return mark_safe(obj.post.body_html)  # sanitized when the post was saved

    @admin.display(description=_("details"), ordering="details")
    def details_excerpt(self, obj):
        return Truncator(obj.details).chars(80)

    def save_model(self, request, obj, form, change):
        """A status set by hand records who handled the flag and when (reopening clears it)."""
        if "status" in form.changed_data:
            handled = obj.status != FlagStatus.OPEN
            obj.handled_by = request.user if handled else None
            obj.handled_at = timezone.now() if handled else None
        super().save_model(request, obj, form, change)

    def _handle(self, request, queryset, status) -> int:
        return queryset.filter(status=FlagStatus.OPEN).update(
            status=status, handled_by=request.user, handled_at=timezone.now()
        )

    @admin.action(description=_("Mark selected flags helpful (resolve)"), permissions=["change"])
    def mark_helpful(self, request, queryset):
        count = self._handle(request, queryset, FlagStatus.HELPFUL)
        self.message_user(
            request,
            ngettext("%(count)d flag resolved.", "%(count)d flags resolved.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Decline selected flags"), permissions=["change"])
    def decline(self, request, queryset):
        count = self._handle(request, queryset, FlagStatus.DECLINED)
        self.message_user(
            request,
            ngettext("%(count)d flag declined.", "%(count)d flags declined.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Soft-delete the flagged posts and resolve their flags"),
        permissions=["change"],
    )
    def delete_post_and_resolve(self, request, queryset):
        """Deleting a post settles every open flag on it, not only the selected ones."""
        flags = queryset.filter(status=FlagStatus.OPEN).select_related("question", "answer")
        posts = {(flag.post.kind, flag.post.pk): flag.post for flag in flags}
        with transaction.atomic():
            for post in posts.values():
                services.delete_post(actor=request.user, post=post)
            on_posts = Q(question__in=[pk for kind, pk in posts if kind == "question"]) | Q(
                answer__in=[pk for kind, pk in posts if kind == "answer"]
            )
            resolved = self._handle(request, Flag.objects.filter(on_posts), FlagStatus.HELPFUL)
        deleted = ngettext("%(count)d post deleted.", "%(count)d posts deleted.", len(posts))
        settled = ngettext("%(count)d flag resolved.", "%(count)d flags resolved.", resolved)
        self.message_user(
            request,
            f"{deleted % {'count': len(posts)}} {settled % {'count': resolved}}",
            messages.SUCCESS,
        )


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
class TagAdmin(admin.ModelAdmin):
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
            moved = services.merge_tags(sources=sources, target=target)
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
class TagSynonymAdmin(admin.ModelAdmin):
    form = TagSynonymForm
    list_display = ["name", "tag", "created_at"]
    list_select_related = ["tag"]
    search_fields = ["name", "tag__name"]
    autocomplete_fields = ["tag"]
    ordering = ["name"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
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
