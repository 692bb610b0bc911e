from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import textrules


class ProfileForm(forms.ModelForm):
    """What a member changes about themselves: the name shown, a few words, the avatar and
    the colours."""

    class Meta:
        model = User
        fields = ["display_name", "about", "avatar_style", "theme"]
        widgets = {
            "about": forms.Textarea(attrs={"rows": 5}),
            "avatar_style": forms.RadioSelect,
            "theme": forms.RadioSelect,
        }
        help_texts = {"about": _("Plain text, up to 3,000 characters.")}

    def clean_display_name(self):
        # A name of spaces or zero-width characters would show as nothing beside the avatar.
        name = " ".join(textrules.strip_invisible_edges(self.cleaned_data["display_name"]).split())
        return "" if textrules.is_blank(name) else name

    def clean_about(self):
        about = textrules.strip_invisible_edges(self.cleaned_data["about"])
        return "" if textrules.is_blank(about) else about
