"""Forms against robots and against double submits.

Every protected form carries three extra fields, rendered by `{% form_guard %}` (or declared
by the signup form):

- `website`, a honeypot: a text input people never see (moved off screen, `aria-hidden`, out
  of the tab order), which form-filling robots fill in;
- `form_started`, the signed time the form was shown (and to whom): a form sent back faster
  than `JOKESITE_FORM_MIN_SECONDS` was not typed by a person. It is single-use: it carries a
  random nonce that the first post it brings reserves in the shared cache, so a robot cannot
  wait once and replay one stamp for a day of posts (a form sent back invalid frees it again);
- `form_token`, a random token per rendered form. The first POST carrying it reserves it in
  the shared cache; once it has redirected to what it created, a second POST with the same
  token (a double click, a resent form) is redirected there too instead of posting again.

The first two are checked on signup and on the posts of accounts younger than
`JOKESITE_NEW_ACCOUNT_DAYS`, while `JOKESITE_FORM_PROTECTION` is on; a POST without a token is
simply not deduplicated, so clients that post plain forms keep working.
"""

import contextlib
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
    """A signed "shown at" time for a form shown to `user` (None or anonymous: a visitor),
    with a nonce that makes it single-use."""
    stamp = {"u": _user_key(user), "t": round(time.time(), 3), "n": secrets.token_urlsafe(12)}
    return signing.dumps(stamp, salt=SALT)


def guard_html(user, label: str, checked: bool | None = None) -> str:
    """The guard fields of one rendered form as HTML, written out as their widgets render
    them (tests/test_protection.py compares the two), fresh for each form: what `{% form_guard
    %}` and a thread's comment forms (threads.render) write. `label`: the honeypot's,
    translated and escaped. A reader the checks leave alone (`checked`, by default
    `is_checked(user)`: an established account, or protection off) gets the token alone,
    which still spares a double submit."""
    token = f'<input type="hidden" name="{TOKEN}" value="{secrets.token_urlsafe(16)}">'
    if not (is_checked(user) if checked is None else checked):
        return token
    return (
        f'<div class="hp" aria-hidden="true"><label>{label} '
        f'<input type="text" name="{HONEYPOT}" autocomplete="off" tabindex="-1"></label>'
        f'</div><input type="hidden" name="{STARTED}" value="{started_value(user)}">{token}'
    )


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


def is_checked(user) -> bool:
    """Whether the robot checks apply to a form sent by `user` (None: a visitor)."""
    if not settings.JOKESITE_FORM_PROTECTION:
        return False
    return not (user is not None and user.is_authenticated and not is_new_account(user))


def robot_problem(data, user) -> str | None:
    """Why this POST looks sent by a robot, as a sentence for the person who may have sent it;
    None when it looks fine or is not checked (protection off, or an established account).
    Does not look at whether the stamp was used already: `claim_stamp` does."""
    if not is_checked(user):
        return None
    if data.get(HONEYPOT):
        return _(
            "A field that people cannot see was filled in, as spam robots do. Nothing was saved."
        )
    try:
        started = signing.loads(
            data.get(STARTED, ""), salt=SALT, max_age=settings.JOKESITE_FORM_MAX_AGE
        )
        shown_to, shown_at, nonce = started["u"], float(started["t"]), started["n"]
    except signing.SignatureExpired:
        return _("This form was opened too long ago. Nothing was saved: reload it and send it.")
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        return _("This form is incomplete or out of date. Nothing was saved: reload it.")
    if shown_to != _user_key(user) or not isinstance(nonce, str):
        return _("This form is incomplete or out of date. Nothing was saved: reload it.")
    if time.time() - shown_at < settings.JOKESITE_FORM_MIN_SECONDS:
        return _(
            "This form was sent less than %(n)d seconds after it was opened, as spam robots "
            "do. Nothing was saved: go back, wait a moment and send it again."
        ) % {"n": settings.JOKESITE_FORM_MIN_SECONDS}
    return None


def _stamp_key(data) -> str | None:
    try:
        nonce = signing.loads(data.get(STARTED, ""), salt=SALT)["n"]
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        return None
    return f"form-started:{nonce}"


def claim_stamp(data, user) -> bool:
    """Reserve the form's `form_started` stamp for this post; False when a post brought it
    already. True when the checks do not apply, or when the cache is down (robots then meet
    only the other checks, rather than people meeting an error). Call after `robot_problem`."""
    if not is_checked(user) or (key := _stamp_key(data)) is None:
        return True
    try:
        return bool(cache.add(key, 1, timeout=settings.JOKESITE_FORM_MAX_AGE))
    except Exception:
        return True


def release_stamp(data) -> None:
    """Free a stamp whose post saved nothing (an invalid form), so it can be sent again."""
    if (key := _stamp_key(data)) is not None:
        with contextlib.suppress(Exception):  # a cache outage: the stamp stays reserved
            cache.delete(key)


STAMP_USED = gettext_lazy(
    "This form was sent already. Nothing was saved: reload the page to write something new."
)


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
            return _run_once_per_stamp(view, request, *args, **kwargs)
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
            response = _run_once_per_stamp(view, request, *args, **kwargs)
        except BaseException:
            _forget(key)
            raise
        if response.status_code in (301, 302, 303) and response.has_header("Location"):
            _forget(key, response["Location"])
        else:
            _forget(key)  # nothing posted (an invalid form...): the form may be sent again
        return response

    return wrapped


def _created(response) -> bool:
    return response.status_code in (301, 302, 303) and response.has_header("Location")


def _run_once_per_stamp(view, request, *args, **kwargs):
    """Run the view if this post is the first to bring its form's stamp (`claim_stamp`); a
    view that saves nothing (no redirect) frees the stamp again."""
    if not claim_stamp(request.POST, request.user):
        return reject(request, str(STAMP_USED))
    try:
        response = view(request, *args, **kwargs)
    except BaseException:
        release_stamp(request.POST)
        raise
    if not _created(response):
        release_stamp(request.POST)
    return response
