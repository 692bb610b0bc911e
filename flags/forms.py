from django import forms
from django.utils.translation import gettext_lazy as _

from core import textrules

from .models import FlagReason


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=FlagReason, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “something else”."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == FlagReason.OTHER and textrules.is_blank(cleaned.get("details")):
            self.add_error("details", _("Tell the moderators what is wrong."))
        return cleaned
