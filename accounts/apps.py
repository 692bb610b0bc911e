from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import signals

        post_migrate.connect(
            signals.grant_moderator_permissions,
            sender=self,
            dispatch_uid="accounts.grant_moderator_permissions",
        )
        m2m_changed.connect(
            signals.moderators_are_staff,
            sender=self.get_model("User").groups.through,
            dispatch_uid="accounts.moderators_are_staff",
        )
