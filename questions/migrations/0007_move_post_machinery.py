"""The post machinery moved to its own apps, tables and all (see core.migration_ops)."""


from django.db import migrations

from core.migration_ops import moved_model_state


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0004_alter_notification_comment'),
        ('questions', '0006_search'),
        ('votes', '0001_initial'),
        ('comments', '0001_initial'),
        ('revisions', '0001_initial'),
        ('flags', '0001_initial'),
        ('moderation', '0001_initial'),
        ('search', '0001_initial'),
    ]

    operations = [
        moved_model_state(
            migrations.RemoveField(
                model_name='comment',
                name='answer',
            ),
            migrations.RemoveField(
                model_name='comment',
                name='author',
            ),
            migrations.RemoveField(
                model_name='comment',
                name='question',
            ),
            migrations.RemoveField(
                model_name='moderationaction',
                name='comment',
            ),
            migrations.RemoveField(
                model_name='flag',
                name='comment',
            ),
            migrations.RemoveField(
                model_name='flag',
                name='answer',
            ),
            migrations.RemoveField(
                model_name='flag',
                name='flagger',
            ),
            migrations.RemoveField(
                model_name='flag',
                name='handled_by',
            ),
            migrations.RemoveField(
                model_name='flag',
                name='question',
            ),
            migrations.RemoveField(
                model_name='moderationaction',
                name='actor',
            ),
            migrations.RemoveField(
                model_name='moderationaction',
                name='answer',
            ),
            migrations.RemoveField(
                model_name='moderationaction',
                name='question',
            ),
            migrations.RemoveField(
                model_name='moderationaction',
                name='user',
            ),
            migrations.RemoveField(
                model_name='revision',
                name='answer',
            ),
            migrations.RemoveField(
                model_name='revision',
                name='editor',
            ),
            migrations.RemoveField(
                model_name='revision',
                name='question',
            ),
            migrations.RemoveField(
                model_name='searchentry',
                name='answer',
            ),
            migrations.RemoveField(
                model_name='searchentry',
                name='author',
            ),
            migrations.RemoveField(
                model_name='searchentry',
                name='question',
            ),
            migrations.RemoveField(
                model_name='searchentryfts',
                name='entry',
            ),
            migrations.RemoveField(
                model_name='vote',
                name='answer',
            ),
            migrations.RemoveField(
                model_name='vote',
                name='question',
            ),
            migrations.RemoveField(
                model_name='vote',
                name='voter',
            ),
            migrations.DeleteModel(
                name='CloseVote',
            ),
            migrations.DeleteModel(
                name='Comment',
            ),
            migrations.DeleteModel(
                name='Flag',
            ),
            migrations.DeleteModel(
                name='ModerationAction',
            ),
            migrations.DeleteModel(
                name='Revision',
            ),
            migrations.DeleteModel(
                name='SearchEntry',
            ),
            migrations.DeleteModel(
                name='SearchEntryFTS',
            ),
            migrations.DeleteModel(
                name='Vote',
            ),
        ),
    ]
