"""comment: moved from `questions` with their tables (see core.migration_ops)."""


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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        moved_model_state(
            migrations.CreateModel(
                name='Comment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('body', models.TextField(max_length=600, verbose_name='comment')),
                    ('body_html', models.TextField(editable=False)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                    ('deleted_at', models.DateTimeField(blank=True, null=True, verbose_name='deleted')),
                    ('hidden_at', models.DateTimeField(blank=True, null=True, verbose_name='hidden by flags')),
                    ('answer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='answers.answer')),
                    ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='comments', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                    ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='questions.question')),
                ],
                options={
                    'verbose_name': 'comment',
                    'verbose_name_plural': 'comments',
                    'db_table': 'questions_comment',
                    'indexes': [models.Index(fields=['created_at'], name='comment_created_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('answer__isnull', True), ('question__isnull', False)), models.Q(('answer__isnull', False), ('question__isnull', True)), _connector='OR'), name='comment_has_exactly_one_post')],
                },
            ),
        ),
        move_content_types("questions", "comments", ["comment"]),
    ]
