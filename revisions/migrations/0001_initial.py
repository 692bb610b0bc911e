"""revision: moved from `questions` with their tables (see core.migration_ops)."""


import django.db.models.deletion
import django.utils.timezone
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
                name='Revision',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveIntegerField(verbose_name='revision')),
                    ('title', models.CharField(blank=True, max_length=150, verbose_name='title')),
                    ('body', models.TextField(verbose_name='body')),
                    ('tags', models.CharField(blank=True, max_length=200, verbose_name='tags')),
                    ('summary', models.CharField(blank=True, max_length=200, verbose_name='edit summary')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                    ('answer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='answers.answer')),
                    ('editor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to=settings.AUTH_USER_MODEL, verbose_name='editor')),
                    ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='questions.question')),
                ],
                options={
                    'verbose_name': 'revision',
                    'verbose_name_plural': 'revisions',
                    'db_table': 'questions_revision',
                    'ordering': ['-number'],
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('answer__isnull', True), ('question__isnull', False)), models.Q(('answer__isnull', False), ('question__isnull', True)), _connector='OR'), name='revision_has_exactly_one_post'), models.UniqueConstraint(fields=('question', 'number'), name='question_revision_no'), models.UniqueConstraint(fields=('answer', 'number'), name='answer_revision_no')],
                },
            ),
        ),
        move_content_types("questions", "revisions", ["revision"]),
    ]
