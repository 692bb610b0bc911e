from django import forms
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.utils.translation import gettext_lazy as _

from core.models import COMMENT_MAX, COMMENT_MIN


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[MinLengthValidator(COMMENT_MIN), MaxLengthValidator(COMMENT_MAX)],
        strip=True,
    )
