from django import forms
from django.conf import settings
from django.utils.translation import get_language_info

from .models import EmailPreferences


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = EmailPreferences
        fields = [*EmailPreferences.kinds(), "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        # Each language in its own words; a form without the field keeps the stored language.
        language.choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
        language.required = False

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language


class FollowForm(forms.Form):
    """`follow=1` follows (the default), `follow=0` unfollows: setting, not toggling, so a
    repeated POST changes nothing."""

    follow = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1", required=False
    )

    def clean_follow(self):
        value = self.cleaned_data["follow"]
        return True if value in ("", None) else value


class IdsField(forms.Field):
    """Repeated `name=123` values: a list of at most `limit` positive ids."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, limit: int = 100, **kwargs):
        self.limit = limit
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        values = list(value or [])
        if len(values) > self.limit or not all(v.isdigit() and len(v) < 19 for v in values):
            raise forms.ValidationError("ids are notification numbers")
        return [int(v) for v in values]


class MarkReadForm(forms.Form):
    """The notifications to mark read (none: all of them), and the inbox page to go back to."""

    ids = IdsField()
    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)
