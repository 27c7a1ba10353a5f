"""Rollups are kept by month only: partial months are read from the facts (see rollups.py)."""

from django.db import migrations


def drop_day_rows(apps, schema_editor):
    Rollup = apps.get_model("metrics", "Rollup")
    Rollup.objects.filter(grain="D")._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0004_covering_indexes")]

    operations = [migrations.RunPython(drop_day_rows, migrations.RunPython.noop)]
