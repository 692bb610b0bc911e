"""Lists read from stored counts: `Question.is_answered` (filled by `answers.0005`) and
`ListBucket` (filled by `questions.0012`)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('questions', '0010_profile_and_unanswered_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ListBucket',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('list', models.CharField(max_length=60)),
                ('sort', models.CharField(max_length=8)),
                ('bucket', models.BigIntegerField()),
                ('n', models.IntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='question',
            name='is_answered',
            field=models.BooleanField(db_default=False, default=False, editable=False, verbose_name='answered'),
        ),
        migrations.AddConstraint(
            model_name='listbucket',
            constraint=models.UniqueConstraint(fields=('list', 'sort', 'bucket'), name='list_bucket_key'),
        ),
    ]
