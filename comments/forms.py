from django import forms
from django.utils.translation import gettext_lazy as _

from core import textrules


class CommentForm(forms.Form):
    """A comment, checked by the text rules (a CJK character counts as two)."""

    body = textrules.RuleField(
        rule=textrules.COMMENT,
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        strip=True,
    )

    def clean_body(self):
        return textrules.strip_invisible_edges(self.cleaned_data["body"])
