"""searchentry, searchentryfts: moved from `questions` with their tables (see core.migration_ops)."""


import django.contrib.postgres.search
import django.db.models.deletion
import search.models
from django.conf import settings
from django.db import migrations, models

from core.migration_ops import move_content_types, moved_model_state


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('answers', '0003_hidden_and_locked'),
        ('questions', '0006_search'),
        ('accounts', '0004_reputation_ledger'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        moved_model_state(
            migrations.CreateModel(
                name='SearchEntry',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('question', 'question'), ('answer', 'answer')], max_length=8)),
                    ('title', models.CharField(max_length=150)),
                    ('body', models.TextField()),
                    ('tags', models.TextField(blank=True)),
                    ('score', models.IntegerField(default=0)),
                    ('is_accepted', models.BooleanField(default=False)),
                    ('answer_count', models.PositiveIntegerField(default=0)),
                    ('created_at', models.DateTimeField()),
                    ('is_visible', models.BooleanField(default=True)),
                    ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                    ('answer', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='search_entry', to='answers.answer')),
                    ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='search_entries', to='questions.question')),
                ],
                options={
                    'db_table': 'questions_searchentry',
                },
            ),
            migrations.CreateModel(
                name='SearchEntryFTS',
                fields=[
                    ('entry', models.OneToOneField(db_column='rowid', on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='fts', serialize=False, to='search.searchentry')),
                    ('title', search.models.FTS5Field()),
                    ('tags', search.models.FTS5Field()),
                    ('body', search.models.FTS5Field()),
                    ('document', search.models.FTS5Field(db_column='questions_searchentryfts')),
                    ('rank', models.FloatField()),
                ],
                options={
                    'db_table': 'questions_searchentryfts',
                    'managed': False,
                },
            ),
            migrations.AddIndex(
                model_name='searchentry',
                index=models.Index(fields=['-created_at', '-id'], name='search_newest_idx'),
            ),
            migrations.AddIndex(
                model_name='searchentry',
                index=models.Index(fields=['-score', '-created_at', '-id'], name='search_votes_idx'),
            ),
            migrations.AddConstraint(
                model_name='searchentry',
                constraint=models.UniqueConstraint(condition=models.Q(('answer__isnull', True)), fields=('question',), name='one_search_entry_per_question'),
            ),
            migrations.AddConstraint(
                model_name='searchentry',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('answer__isnull', True), ('kind', 'question')), models.Q(('answer__isnull', False), ('kind', 'answer')), _connector='OR'), name='search_entry_kind_matches_answer'),
            ),
        ),
        move_content_types("questions", "search", ["searchentry", "searchentryfts"]),
    ]
