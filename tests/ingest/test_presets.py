"""Every preset imports its product's export, with exact values, and re-imports as a no-op."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from followthrough.crm.models import Account, Activity, Deal, DealChange, DealStageChange, Lead
from followthrough.ingest import presets
from followthrough.ingest.models import ImportRun, RunStatus
from followthrough.people.models import Organisation, Person, Role

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


class PresetTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Amsterdam is UTC+1 in March: local times in exports are an hour ahead of UTC.
        cls.org = Organisation.objects.create(name="Acme", slug="acme", timezone="Europe/Amsterdam")
        cls.alice = Person.objects.create(
            organisation=cls.org,
            name="Alice Adams",
            email="alice@acme.test",
            external_id="0055g00000AbCdEAAZ",
            role=Role.REP,
        )
        cls.bob = Person.objects.create(
            organisation=cls.org,
            name="Bob Brown",
            email="bob@acme.test",
            external_id="0055g00000XyZ12AAB",
            role=Role.REP,
        )

    def load(self, kind: str, preset: str) -> ImportRun:
        out = io.StringIO()
        call_command(
            "import",
            kind,
            str(FIXTURES / f"{preset}.csv"),
            "--mapping",
            preset,
            "--organisation",
            "acme",
            "--no-progress",
            stdout=out,
        )
        run = ImportRun.objects.order_by("-pk").first()
        self.assertEqual(run.status, RunStatus.DONE, run.message)
        self.assertEqual(run.rejected, 0)
        return run

    def load_twice(self, kind: str, preset: str, rows: int) -> ImportRun:
        first = self.load(kind, preset)
        self.assertEqual(first.created, rows)
        again = self.load(kind, preset)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, rows))
        return first


class PresetFilesTests(TestCase):
    def test_every_preset_ships_with_a_fixture(self):
        names = presets.available()
        self.assertEqual(len(names), 20)
        for name in names:
            # A template preset's fixture is the template file the import guide offers.
            kind = name.removeprefix(presets.TEMPLATE_PREFIX)
            fixture = presets.sample(kind) if kind != name else FIXTURES / f"{name}.csv"
            self.assertTrue(fixture.is_file(), name)


class HubSpotTests(PresetTestCase):
    def setUp(self):
        self.load_twice("accounts", "hubspot-companies", 3)
        self.load_twice("deals", "hubspot-deals", 4)

    def test_companies_become_accounts_with_their_parent(self):
        globex = Account.objects.get(external_id="9876543210")
        self.assertEqual(
            (globex.source, globex.name, globex.industry, globex.employees, globex.country),
            ("hubspot", "Globex Corporation", "Computer Software", 250, "United States"),
        )
        self.assertEqual(globex.annual_revenue, Decimal("12500000.00"))
        europe = Account.objects.get(external_id="9876543211")
        self.assertEqual((europe.parent, europe.annual_revenue), (globex, None))

    def test_deals_keep_stage_outcome_owner_account_and_dates(self):
        won = Deal.objects.get(external_id="15732048901")
        self.assertEqual(
            (won.name, won.stage, won.outcome, won.owner, won.account.name, won.deal_type),
            (
                "Globex - Platform licence",
                "Closed Won",
                "won",
                self.alice,
                "Globex Corporation",
                "new_business",
            ),
        )
        self.assertEqual(
            (won.created_on, won.close_on, won.amount),
            (dt.date(2024, 1, 15), dt.date(2024, 3, 28), Decimal("48000.00")),
        )
        expansion = Deal.objects.get(external_id="15732048902")
        self.assertEqual(
            (expansion.outcome, expansion.amount, expansion.account.name, expansion.deal_type),
            ("open", Decimal("12500.50"), "Initech", "upsell"),
        )
        lost = Deal.objects.get(external_id="15732048903")
        self.assertEqual(
            (lost.outcome, lost.amount, lost.loss_reason), ("lost", None, "Went with a competitor")
        )
        enquiry = Deal.objects.get(external_id="15732048904")
        self.assertEqual(
            (enquiry.owner, enquiry.account, enquiry.deal_type, enquiry.stage),
            (None, None, "new_business", "Appointment Scheduled"),
        )
        self.assertEqual(
            Account.objects.get(external_id="9876543210").first_won_on, dt.date(2024, 3, 28)
        )

    def test_calls_emails_meetings_and_tasks_become_activities(self):
        self.load_twice("activities", "hubspot-calls", 3)
        self.load_twice("activities", "hubspot-emails", 2)
        self.load_twice("activities", "hubspot-meetings", 2)
        self.load_twice("activities", "hubspot-tasks", 2)
        call = Activity.objects.get(external_id="40100000001")
        self.assertEqual(
            (call.type, call.direction, call.outcome, call.duration_seconds, call.owner),
            ("call", "outbound", "connected", 754, self.alice),
        )
        self.assertEqual(
            (call.occurred_at, call.occurred_on), (at(2024, 3, 4, 8, 15), dt.date(2024, 3, 4))
        )
        self.assertEqual(
            (call.deal.external_id, call.account.name), ("15732048901", "Globex Corporation")
        )
        self.assertEqual(
            list(
                Activity.objects.filter(external_id__startswith="401")
                .order_by("external_id")
                .values_list("outcome", "duration_seconds", "direction")
            ),
            [
                ("connected", 754, "outbound"),
                ("no_answer", 0, "outbound"),
                ("voicemail", 31, "inbound"),
            ],
        )
        self.assertEqual(
            list(
                Activity.objects.filter(type="email")
                .order_by("external_id")
                .values_list("direction", "subject")
            ),
            [("outbound", "Proposal for Globex"), ("inbound", "RE: Proposal for Globex")],
        )
        meeting = Activity.objects.get(external_id="40300000002")
        self.assertEqual(
            (meeting.type, meeting.outcome, meeting.owner, meeting.occurred_at),
            ("meeting", "no_show", self.bob, at(2024, 3, 14, 9, 30)),
        )
        tasks = Activity.objects.filter(external_id__startswith="404").order_by("external_id")
        self.assertEqual(
            [(t.type, t.outcome, t.subject, t.occurred_at) for t in tasks],
            [
                ("task", "completed", "Send contract", at(2024, 3, 7, 16, 0)),
                ("call", "completed", "Call back Initech", at(2024, 3, 8, 8, 0)),
            ],
        )

    def test_contacts_become_leads_with_full_names(self):
        self.load_twice("leads", "hubspot-contacts", 2)
        jane = Lead.objects.get(external_id="701")
        self.assertEqual(
            (jane.name, jane.company, jane.owner, jane.lead_source, jane.status),
            ("Jane Doe", "Globex Corporation", self.alice, "Organic Search", "New"),
        )
        self.assertEqual((jane.created_on, jane.converted_on), (dt.date(2024, 1, 2), None))
        raj = Lead.objects.get(external_id="702")
        self.assertEqual((raj.name, raj.converted_on), ("Raj Patel", dt.date(2024, 2, 2)))


class SalesforceTests(PresetTestCase):
    def setUp(self):
        for name in ("Globex Corporation", "Initech"):
            Account.objects.create(
                organisation=self.org, source="salesforce", external_id=name[:3], name=name
            )
        self.load_twice("deals", "salesforce-opportunities", 3)

    def test_the_opportunities_report_becomes_deals(self):
        won = Deal.objects.get(external_id="0065g00000AbCdE")
        self.assertEqual(
            (won.owner, won.account.name, won.name, won.deal_type, won.stage, won.outcome),
            (
                self.alice,
                "Globex Corporation",
                "Globex - Platform licence",
                "new_business",
                "Closed Won",
                "won",
            ),
        )
        self.assertEqual(
            (won.amount, won.currency, won.created_on, won.close_on),
            (Decimal("48000.00"), "USD", dt.date(2024, 1, 15), dt.date(2024, 3, 28)),
        )
        open_deal = Deal.objects.get(external_id="0065g00000FgHiJ")
        self.assertEqual(
            (open_deal.outcome, open_deal.amount, open_deal.deal_type, open_deal.next_step),
            ("open", Decimal("12500.50"), "upsell", "Send order form"),
        )
        prospect = Deal.objects.get(external_id="0065g00000KlMnO")
        self.assertEqual(
            (prospect.account, prospect.amount, prospect.outcome, prospect.close_on),
            (None, None, "open", dt.date(2024, 7, 31)),
        )

    def test_opportunity_history_becomes_stage_moves_and_changes(self):
        run = self.load("deal-history", "salesforce-opportunity-history")
        self.assertEqual((run.created, run.unchanged), (4, 0))
        deal = Deal.objects.get(external_id="0065g00000AbCdE")
        self.assertEqual(
            list(
                DealStageChange.objects.filter(deal=deal)
                .order_by("changed_at")
                .values_list("from_stage", "to_stage", "changed_at", "changed_on")
            ),
            [
                ("", "Prospecting", at(2024, 1, 15, 10, 12), dt.date(2024, 1, 15)),
                ("Prospecting", "Proposal/Price Quote", at(2024, 2, 1, 9, 0), dt.date(2024, 2, 1)),
                (
                    "Proposal/Price Quote",
                    "Negotiation/Review",
                    at(2024, 3, 10, 16, 30),
                    dt.date(2024, 3, 10),
                ),
                ("Negotiation/Review", "Closed Won", at(2024, 3, 28, 17, 0), dt.date(2024, 3, 28)),
            ],
        )
        self.assertEqual(
            list(
                DealChange.objects.filter(deal=deal)
                .order_by("changed_at")
                .values_list("field", "old_value", "new_value", "changed_at")
            ),
            [
                ("amount", "40000.00", "48000.00", at(2024, 2, 1, 9, 0)),
                ("close_date", "2024-03-15", "2024-03-28", at(2024, 3, 10, 16, 30)),
            ],
        )
        again = self.load("deal-history", "salesforce-opportunity-history")
        self.assertEqual((again.created, again.unchanged), (0, 4))
        self.assertEqual(DealStageChange.objects.filter(deal=deal).count(), 4)

    def test_tasks_and_events_become_activities(self):
        self.load_twice("activities", "salesforce-tasks", 3)
        self.load_twice("activities", "salesforce-events", 2)
        self.assertEqual(
            list(
                Activity.objects.filter(source="salesforce", external_id__startswith="00T")
                .order_by("external_id")
                .values_list(
                    "owner__name", "type", "direction", "duration_seconds", "outcome", "occurred_at"
                )
            ),
            [
                ("Alice Adams", "call", "outbound", 185, "completed", at(2024, 3, 4, 9, 15)),
                ("Bob Brown", "email", "", None, "completed", at(2024, 3, 6, 11, 20)),
                ("Alice Adams", "task", "", None, "completed", at(2024, 3, 8, 15, 45)),
            ],
        )
        demo = Activity.objects.get(external_id="00U5g00000Evt1AAA")
        self.assertEqual(
            (demo.type, demo.subject, demo.duration_seconds, demo.occurred_at, demo.occurred_on),
            ("meeting", "Globex demo", 3600, at(2024, 3, 12, 13, 0), dt.date(2024, 3, 12)),
        )
        self.assertEqual(
            Activity.objects.get(external_id="00U5g00000Evt2AAA").duration_seconds, 2700
        )


class PipedriveTests(PresetTestCase):
    def setUp(self):
        Account.objects.create(
            organisation=self.org, source="pipedrive", external_id="1", name="Globex Corporation"
        )
        Account.objects.create(
            organisation=self.org, source="pipedrive", external_id="2", name="Initech"
        )
        self.load_twice("deals", "pipedrive-deals", 3)

    def test_deals_keep_status_value_currency_and_dates(self):
        won = Deal.objects.get(external_id="101")
        self.assertEqual(
            (won.outcome, won.stage, won.amount, won.currency, won.owner, won.account.name),
            (
                "won",
                "Negotiations Started",
                Decimal("48000.00"),
                "USD",
                self.alice,
                "Globex Corporation",
            ),
        )
        self.assertEqual(
            (won.created_on, won.close_on), (dt.date(2024, 1, 15), dt.date(2024, 3, 28))
        )
        open_deal = Deal.objects.get(external_id="102")
        self.assertEqual(
            (open_deal.outcome, open_deal.amount, open_deal.currency, open_deal.next_step_on),
            ("open", Decimal("12500.50"), "EUR", dt.date(2024, 4, 2)),
        )
        lost = Deal.objects.get(external_id="103")
        self.assertEqual(
            (lost.outcome, lost.amount, lost.loss_reason, lost.account),
            ("lost", Decimal("0.00"), "Price too high", None),
        )

    def test_activities_join_due_date_and_time(self):
        self.load_twice("activities", "pipedrive-activities", 3)
        self.assertEqual(
            list(
                Activity.objects.order_by("external_id").values_list(
                    "type",
                    "owner__name",
                    "occurred_at",
                    "occurred_on",
                    "duration_seconds",
                    "outcome",
                    "deal__external_id",
                )
            ),
            [
                (
                    "call",
                    "Alice Adams",
                    at(2024, 3, 4, 8, 15),
                    dt.date(2024, 3, 4),
                    900,
                    "completed",
                    "101",
                ),
                (
                    "meeting",
                    "Bob Brown",
                    at(2024, 3, 14, 9, 30),
                    dt.date(2024, 3, 14),
                    3600,
                    "completed",
                    "102",
                ),
                # No time: midnight in Amsterdam, which is still the 5th in UTC.
                (
                    "email",
                    "Alice Adams",
                    at(2024, 3, 5, 23, 0),
                    dt.date(2024, 3, 6),
                    None,
                    "completed",
                    "101",
                ),
            ],
        )
