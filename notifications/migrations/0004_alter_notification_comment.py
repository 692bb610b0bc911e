
import django.db.models.deletion
from django.db import migrations, models

from core.migration_ops import moved_model_state


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0001_initial'),
        ('notifications', '0003_tag_follow'),
    ]

    operations = [
        moved_model_state(migrations.AlterField(
            model_name='notification',
            name='comment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='comments.comment'),
        )),
    ]
