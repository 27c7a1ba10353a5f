"""Activities keep no index on the owner alone: see Activity.owner.

On SQLite, Django would alter the field by copying the whole table; dropping the
index is all that changes, so that is all this migration does to the database.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "crm_activity_owner_id_961b1d34"  # Django's name for the field's index


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0004_account_first_won_index"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="activity",
                    name="owner",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="activities",
                        to="people.person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "crm_activity" ("owner_id")',
                ),
            ],
        ),
    ]
