"""Operations for the migrations that moved models between apps without touching their tables.

A moved model keeps its table (`Meta.db_table`), so the migrations that move it only change
Django's idea of where it lives: `moved_model_state` wraps the generated operations so they run
on the migration state alone, and `move_content_types` carries the model's content type (and so
every permission and admin log entry attached to it) over to the new app label.
"""

from django.db import migrations


def moved_model_state(*operations) -> migrations.SeparateDatabaseAndState:
    """The operations, applied to the migration state only: the database already holds them."""
    return migrations.SeparateDatabaseAndState(state_operations=list(operations))


def move_content_types(old_label: str, new_label: str, models: list[str]) -> migrations.RunPython:
    """Relabel the content types of `models` from `old_label` to `new_label` (and back when the
    migration is unapplied). A model whose new content type exists already is left alone."""

    def relabel(source: str, target: str):
        def run(apps, schema_editor):
            ContentType = apps.get_model("contenttypes", "ContentType")
            db = schema_editor.connection.alias
            for model in models:
                if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
                    continue
                ContentType.objects.using(db).filter(app_label=source, model=model).update(
                    app_label=target
                )

        return run

    return migrations.RunPython(relabel(old_label, new_label), relabel(new_label, old_label))
