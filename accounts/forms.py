from allauth.account.forms import SignupForm as AllauthSignupForm

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
        return super().try_save(request)
