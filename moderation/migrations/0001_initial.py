"""moderationaction, closevote: moved from `questions` with their tables (see core.migration_ops)."""


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
                name='ModerationAction',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('action', models.CharField(choices=[('hide', 'Hidden by flags'), ('flags-dismissed', 'Flags dismissed'), ('flags-helpful', 'Flags marked helpful'), ('delete', 'Deleted'), ('undelete', 'Undeleted'), ('edit', 'Edited'), ('rollback', 'Rolled back'), ('close', 'Closed'), ('reopen', 'Reopened'), ('lock', 'Locked'), ('unlock', 'Unlocked'), ('suspend', 'Suspended'), ('unsuspend', 'Suspension lifted'), ('delete-spammer', 'Spammer deleted'), ('merge-tags', 'Tags merged')], max_length=20, verbose_name='action')),
                    ('reason', models.TextField(blank=True, verbose_name='reason')),
                    ('details', models.JSONField(blank=True, default=dict, verbose_name='details')),
                    ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='moderation_actions', to=settings.AUTH_USER_MODEL, verbose_name='moderator')),
                    ('answer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='answers.answer')),
                    ('comment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='comments.comment')),
                    ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='questions.question')),
                    ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='member')),
                ],
                options={
                    'verbose_name': 'moderation log entry',
                    'verbose_name_plural': 'moderation log entries',
                    'db_table': 'questions_moderationaction',
                    'ordering': ['-created_at', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='CloseVote',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('close', 'Close'), ('reopen', 'Reopen')], max_length=10, verbose_name='kind')),
                    ('reason', models.CharField(blank=True, choices=[('duplicate', 'Duplicate'), ('off-topic', 'Off-topic'), ('needs-details', 'Needs details or clarity'), ('opinion-based', 'Opinion-based')], max_length=20, verbose_name='close reason')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                    ('expired_at', models.DateTimeField(blank=True, null=True, verbose_name='expired')),
                    ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='questions.question', verbose_name='duplicate of')),
                    ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='close_votes', to='questions.question', verbose_name='question')),
                    ('voter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='close_votes', to=settings.AUTH_USER_MODEL, verbose_name='voter')),
                ],
                options={
                    'verbose_name': 'close vote',
                    'verbose_name_plural': 'close votes',
                    'db_table': 'questions_closevote',
                    'indexes': [models.Index(fields=['question', 'expired_at'], name='close_vote_round_idx')],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('expired_at__isnull', True)), fields=('voter', 'question'), name='one_active_close_vote'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'reopen'), ('reason', '')), models.Q(('kind', 'close'), models.Q(('reason', ''), _negated=True)), _connector='OR'), name='close_vote_reason_iff_close')],
                },
            ),
        ),
        move_content_types("questions", "moderation", ["moderationaction", "closevote"]),
    ]
