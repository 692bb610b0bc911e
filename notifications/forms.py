from django import forms

from .models import EmailPreferences


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = EmailPreferences
        fields = EmailPreferences.kinds()


class FollowForm(forms.Form):
    """`follow=1` follows (the default), `follow=0` unfollows: setting, not toggling, so a
    repeated POST changes nothing."""

    follow = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1", required=False
    )

    def clean_follow(self):
        value = self.cleaned_data["follow"]
        return True if value in ("", None) else value
