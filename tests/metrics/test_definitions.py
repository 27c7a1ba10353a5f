"""Admins add and edit metric definitions in the UI and API; everyone else only reads them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from followthrough.audit.models import AuditEntry
from followthrough.lib.periods import Period
from followthrough.metrics import engine
from followthrough.metrics.models import Metric
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal, product, stage_change

D = dt.date
NEW = {
    "key": "big_wins",
    "name": "Big wins",
    "description": "",
    "kind": "count",
    "source": "deals",
    "date_basis": "closed",
    "measure": "",
    "filters": '{"outcome": "won", "deal_type": ["upsell", "new_business"]}',
    "scale": "1",
    "unit": "count",
    "higher_is_better": "on",
    "position": "5",
}


class DefinitionPageTests(BaseTestCase):
    def test_an_admin_sees_the_catalog_with_its_definitions(self):
        self.login(self.admin)
        response = self.client.get("/metrics/definitions/")
        self.assertContains(response, "win_rate")
        self.assertContains(response, "Deals won divided by Deals closed")

    def test_reps_managers_and_leaders_are_refused(self):
        for person in (self.rep, self.manager, self.leader):
            self.login(person)
            with self.subTest(person=person.name):
                self.assertEqual(self.client.get("/metrics/definitions/").status_code, 403)
                self.assertEqual(self.client.get("/metrics/definitions/new/").status_code, 403)
                response = self.client.post("/metrics/definitions/new/", NEW)
                self.assertEqual(response.status_code, 403)
        self.assertFalse(Metric.objects.filter(key="big_wins").exists())

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get("/metrics/definitions/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])

    def test_another_organisations_admin_cannot_open_our_metrics(self):
        mine = Metric.objects.create(
            organisation=self.org,
            key="mine",
            name="Mine",
            kind="count",
            source="deals",
            date_basis="created",
        )
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"/metrics/definitions/{mine.key}/edit/").status_code, 404)
        self.assertNotContains(self.client.get("/metrics/definitions/"), "Mine")

    def test_an_admin_adds_a_metric_and_the_change_is_audited(self):
        self.login(self.admin)
        response = self.client.post("/metrics/definitions/new/", NEW)
        self.assertRedirects(response, "/metrics/definitions/")
        metric = Metric.objects.get(organisation=self.org, key="big_wins")
        self.assertEqual(
            metric.filters, {"outcome": ["won"], "deal_type": ["new_business", "upsell"]}
        )
        entry = AuditEntry.objects.get(
            content_type=ContentType.objects.get_for_model(Metric), object_id=str(metric.pk)
        )
        self.assertEqual((entry.action, entry.actor), ("create", self.admin.user))

    def test_bad_definitions_get_errors_on_their_fields(self):
        self.login(self.admin)
        cases = [
            ({"filters": '{"colour": ["red"]}'}, "filters", "Unknown filter colour"),
            ({"filters": '{"outcome": ["maybe"]}'}, "filters", "does not accept maybe"),
            ({"date_basis": "occurred"}, "date_basis", "For deals the date is one of"),
            ({"kind": "ratio"}, "numerator", "Choose a metric."),
            ({"kind": "sum"}, "measure", "measures one of"),
            ({"key": "win_rate"}, "key", "Another metric already has this key."),
        ]
        for change, field, message in cases:
            with self.subTest(field=field, message=message):
                response = self.client.post("/metrics/definitions/new/", {**NEW, **change})
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, " ".join(response.context["form"].errors[field]))
        self.assertFalse(Metric.objects.filter(key="big_wins").exists())

    def test_a_built_in_keeps_its_definition_but_takes_a_new_name(self):
        self.login(self.admin)
        payload = {**NEW, "key": "hacked", "name": "Wins", "filters": "{}", "kind": "sum"}
        response = self.client.post("/metrics/definitions/deals_won/edit/", payload)
        self.assertRedirects(response, "/metrics/definitions/")
        metric = Metric.objects.get(organisation=self.org, key="deals_won")
        self.assertEqual(
            (metric.name, metric.kind, metric.filters), ("Wins", "count", {"outcome": ["won"]})
        )


class DefinitionApiTests(BaseTestCase):
    def client_for(self, person) -> APIClient:
        client = APIClient()
        if person is not None:
            client.force_authenticate(person.user)
        return client

    def test_everyone_in_the_organisation_reads_the_definitions(self):
        for person in (self.rep, self.manager, self.leader, self.admin):
            response = self.client_for(person).get("/api/v1/metrics/?limit=500")
            self.assertEqual(response.status_code, 200)
            keys = {row["key"] for row in response.json()["results"]}
            self.assertIn("win_rate", keys)
        one = self.client_for(self.rep).get("/api/v1/metrics/win_rate/").json()
        self.assertEqual((one["numerator"], one["denominator"]), ("deals_won", "deals_closed"))

    def test_only_admins_write(self):
        body = {**NEW, "filters": {"outcome": ["won"]}, "higher_is_better": True}
        for person in (self.rep, self.manager, self.leader):
            response = self.client_for(person).post("/api/v1/metrics/", body, format="json")
            self.assertEqual(response.status_code, 403)
        self.assertIn(self.client_for(None).get("/api/v1/metrics/").status_code, (401, 403))
        response = self.client_for(self.admin).post("/api/v1/metrics/", body, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        response = self.client_for(self.rep).delete("/api/v1/metrics/big_wins/")
        self.assertEqual(response.status_code, 403)
        response = self.client_for(self.admin).delete("/api/v1/metrics/big_wins/")
        self.assertEqual(response.status_code, 204)

    def test_the_api_answers_bad_definitions_with_field_errors(self):
        body = {
            "key": "rate",
            "name": "Rate",
            "kind": "ratio",
            "numerator": "deals_won",
            "unit": "percent",
            "filters": {"outcome": "won"},
        }
        response = self.client_for(self.admin).post("/api/v1/metrics/", body, format="json")
        self.assertEqual(response.status_code, 400)
        errors = response.json()
        self.assertEqual(errors["denominator"], ["Choose a metric."])
        self.assertEqual(errors["filters"], ["Only metrics reading facts take filters."])

    def test_built_ins_cannot_be_redefined_or_deleted(self):
        admin = self.client_for(self.admin)
        response = admin.patch("/api/v1/metrics/deals_won/", {"kind": "sum"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(admin.delete("/api/v1/metrics/deals_won/").status_code, 400)
        response = admin.patch("/api/v1/metrics/deals_won/", {"name": "Wins"}, format="json")
        self.assertEqual(response.status_code, 200)

    def test_another_organisation_never_sees_our_metrics(self):
        Metric.objects.create(
            organisation=self.org,
            key="mine",
            name="Mine",
            kind="count",
            source="deals",
            date_basis="created",
        )
        outsider = self.client_for(self.outsider)
        self.assertEqual(outsider.get("/api/v1/metrics/mine/").status_code, 404)
        self.assertEqual(outsider.delete("/api/v1/metrics/mine/").status_code, 404)


class AddedMetricTests(BaseTestCase):
    """Metrics an admin adds are computed like built-ins (and read facts the catalog cannot)."""

    def test_a_stage_to_stage_conversion_rate(self):
        org = self.org
        entered = Metric.objects.create(
            organisation=org,
            key="entered_engaging",
            name="E",
            kind="count",
            source="stage_changes",
            date_basis="entered",
            filters={"to_stage": ["Engaging"]},
        )
        won = Metric.objects.create(
            organisation=org,
            key="engaging_to_won",
            name="W",
            kind="count",
            source="stage_changes",
            date_basis="entered",
            filters={"from_stage": ["Engaging"], "to_stage": ["Won"]},
        )
        Metric.objects.create(
            organisation=org,
            key="engaging_win_rate",
            name="R",
            kind="ratio",
            numerator=won,
            denominator=entered,
            unit="percent",
        )
        for number in range(4):
            d = deal(org, self.rep, created=D(2024, 1, 1))
            stage_change(org, d, "Engaging", D(2024, 1, 2 + number), "Prospecting")
            if number == 0:
                stage_change(org, d, "Won", D(2024, 2, 1), "Engaging")
        period = Period(D(2024, 1, 1), D(2024, 3, 31))
        value = engine.compute(org, ["engaging_win_rate"], [period], [self.rep.pk]).get(
            self.rep.pk, "engaging_win_rate", period
        )
        self.assertEqual((value.value, value.numerator, value.denominator), (Decimal("0.25"), 1, 4))

    def test_a_product_mix_share(self):
        org = self.org
        gtx, mg = product(org, "GTX Pro", "GTX"), product(org, "MG Special", "MG")
        family = Metric.objects.create(
            organisation=org,
            key="revenue_gtx",
            name="GTX",
            kind="sum",
            source="deals",
            date_basis="closed",
            measure="amount",
            filters={"outcome": ["won"], "product_family": ["GTX"]},
        )
        revenue = Metric.objects.get(organisation=org, key="revenue_won")
        Metric.objects.create(
            organisation=org,
            key="gtx_share",
            name="S",
            kind="ratio",
            numerator=family,
            denominator=revenue,
            unit="percent",
        )
        deal(org, self.rep, closed=D(2024, 1, 5), outcome="won", amount=300, product=gtx)
        deal(org, self.rep, closed=D(2024, 1, 6), outcome="won", amount=100, product=mg)
        period = Period(D(2024, 1, 1), D(2024, 1, 31))
        results = engine.compute(org, ["gtx_share"], [period], [self.rep.pk])
        self.assertEqual(results.get(self.rep.pk, "gtx_share", period).value, Decimal("0.75"))

    def test_a_changed_definition_is_counted_again(self):
        metric = Metric.objects.create(
            organisation=self.org,
            key="wins",
            name="Wins",
            kind="count",
            source="deals",
            date_basis="closed",
            filters={"outcome": ["won"]},
        )
        deal(self.org, self.rep, closed=D(2024, 1, 5), outcome="won")
        deal(self.org, self.rep, closed=D(2024, 1, 6), outcome="lost")
        period = Period(D(2024, 1, 1), D(2024, 1, 31))

        def count():
            results = engine.compute(self.org, ["wins"], [period], [self.rep.pk])
            return results.get(self.rep.pk, "wins", period).value

        self.assertEqual(count(), 1)
        metric.filters = {"outcome": ["won", "lost"]}
        metric.save()
        self.assertEqual(count(), 2)
