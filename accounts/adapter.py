from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Hook for allauth; signups are open on every install."""

    def is_open_for_signup(self, request):
        return True
