from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from core import signals

        from . import index, related

        signals.post_created.connect(index.on_post_created, dispatch_uid="search.on_post_created")
        signals.questions_retagged.connect(
            index.on_questions_retagged, dispatch_uid="search.on_questions_retagged"
        )
        signals.post_created.connect(
            related.on_post_created, dispatch_uid="search.related.on_post_created"
        )
        signals.post_revised.connect(
            related.on_post_revised, dispatch_uid="search.related.on_post_revised"
        )
        signals.questions_retagged.connect(
            related.on_questions_retagged, dispatch_uid="search.related.on_questions_retagged"
        )
