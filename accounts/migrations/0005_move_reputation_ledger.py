"""The reputation ledger moved to `votes` with its table (see core.migration_ops)."""

from django.db import migrations

from core.migration_ops import moved_model_state


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_reputation_ledger"),
        ("votes", "0001_initial"),
    ]

    operations = [moved_model_state(migrations.DeleteModel(name="ReputationEvent"))]
