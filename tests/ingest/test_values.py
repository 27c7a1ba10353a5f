"""Cells become values as the mapping says: mapped to "" is no value; days are the organisation's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.test import TestCase

from followthrough.crm.models import Activity, Deal, DealStageChange
from followthrough.ingest.mapping import MappingError, parse_mapping
from followthrough.ingest.models import RunStatus
from followthrough.people.models import Organisation, Person, Role
from tests.ingest.support import import_text, problems

DEALS = {
    "kind": "deals",
    "source": "crm",
    "columns": {
        "external_id": "Id",
        "amount": "Amount",
        "created_on": "Created",
        "close_on": "Closed",
        "stage": "Stage",
    },
    "fields": {"owner": {"column": "Owner", "match": "email"}},
}
HEADER = "Id,Owner,Amount,Created,Closed,Stage,Outcome,Type"


def deals(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def with_fields(mapping: dict, **fields) -> dict:
    return {**mapping, "fields": {**mapping["fields"], **fields}}


class MappedToEmptyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        Person.objects.create(
            organisation=cls.org, name="Rita", email="rita@acme.test", role=Role.REP
        )

    def imported(self, mapping, *rows):
        run = import_text(self.org, deals(*rows), mapping)
        self.assertEqual(run.status, RunStatus.DONE, problems(run))
        return run

    def test_an_amount_mapped_to_empty_is_no_amount(self):
        mapping = with_fields(DEALS, amount={"column": "Amount", "map": {"0.0": ""}})
        self.imported(
            mapping,
            "D1,rita@acme.test,0.0,2024-01-02,,Open,,",
            "D2,rita@acme.test,12.50,2024-01-02,,Open,,",
        )
        amounts = dict(Deal.objects.values_list("external_id", "amount"))
        self.assertEqual(amounts, {"D1": None, "D2": Decimal("12.50")})

    def test_a_date_a_reference_and_a_choice_mapped_to_empty_are_no_value(self):
        mapping = with_fields(
            DEALS,
            close_on={"column": "Closed", "map": {"n/a": ""}},
            owner={"column": "Owner", "match": "email", "map": {"(none)": ""}},
            deal_type={"column": "Type", "map": {"?": "", "New": "new_business"}},
            outcome={"column": "Outcome", "map": {"unknown": "", "Won": "won"}},
        )
        self.imported(mapping, "D1,(none),5,2024-01-02,N/A,Open,unknown,?")
        deal = Deal.objects.get()
        self.assertEqual((deal.close_on, deal.owner_id), (None, None))
        # An empty choice takes the field's default, as an empty cell does.
        self.assertEqual((deal.outcome, deal.deal_type), ("open", "new_business"))

    def test_a_required_field_mapped_to_empty_is_refused_as_empty(self):
        mapping = with_fields(DEALS, external_id={"column": "Id", "map": {"x": ""}})
        mapping["columns"] = {k: v for k, v in DEALS["columns"].items() if k != "external_id"}
        run = import_text(self.org, deals("x,rita@acme.test,5,2024-01-02,,Open,,"), mapping)
        self.assertEqual(run.status, RunStatus.REJECTED)
        self.assertEqual(problems(run)[0][2:], ("Id", "x", "required, but empty"))


class OrganisationDayTests(TestCase):
    """New York's day: 2018-06-01 02:32 UTC is 2018-05-31 22:32 there."""

    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme", timezone="America/New_York")
        cls.rita = Person.objects.create(
            organisation=cls.org, name="Rita", email="rita@acme.test", role=Role.REP
        )

    def closed(self, value: str, mapping: dict = DEALS) -> dt.date:
        run = import_text(self.org, deals(f"D1,rita@acme.test,5,2018-05-01,{value},Won,,"), mapping)
        self.assertEqual(run.status, RunStatus.DONE, problems(run))
        return Deal.objects.get(external_id="D1").close_on

    def test_a_date_and_time_in_utc_is_the_organisations_day(self):
        self.assertEqual(self.closed("2018-06-01T02:32:00Z"), dt.date(2018, 5, 31))

    def test_a_date_and_time_with_an_offset_is_the_organisations_day(self):
        self.assertEqual(self.closed("2018-06-01T06:30:00+05:00"), dt.date(2018, 5, 31))
        self.assertEqual(self.closed("2018-05-31T23:30:00-05:00"), dt.date(2018, 6, 1))

    def test_a_time_in_the_mappings_zone_is_the_organisations_day(self):
        utc = {**DEALS, "timezone": "UTC"}
        self.assertEqual(self.closed("2018-06-01 02:32:00", utc), dt.date(2018, 5, 31))
        formatted = with_fields(utc, close_on={"column": "Closed", "format": "%d/%m/%Y %H:%M"})
        self.assertEqual(self.closed("01/06/2018 02:32", formatted), dt.date(2018, 5, 31))

    def test_a_plain_date_or_a_local_time_keeps_its_day(self):
        utc = {**DEALS, "timezone": "UTC"}
        self.assertEqual(self.closed("2018-06-01", utc), dt.date(2018, 6, 1))
        self.assertEqual(self.closed("2018-06-01 02:32:00"), dt.date(2018, 6, 1))
        formatted = with_fields(utc, close_on={"column": "Closed", "format": "%d/%m/%Y"})
        self.assertEqual(self.closed("01/06/2018", formatted), dt.date(2018, 6, 1))

    def test_an_activitys_day_is_the_organisations_when_the_mapping_has_a_zone(self):
        mapping = {
            "kind": "activities",
            "source": "crm",
            "timezone": "UTC",
            "columns": {"external_id": "Id", "type": "Type", "occurred_at": "When"},
            "fields": {"owner": {"column": "Owner", "match": "email"}},
        }
        content = "Id,Owner,Type,When\nA1,rita@acme.test,call,2018-06-01 02:32:00\n"
        run = import_text(self.org, content, mapping, name="activities.csv")
        self.assertEqual(run.status, RunStatus.DONE, problems(run))
        activity = Activity.objects.get()
        self.assertEqual(activity.occurred_at, dt.datetime(2018, 6, 1, 2, 32, tzinfo=dt.UTC))
        self.assertEqual(activity.occurred_on, dt.date(2018, 5, 31))

    def test_a_stage_move_found_on_reimport_is_dated_on_the_organisations_day(self):
        first = deals("D1,rita@acme.test,5,2018-05-01,,Open,,")
        later = deals("D1,rita@acme.test,5,2018-05-01,,Proposal,,")
        utc = {**DEALS, "timezone": "UTC"}
        self.assertEqual(import_text(self.org, first, utc).status, RunStatus.DONE)
        # 03:00 UTC on 2 June is still 1 June in New York.
        with time_machine.travel(dt.datetime(2018, 6, 2, 3, 0, tzinfo=dt.UTC)):
            self.assertEqual(import_text(self.org, later, utc).status, RunStatus.DONE)
        move = DealStageChange.objects.get()
        self.assertEqual(move.changed_on, dt.date(2018, 6, 1))

    def test_an_unknown_mapping_zone_is_a_mapping_error(self):
        with self.assertRaisesMessage(MappingError, "not a time zone name"):
            parse_mapping({**DEALS, "timezone": "Mars/Olympus"})
