from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from jokesite import protection
from questions import textrules

from .models import User


class SignupForm(AllauthSignupForm):
    """allauth's signup with the honeypot and the minimum fill time of `jokesite.protection`.

    A robot's signup is refused with a 400 page that says why, and no account is created.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = protection.guard_fields(user=None)
        del fields[protection.TOKEN]  # a second signup fails on the taken name anyway
        self.fields.update(fields)

    def try_save(self, request):
        problem = protection.robot_problem(self.data, None)
        if problem:
            return None, protection.reject(request, problem)
        return super().try_save(request)


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
