import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services, textrules
from .models import (
    TAG_MAX_LENGTH,
    TAGS_MAX,
    TAGS_MIN,
    Category,
    CloseReason,
    FlagReason,
    Question,
)

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\r?\n)+")


def _collapse(value: str) -> str:
    return " ".join(textrules.strip_invisible_edges(value).split())


class BodyForm(forms.Form):
    """A Markdown body, checked by the text rules (a CJK character counts as two)."""

    body = textrules.RuleField(
        rule=textrules.BODY,
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: **bold**, *italic*, `code`, [links](https://example.com)."),
        strip=False,  # leading spaces are Markdown: a body may open with an indented code block
    )

    def clean_body(self):
        return _LEADING_BLANK_LINES.sub("", self.cleaned_data["body"]).rstrip()


class QuestionForm(BodyForm):
    title = textrules.RuleField(
        rule=textrules.TITLE,
        label=_("Title"),
        help_text=_("Be specific, as if you were asking another person."),
    )
    body = BodyForm.base_fields["body"]
    tags = forms.CharField(
        label=_("Tags"),
        max_length=250,
        error_messages={"required": _("Add at least one tag.")},
        help_text=_("1 to 5 tags, separated by spaces, for example: payments banks."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("(none)"),
        to_field_name="slug",
    )

    field_order = ["title", "body", "tags", "category"]

    def clean_title(self):
        return _collapse(self.cleaned_data["title"])

    def clean_tags(self):
        # A synonym is stored as its tag, so "js javascript" is one tag, and an edit that only
        # spells a tag by its synonym changes nothing.
        names = services.canonical_tag_names(services.normalize_tags(self.cleaned_data["tags"]))
        if len(names) < TAGS_MIN:
            raise forms.ValidationError(_("Add at least one tag."), code="required")
        if len(names) > TAGS_MAX:
            raise forms.ValidationError(
                ngettext("Use at most %(n)d tag.", "Use at most %(n)d tags.", TAGS_MAX)
                % {"n": TAGS_MAX},
                code="too_many",
            )
        for name in names:
            if len(name) > TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    _("The tag “%(tag)s…” is longer than %(n)d characters.")
                    % {"tag": name[:20], "n": TAG_MAX_LENGTH},
                    code="too_long",
                )
            if not services.TAG_RE.match(name):
                raise forms.ValidationError(
                    _("The tag “%(tag)s” may only contain letters, digits and + # . - _")
                    % {"tag": name},
                    code="invalid",
                )
        return names


class EditSummaryMixin(forms.Form):
    summary = forms.CharField(
        label=_("Edit summary"),
        max_length=200,
        required=False,
        help_text=_("Briefly say what you changed."),
    )


class EditQuestionForm(QuestionForm, EditSummaryMixin):
    pass


class EditBodyForm(BodyForm, EditSummaryMixin):
    pass


class CommentForm(forms.Form):
    body = textrules.RuleField(
        rule=textrules.COMMENT,
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        strip=True,
    )

    def clean_body(self):
        return textrules.strip_invisible_edges(self.cleaned_data["body"])


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "1"), ("-1", "-1"), ("0", "0")], coerce=int)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=FlagReason, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “something else”."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == FlagReason.OTHER and textrules.is_blank(cleaned.get("details")):
            self.add_error("details", _("Tell the moderators what is wrong."))
        return cleaned


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why close it?"), choices=CloseReason, widget=forms.RadioSelect
    )
    duplicate_of = forms.CharField(
        label=_("Duplicate of"),
        required=False,
        max_length=300,
        help_text=_("For a duplicate: the original question's number or address."),
    )
    note = forms.CharField(
        label=_("Note for the moderation log"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question

    def clean_duplicate_of(self) -> Question | None:
        """A question number or any address of it (`/questions/12/slug/`) -> the question."""
        text = self.cleaned_data["duplicate_of"].strip()
        if not text:
            return None
        match = re.search(r"(?:^|/questions/)(\d+)(?:[/#?]|$)", text)
        original = match and Question.objects.visible().filter(pk=match[1]).first()
        if not original:
            raise forms.ValidationError(_("No question found at “%(text)s”.") % {"text": text})
        if original.pk == self.question.pk:
            raise forms.ValidationError(_("A question cannot duplicate itself."))
        return original

    def clean(self):
        cleaned = super().clean()
        duplicate = cleaned.get("reason") == CloseReason.DUPLICATE
        if duplicate and not cleaned.get("duplicate_of") and "duplicate_of" not in self.errors:
            self.add_error("duplicate_of", _("Name the question this one duplicates."))
        return cleaned


class CloseVoteForm(CloseForm):
    """A member's close vote: a reason and, for a duplicate, the original; no log note."""

    note = None


class RetagForm(forms.Form):
    """Only the tags of a question, checked as on the ask and edit forms."""

    tags = QuestionForm.base_fields["tags"]
    clean_tags = QuestionForm.clean_tags
