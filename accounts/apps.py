from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    # "Accounts" is allauth's section (email addresses): ours holds the members.
    verbose_name = _("Members")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import signals

        # Django's own receiver saves `last_login` on every login, which no page shows: the
        # same save, told to the page cache as such, so a login does not empty it.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(signals.update_last_login, dispatch_uid="update_last_login")

        m2m_changed.connect(
            signals.moderators_are_staff,
            sender=self.get_model("User").groups.through,
            dispatch_uid="accounts.moderators_are_staff",
        )
        from django.contrib.auth.models import Group

        for through in (self.get_model("User").user_permissions.through, Group.permissions.through):
            m2m_changed.connect(
                signals.moderate_makes_staff,
                sender=through,
                dispatch_uid=f"accounts.moderate_makes_staff.{through.__name__}",
            )
