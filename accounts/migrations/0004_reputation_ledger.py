"""The reputation ledger. Members who already have reputation get one opening row, so their
total equals 1 + the ledger from the start; `manage.py recompute_reputation` then checks those
rows against the votes and accepts like any other."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def open_ledger(apps, schema_editor):
    db = schema_editor.connection.alias
    User = apps.get_model("accounts", "User")
    ReputationEvent = apps.get_model("accounts", "ReputationEvent")
    rows = [
        ReputationEvent(user_id=pk, delta=reputation - 1, reason="opening")
        for pk, reputation in User.objects.using(db)
        .exclude(reputation=1)
        .values_list("pk", "reputation")
        .iterator()
    ]
    ReputationEvent.objects.using(db).bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_suspensions'),
        ('answers', '0002_initial'),
        ('questions', '0001_initial'),
    ]

    operations = [
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
                'indexes': [models.Index(fields=['user', '-created_at', '-id'], name='reputation_event_user_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('question__isnull', True), ('answer__isnull', True), _connector='OR'), name='reputation_event_has_at_most_one_post')],
            },
        ),
        migrations.RunPython(open_ledger, migrations.RunPython.noop),
    ]
