from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import signals

        from . import log, queue
        from .signals import grant_moderator_permissions

        post_migrate.connect(
            grant_moderator_permissions,
            sender=self,
            dispatch_uid="moderation.grant_moderator_permissions",
        )

        signals.post_revised.connect(log.on_post_revised, dispatch_uid="moderation.on_post_revised")
        signals.hidden_by_flags.connect(
            log.on_hidden_by_flags, dispatch_uid="moderation.on_hidden_by_flags"
        )
        for signal, receiver in (
            (signals.post_created, queue.on_post_created),
            (signals.suggestion_made, queue.on_suggestion_made),
            (signals.post_flagged, queue.on_post_flagged),
            (signals.hidden_by_flags, queue.on_hidden_by_flags),
        ):
            signal.connect(receiver, dispatch_uid=f"moderation.queue.{receiver.__name__}")
