"""Titles get a full-text vector and GIN index of their own (PostgreSQL), for similar and
related questions (search.similar): the post vector's title weight cannot be searched
without reading every matching body's tokens."""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

BATCH = 2000


def index_titles(apps, schema_editor):
    """Fill the new column of the questions already indexed, a batch at a time, then index it."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from search.index import TITLE_VECTOR_SQL
    from search.text import document

    SearchEntry = apps.get_model("search", "SearchEntry")
    entries = SearchEntry.objects.filter(answer__isnull=True).order_by("pk")
    last = 0
    with connection.cursor() as cursor:
        while rows := list(entries.filter(pk__gt=last).values_list("pk", "title")[:BATCH]):
            last = rows[-1][0]
            docs = [document(title) for _, title in rows]
            vector = TITLE_VECTOR_SQL.replace("%s", "v.words", 1).replace("%s", "v.cjk", 1)
            cursor.execute(
                f"""UPDATE questions_searchentry entry SET title_vector = {vector}
                    FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, words, cjk)
                    WHERE entry.id = v.id""",
                [[pk for pk, _ in rows], [d.words for d in docs], [d.cjk for d in docs]],
            )
        cursor.execute(
            "CREATE INDEX questions_searchentry_title_gin ON questions_searchentry "
            "USING gin (title_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS questions_searchentry_title_gin")



class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="title_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index_titles, drop_index),
    ]
