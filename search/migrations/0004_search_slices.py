"""Time slices of the full-text index (search.slices): a partial GIN index per ~100,000 posts
by creation time, so a search reads the newest posts first and stops (PostgreSQL; on SQLite
the slices are only ranges). Indexes are built CONCURRENTLY: writes go on meanwhile."""

from django.db import migrations, models


def make_slices(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from search import slices

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
    slices.split(concurrently=True, report=print, apps=apps)


def drop_slices(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The full index first (the first split dropped it), so searches never lack one.
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS questions_searchentry_vector_gin"
        " ON questions_searchentry USING gin (vector)"
    )
    SearchSlice = apps.get_model("search", "SearchSlice")
    for name in SearchSlice.objects.values_list("index_name", flat=True):
        if name:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0003_related_questions"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchSlice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_at", models.DateTimeField(blank=True, null=True, unique=True)),
                ("ends_at", models.DateTimeField(blank=True, null=True)),
                ("index_name", models.CharField(blank=True, max_length=63)),
            ],
        ),
        migrations.RunPython(make_slices, drop_slices),
    ]
