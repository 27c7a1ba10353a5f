"""The template files offered on the import guide import cleanly with their presets."""

from __future__ import annotations

from followthrough.crm.models import Account, Activity, Deal, DealStageChange, Lead, Product
from followthrough.ingest import presets
from followthrough.ingest.kinds import KINDS
from followthrough.ingest.models import RunStatus
from followthrough.people.lines import line_on
from followthrough.people.models import Person
from tests.cast import BaseTestCase
from tests.ingest.support import import_path

# What refers to what comes first, as docs/import.md says.
ORDER = ["people", "accounts", "products", "deals", "activities", "leads", "deal-history"]


class TemplateTests(BaseTestCase):
    def test_every_kind_of_the_web_import_has_a_template_and_a_preset(self):
        self.assertEqual(sorted(ORDER), sorted(KINDS))
        for kind in ORDER:
            with self.subTest(kind=kind):
                self.assertTrue(presets.sample(kind).is_file())
                self.assertIn(presets.template_preset(kind), presets.available())

    def test_each_template_imports_with_its_preset_without_a_rejected_row(self):
        for kind in ORDER:
            with self.subTest(kind=kind):
                run = import_path(
                    self.org, presets.sample(kind), presets.resolve(presets.template_preset(kind))
                )
                self.assertEqual((run.status, run.rejected), (RunStatus.DONE, 0), run.message)
        counts = [
            Person.objects.filter(email__endswith="@example.com").count(),
            Account.objects.count(),
            Product.objects.count(),
            Deal.objects.count(),
            Activity.objects.count(),
            Lead.objects.count(),
            DealStageChange.objects.count(),
        ]
        self.assertEqual(counts, [4, 2, 2, 3, 2, 2, 3])
        rita = Person.objects.get(email="rita@example.com")
        line = line_on(rita, rita.role_since)
        self.assertEqual((line.manager.name, line.team.name), ("Maya Jansen", "Benelux"))
        self.assertEqual(line.team.parent.name, "Europe")
