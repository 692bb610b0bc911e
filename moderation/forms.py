import re

from django import forms
from django.utils.translation import gettext_lazy as _

from questions.models import CloseReason, Question


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
