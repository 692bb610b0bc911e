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
