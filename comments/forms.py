from django import forms
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.utils.translation import gettext_lazy as _

from core.models import COMMENT_MAX, COMMENT_MIN
from core.text import visible_length


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[MinLengthValidator(COMMENT_MIN), MaxLengthValidator(COMMENT_MAX)],
        strip=True,
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not visible_length(body):
            raise forms.ValidationError(self.fields["body"].error_messages["required"], "required")
        if visible_length(body) < COMMENT_MIN:
            raise forms.ValidationError(
                _("Write at least %(n)d characters.") % {"n": COMMENT_MIN}, code="min_length"
            )
        return body
