"""The admin is the moderators' console; a suspended moderator loses it with their other
writes until the suspension ends (superusers excepted: nobody below them can suspend them,
and the site needs one way in)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class ModerationSite(admin.AdminSite):
    # The navigation sidebar takes 300 px on every page: at 1,280 px the flag queue's
    # decisions and status went off screen beside the filters. The index and breadcrumbs
    # lead everywhere.
    enable_nav_sidebar = False

    def has_permission(self, request):
        user = request.user
        suspended = getattr(user, "is_suspended", False) and not user.is_superuser
        return super().has_permission(request) and not suspended


class ModerationAdminConfig(AdminConfig):
    default_site = "jokesite.admin_site.ModerationSite"
