"""Tags, tag synonyms and categories: renaming, merging, describing."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from moderation import services as moderation
from moderation.models import ModerationAction
from questions import services as question_services
from questions.models import Category, Tag, TagSynonym
from search import index as search_index

from .base import (
    AuditedAdminMixin,
)


def _check_tag_name(name: str) -> str:
    """A tag or synonym name as the ask form would store it: lower case, a valid tag."""
    name = name.strip().lower()
    if not question_services.TAG_RE.match(name):
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:  # its questions are searched by the name
            search_index.reindex_questions(obj.questions.values_list("pk", flat=True))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("synonyms")

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
                moved = question_services.merge_tags(sources=sources, target=target)
                moderation.record_action(
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
            "tags": tags,  # each with its stored question_count
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
