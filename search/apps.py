from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from core import signals

        from . import index

        signals.post_created.connect(index.on_post_created, dispatch_uid="search.on_post_created")
        signals.questions_retagged.connect(
            index.on_questions_retagged, dispatch_uid="search.on_questions_retagged"
        )
