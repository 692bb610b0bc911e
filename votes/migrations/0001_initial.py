"""vote: moved from `questions` with their tables (see core.migration_ops)."""


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
                name='ReputationEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('delta', models.IntegerField(verbose_name='change')),
                    ('reason', models.CharField(choices=[('upvote', 'Upvote received'), ('downvote', 'Downvote received'), ('downvoted-answer', 'Downvoted an answer'), ('accepted', 'Answer accepted'), ('accepter', 'Accepted an answer'), ('unaccepted', 'Accept undone'), ('vote-reversed', 'Vote reversed'), ('post-deleted', 'Post deleted'), ('post-restored', 'Post undeleted'), ('votes-invalidated', 'Votes invalidated'), ('correction', 'Recount correction'), ('opening', 'Reputation from before the ledger'), ('bonus', 'Bonus')], max_length=20, verbose_name='reason')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                    ('answer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='answers.answer')),
                    ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='questions.question')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reputation_events', to=settings.AUTH_USER_MODEL, verbose_name='member')),
                ],
                options={
                    'verbose_name': 'reputation change',
                    'verbose_name_plural': 'reputation changes',
                    'db_table': 'accounts_reputationevent',
                    'indexes': [models.Index(fields=['user', '-created_at', '-id'], name='reputation_event_user_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('question__isnull', True), ('answer__isnull', True), _connector='OR'), name='reputation_event_has_at_most_one_post')],
                },
            ),
            migrations.CreateModel(
                name='Vote',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('value', models.SmallIntegerField(choices=[(1, 'Up'), (-1, 'Down')], verbose_name='value')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                    ('answer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='answers.answer')),
                    ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='questions.question')),
                    ('voter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to=settings.AUTH_USER_MODEL, verbose_name='voter')),
                ],
                options={
                    'verbose_name': 'vote',
                    'verbose_name_plural': 'votes',
                    'db_table': 'questions_vote',
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('answer__isnull', True), ('question__isnull', False)), models.Q(('answer__isnull', False), ('question__isnull', True)), _connector='OR'), name='vote_has_exactly_one_post'), models.UniqueConstraint(fields=('voter', 'question'), name='one_vote_per_question'), models.UniqueConstraint(fields=('voter', 'answer'), name='one_vote_per_answer'), models.CheckConstraint(condition=models.Q(('value__in', [1, -1])), name='vote_value_is_1_or_-1')],
                },
            ),
        ),
        move_content_types("questions", "votes", ["vote"]),
        move_content_types("accounts", "votes", ["reputationevent"]),
    ]
