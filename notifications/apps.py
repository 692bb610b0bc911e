from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from allauth.account.signals import user_signed_up

        from core import signals

        from . import receivers

        user_signed_up.connect(receivers.on_signed_up, dispatch_uid="notifications.on_signed_up")

        for signal, receiver in [
            (signals.post_created, receivers.on_post_created),
            (signals.comment_added, receivers.on_comment_added),
            (signals.answer_accepted, receivers.on_answer_accepted),
            (signals.moderator_action, receivers.on_moderator_action),
            (signals.suggestion_reviewed, receivers.on_suggestion_reviewed),
        ]:
            signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
