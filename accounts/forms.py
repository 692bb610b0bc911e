from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.core.validators import MaxLengthValidator

from core import protection


class SignupForm(AllauthSignupForm):
    """allauth's signup with the honeypot and the minimum fill time of `core.protection`.

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
        if not protection.claim_stamp(self.data, None):
            return None, protection.reject(request, str(protection.STAMP_USED))
        return super().try_save(request)


class LoginForm(AllauthLoginForm):
    """allauth's login with bounded fields: a name or address longer than any account can have
    is refused as a form error before it reaches the database (SQLite refused a 100,000
    character case-insensitive lookup with "LIKE or GLOB pattern too complex": a 500)."""

    LIMITS = {"login": 254, "password": 4096}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in self.LIMITS.items():
            if field := self.fields.get(name):
                field.max_length = limit
                field.validators.append(MaxLengthValidator(limit))
