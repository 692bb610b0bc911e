"""Titles get a full-text vector and GIN index of their own (PostgreSQL), for similar and
related questions (questions.similar): the post vector's title weight cannot be searched
without reading every matching body's tokens. And an index of each tag's questions in order."""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

BATCH = 2000


def index_titles(apps, schema_editor):
    """Fill the new column of the questions already indexed, a batch at a time, then index it."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from questions.search.index import TITLE_VECTOR_SQL
    from questions.search.text import document

    SearchEntry = apps.get_model("questions", "SearchEntry")
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


# A tag's newest questions, read backwards from the end of the tag's range: related questions
# take the newest few per tag, and a tag page lists them newest first.
TAG_INDEX = (
    "CREATE INDEX questions_question_tags_tag_question ON questions_question_tags "
    "(tag_id, question_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0006_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="title_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index_titles, drop_index),
        migrations.RunSQL(TAG_INDEX, "DROP INDEX questions_question_tags_tag_question"),
    ]
