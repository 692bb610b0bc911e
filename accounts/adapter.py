from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from core.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Hook for allauth; signups are open on every install."""

    def is_open_for_signup(self, request):
        return True

    def get_client_ip(self, request):
        """The same address django-ratelimit limits by (`JOKESITE_TRUSTED_PROXIES`), so
        allauth's per-address limits on login, signup and password reset cannot be dodged with
        a made-up `X-Forwarded-For`, nor lock out everyone behind one proxy."""
        if ip := client_ip(request):
            return ip
        raise PermissionDenied("Unable to determine the client's address")
