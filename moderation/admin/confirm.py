"""A confirmation step for the console's destructive actions (delete, delete + suspend,
suspend, delete spammer): nothing happens on the first click; a page lists what will be done
and, for suspensions, asks the reason and the length the member will read in their banner
and their email. The action runs when that page is posted back with `confirmed`."""

from django import forms
from django.conf import settings
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

LENGTHS = [
    (1, _("1 day")),
    (3, _("3 days")),
    (7, _("7 days")),
    (30, _("30 days")),
    (365, _("1 year")),
]


class ConfirmForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the member reads"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    days = forms.TypedChoiceField(
        label=_("Length"), choices=LENGTHS, coerce=int, initial=settings.JOKESITE_SUSPENSION_DAYS
    )

    def __init__(self, *args, suspends: bool, reason_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        if not suspends:
            del self.fields["days"]
            self.fields["reason"].label = _("Reason (for the audit log)")


def confirmed(request, *, suspends: bool, reason_required: bool = True) -> ConfirmForm | None:
    """The valid confirmation posted with this request, or None (then show `page`)."""
    if "confirmed" not in request.POST:
        return None
    form = ConfirmForm(request.POST, suspends=suspends, reason_required=reason_required)
    return form if form.is_valid() else None


def page(
    request,
    model_admin,
    *,
    title: str,
    warning: str,
    items: list[str],
    suspends: bool,
    action: str = "",
    selected=(),
    action_url: str = "",
    reason_required: bool = True,
):
    """The confirmation page: posts back to the changelist's action (`action`, `selected`) or
    to `action_url` (a row's button), with `next`: the page the moderator came from."""
    data = request.POST if "confirmed" in request.POST else None
    form = ConfirmForm(data, suspends=suspends, reason_required=reason_required)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "warning": warning,
        "items": items,
        "form": form,
        "opts": model_admin.model._meta,
        "action": action,
        "action_url": action_url,
        "selected": [str(pk) for pk in selected],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "next": request.POST.get("next") or request.headers.get("referer", ""),
    }
    return TemplateResponse(request, "admin/moderation/confirm.html", context)


def back(request, fallback: str) -> str:
    """Where to go after a confirmed action: the page the confirmation came from, when it is
    on this site."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and safe else fallback
