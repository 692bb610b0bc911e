import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import textrules
from questions import services
from questions.models import TAG_MAX_LENGTH, TAGS_MAX, TAGS_MIN, Category

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
        return _collapse(textrules.strip_bidi_controls(self.cleaned_data["title"]))

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
