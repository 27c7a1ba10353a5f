"""The built-in metrics the three rights read (cold outreach, meetings booked from it,
new business), added to every organisation with their rollups."""

from django.db import migrations

NEW = (
    "cold_calls",
    "cold_emails",
    "meetings_booked_calls",
    "meetings_booked_emails",
    "meetings_per_100_cold_calls",
    "meetings_per_100_cold_emails",
    "new_business_created",
    "new_business_won",
    "new_business_closed",
)


def seed(apps, schema_editor):
    from followthrough.metrics import rollups
    from followthrough.metrics.catalog import forget_catalog, seed_catalog
    from followthrough.metrics.models import Metric as LiveMetric

    Organisation = apps.get_model("people", "Organisation")
    Metric = apps.get_model("metrics", "Metric")
    for org in Organisation.objects.all():
        if seed_catalog(org, Metric):
            added = list(LiveMetric.objects.filter(organisation_id=org.pk, key__in=NEW))
            rollups.rebuild(org.pk, added)
    forget_catalog()


class Migration(migrations.Migration):
    dependencies = [("metrics", "0006_rollup_quarters")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
