"""The terms of every question's title in a table of their own (search.models.TitleTerm), so
similar and related questions read the newest questions holding a term from one index. Filled
here from the title vectors already indexed (PostgreSQL; SQLite scans titles instead)."""

import django.db.models.deletion
from django.db import migrations, models


FILL = """INSERT INTO search_titleterm (term, question_id)
    SELECT term, entry.question_id
    FROM questions_searchentry entry, unnest(tsvector_to_array(entry.title_vector)) term
    WHERE entry.answer_id IS NULL
    ON CONFLICT DO NOTHING"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL)


class Migration(migrations.Migration):

    dependencies = [
        ('questions', '0010_profile_and_unanswered_indexes'),
        ('search', '0004_search_slices'),
    ]

    operations = [
        migrations.CreateModel(
            name='TitleTerm',
            fields=[
                ('pk', models.CompositePrimaryKey('term', 'question', blank=True, editable=False, primary_key=True, serialize=False)),
                ('term', models.TextField()),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='questions.question')),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
