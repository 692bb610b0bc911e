from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevisionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "revisions"
    verbose_name = _("Revisions")

    def ready(self):
        from core import signals

        from . import services

        signals.post_created.connect(
            services.on_post_created, dispatch_uid="revisions.on_post_created"
        )
