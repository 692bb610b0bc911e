"""Forms against robots and against double submits.

Every protected form carries three extra fields, rendered by `{% form_guard %}` (or declared
by the signup form):

- `website`, a honeypot: a text input people never see (moved off screen, `aria-hidden`, out
  of the tab order), which form-filling robots fill in;
- `form_started`, the signed time the form was shown (and to whom): a form sent back faster
  than `JOKESITE_FORM_MIN_SECONDS` was not typed by a person;
- `form_token`, a random token per rendered form. The first POST carrying it reserves it in
  the shared cache; once it has redirected to what it created, a second POST with the same
  token (a double click, a resent form) is redirected there too instead of posting again.

The first two are checked on signup and on the posts of accounts younger than
`JOKESITE_NEW_ACCOUNT_DAYS`, while `JOKESITE_FORM_PROTECTION` is on; a POST without a token is
simply not deduplicated, so clients that post plain forms keep working.
"""

import re
import secrets
import time
from datetime import timedelta
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HONEYPOT = "website"
STARTED = "form_started"
TOKEN = "form_token"
SALT = "core.protection.form-started"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PENDING = "pending"
# A second submit arriving while the first is still running waits for it this many times 0.1 s.
WAIT_STEPS = 50


class HoneypotInput(forms.TextInput):
    """A text input inside an off-screen, aria-hidden wrapper. Counted as hidden, so form
    templates render it with the hidden fields, without a label of their own."""

    is_hidden = True

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "tabindex": "-1", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        label = _("Leave this field empty")
        return format_html(
            '<div class="hp" aria-hidden="true"><label>{} {}</label></div>', label, field
        )


def _user_key(user) -> int:
    return user.pk if user is not None and user.is_authenticated else 0


def started_value(user) -> str:
    """A signed "shown at" time for a form shown to `user` (None or anonymous: a visitor)."""
    return signing.dumps({"u": _user_key(user), "t": round(time.time(), 3)}, salt=SALT)


def guard_fields(user) -> dict[str, forms.Field]:
    """Fresh honeypot, start time and token fields for one rendered form."""
    return {
        HONEYPOT: forms.CharField(
            label=gettext_lazy("Leave this field empty"), required=False, widget=HoneypotInput
        ),
        STARTED: forms.CharField(
            required=False, initial=started_value(user), widget=forms.HiddenInput
        ),
        TOKEN: forms.CharField(
            required=False, initial=secrets.token_urlsafe(16), widget=forms.HiddenInput
        ),
    }


class GuardForm(forms.Form):
    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, auto_id=False, **kwargs)
        self.fields.update(guard_fields(user))


def is_new_account(user) -> bool:
    age = timezone.now() - user.date_joined
    return age < timedelta(days=settings.JOKESITE_NEW_ACCOUNT_DAYS)


def robot_problem(data, user) -> str | None:
    """Why this POST looks sent by a robot, as a sentence for the person who may have sent it;
    None when it looks fine or is not checked (protection off, or an established account)."""
    if not settings.JOKESITE_FORM_PROTECTION:
        return None
    if user is not None and user.is_authenticated and not is_new_account(user):
        return None
    if data.get(HONEYPOT):
        return _(
            "A field that people cannot see was filled in, as spam robots do. Nothing was saved."
        )
    try:
        started = signing.loads(
            data.get(STARTED, ""), salt=SALT, max_age=settings.JOKESITE_FORM_MAX_AGE
        )
        shown_to, shown_at = started["u"], float(started["t"])
    except signing.SignatureExpired:
        return _("This form was opened too long ago. Nothing was saved: reload it and send it.")
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        return _("This form is incomplete or out of date. Nothing was saved: reload it.")
    if shown_to != _user_key(user):
        return _("This form is incomplete or out of date. Nothing was saved: reload it.")
    if time.time() - shown_at < settings.JOKESITE_FORM_MIN_SECONDS:
        return _(
            "This form was sent less than %(n)d seconds after it was opened, as spam robots "
            "do. Nothing was saved: go back, wait a moment and send it again."
        ) % {"n": settings.JOKESITE_FORM_MIN_SECONDS}
    return None


def reject(request, message: str, status: int = 400):
    return render(request, "form_rejected.html", {"message": message}, status=status)


def _reserve(key: str) -> bool:
    """Reserve a token; True when this request is the first to send it. A cache outage lets
    the request through (no deduplication) rather than refusing it."""
    try:
        return cache.add(key, PENDING, timeout=settings.JOKESITE_FORM_TOKEN_TTL)
    except Exception:
        return True


def _forget(key: str, location: str | None = None) -> None:
    """Remember where the first submit went, or forget the token so the form may be sent
    again; a cache outage only costs the deduplication."""
    try:
        if location is None:
            cache.delete(key)
        else:
            cache.set(key, location, timeout=settings.JOKESITE_FORM_TOKEN_TTL)
    except Exception:
        pass


def _first_result(key: str) -> str | None:
    """Where the first submit of a token redirected, waiting while it still runs. None when
    it left nothing (it failed, or the token expired): this submit then goes ahead."""
    for _step in range(WAIT_STEPS):
        value = cache.get(key)
        if value != PENDING:
            return value
        time.sleep(0.1)
    return PENDING


def protect_form(view=None, *, unless=None):
    """Decorate a view that creates something on POST and redirects to it: robot checks, then
    one post per `form_token`. `@protect_form(unless=predicate)` leaves alone the POSTs for
    which `predicate(request)` is true (a step that saves nothing)."""
    if view is None:
        return lambda view: protect_form(view, unless=unless)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST" or (unless is not None and unless(request)):
            return view(request, *args, **kwargs)
        problem = robot_problem(request.POST, request.user)
        if problem:
            return reject(request, problem)
        token = request.POST.get(TOKEN, "")
        if not TOKEN_RE.match(token):
            return view(request, *args, **kwargs)
        key = f"form-token:{_user_key(request.user)}:{request.path}:{token}"
        while not _reserve(key):
            first = _first_result(key)
            if first == PENDING:
                message = _("This form is still being sent. Wait a moment, then reload the page.")
                return reject(request, message, status=409)
            if first is not None:
                messages.info(request, _("You sent this form twice; it was posted once."))
                return redirect(first)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            _forget(key)
            raise
        if response.status_code in (301, 302, 303) and response.has_header("Location"):
            _forget(key, response["Location"])
        else:
            _forget(key)  # nothing posted (an invalid form...): the form may be sent again
        return response

    return wrapped
