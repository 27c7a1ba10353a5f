"""Give every existing organisation the built-in metrics (new ones get them on creation)."""

from django.db import migrations


def seed(apps, schema_editor):
    from followthrough.metrics.catalog import seed_catalog

    Organisation = apps.get_model("people", "Organisation")
    Metric = apps.get_model("metrics", "Metric")
    for org in Organisation.objects.all():
        seed_catalog(org, Metric)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial"), ("people", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
