"""flag: moved from `questions` with their tables (see core.migration_ops)."""


import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from core.migration_ops import move_content_types, moved_model_state


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('answers', '0003_hidden_and_locked'),
        ('comments', '0001_initial'),
        ('questions', '0006_search'),
        ('accounts', '0004_reputation_ledger'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        moved_model_state(
            migrations.CreateModel(
                name='Flag',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reason', models.CharField(choices=[('spam', 'Spam'), ('rude', 'Rude or abusive'), ('needs-improvement', 'Needs improvement'), ('other', 'Something else')], max_length=20, verbose_name='reason')),
                    ('details', models.TextField(blank=True, max_length=500, verbose_name='details')),
                    ('status', models.CharField(choices=[('open', 'Open'), ('helpful', 'Helpful'), ('declined', 'Declined')], default='open', max_length=10, verbose_name='status')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                    ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='handled')),
                    ('answer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='answers.answer')),
                    ('comment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='comments.comment')),
                    ('flagger', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flags', to=settings.AUTH_USER_MODEL, verbose_name='flagger')),
                    ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
                    ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='questions.question')),
                ],
                options={
                    'verbose_name': 'flag',
                    'verbose_name_plural': 'flags',
                    'db_table': 'questions_flag',
                    'ordering': [models.OrderBy(models.F('handled_at'), nulls_first=True), '-created_at'],
                    'indexes': [models.Index(fields=['status', '-created_at'], name='flag_queue_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('answer__isnull', True), ('comment__isnull', True), ('question__isnull', False)), models.Q(('answer__isnull', False), ('comment__isnull', True), ('question__isnull', True)), models.Q(('answer__isnull', True), ('comment__isnull', False), ('question__isnull', True)), _connector='OR'), name='flag_has_exactly_one_target'), models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('flagger', 'question'), name='one_open_flag_per_question'), models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('flagger', 'answer'), name='one_open_flag_per_answer'), models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('flagger', 'comment'), name='one_open_flag_per_comment')],
                },
            ),
        ),
        move_content_types("questions", "flags", ["flag"]),
    ]
