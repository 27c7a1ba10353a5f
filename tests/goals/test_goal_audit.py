"""Target changes through the API and the CSV import are audited, shown as the pages show them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followthrough.audit.display import describe
from followthrough.audit.models import AuditEntry
from followthrough.goals.models import Goal
from tests.cast import BaseTestCase


class GoalTargetAuditTests(BaseTestCase):
    def setUp(self):
        self.goal = Goal.objects.create(
            organisation=self.org,
            person=self.rep,
            metric_key="win_rate",
            period_kind="quarter",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 3, 31),
            target=Decimal("0.25"),
        )

    def updates(self) -> list[AuditEntry]:
        ct = ContentType.objects.get_for_model(Goal)
        entries = AuditEntry.objects.filter(
            content_type=ct, object_id=str(self.goal.pk), action="update"
        ).select_related("content_type")
        return describe(entries)

    def test_a_target_changed_through_the_api_is_recorded_with_who_before_and_after(self):
        self.login(self.manager)
        response = self.client.patch(
            f"/api/v1/goals/{self.goal.pk}/", {"target": "0.3"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        [entry] = self.updates()
        self.assertEqual(entry.actor_name, "maya@acme.test")
        self.assertEqual(
            [(line.label, line.before, line.after) for line in entry.lines],
            [("target", "25.0 %", "30.0 %")],
        )

    def test_a_target_changed_by_a_csv_import_is_recorded_with_who_before_and_after(self):
        self.login(self.manager)
        csv = b"person,metric,period,target\nRita,win_rate,2026-Q1,35 %\n"
        upload = SimpleUploadedFile("goals.csv", csv, content_type="text/csv")
        response = self.client.post(reverse("goal_import"), {"file": upload})
        self.assertEqual(response.status_code, 302)
        [entry] = self.updates()
        self.assertEqual(entry.actor_name, "maya@acme.test")
        self.assertEqual(
            [(line.label, line.before, line.after) for line in entry.lines],
            [("target", "25.0 %", "35.0 %")],
        )
        self.login(self.admin)
        body = self.client.get(reverse("audit")).content.decode()
        self.assertIn("<td>Target</td><td>25.0 %</td><td>35.0 %</td>", body)
