from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    # "Accounts" is allauth's section (email addresses): ours holds the members.
    verbose_name = _("Members")

    def ready(self):
        from . import signals

        m2m_changed.connect(
            signals.moderators_are_staff,
            sender=self.get_model("User").groups.through,
            dispatch_uid="accounts.moderators_are_staff",
        )
