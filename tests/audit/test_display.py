"""The audit history shows values as the pages do, hides bookkeeping, and speaks the reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from followthrough.audit.context import acting_as
from followthrough.audit.display import describe, is_hidden, label_of, number_text
from followthrough.audit.models import AuditEntry
from followthrough.audit.registry import _fields, audited_fields
from followthrough.goals.models import Goal, GoalSettings, RampChoice
from followthrough.metrics.models import Metric
from tests.cast import BaseTestCase


def lines_of(entry: AuditEntry) -> dict[str, tuple[str, str]]:
    [entry] = describe([entry])
    return {line.label: (line.before, line.after) for line in entry.lines}


def test_numbers_lose_trailing_zeros_and_exponents_and_gain_grouping():
    with translation.override("en"):
        assert_english_numbers()
    with translation.override("nl"):
        assert number_text("1234567.5") == "1.234.567,5"


def assert_english_numbers():
    assert number_text("50000.0000") == "50,000"
    assert number_text("5E+4") == "50,000"
    assert number_text("0.3000") == "0.3"
    assert number_text(12) == "12"


class AuditDisplayOfGoalsTests(BaseTestCase):
    def make_goal(self, **extra) -> Goal:
        with acting_as(self.admin.user):
            return Goal.objects.create(
                organisation=self.org,
                person=self.rep,
                metric_key="revenue_won",
                period_kind="quarter",
                start=dt.date(2026, 1, 1),
                end=dt.date(2026, 3, 31),
                target=Decimal("50000"),
                **extra,
            )

    def last_entry(self, obj) -> AuditEntry:
        ct = ContentType.objects.get_for_model(type(obj))
        return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).first()

    def test_a_target_change_shows_both_values_in_the_metrics_unit(self):
        goal = self.make_goal()
        with acting_as(self.admin.user):
            goal.target = Decimal("60000")
            goal.save()
        self.assertEqual(lines_of(self.last_entry(goal)), {"target": ("USD 50,000", "USD 60,000")})

    def test_a_rate_target_reads_as_a_percentage(self):
        goal = self.make_goal()
        with acting_as(self.admin.user):
            goal.metric_key, goal.target = "win_rate", Decimal("0.3")
            goal.save()
        lines = lines_of(self.last_entry(goal))
        self.assertEqual(lines["target"], ("USD 50,000", "30.0 %"))
        self.assertEqual(lines["metric"], ("Revenue won", "Win rate"))

    def test_a_creation_shows_names_dates_ramps_and_no_bookkeeping(self):
        goal = self.make_goal(ramp=RampChoice.CUSTOM, ramp_shares=[25, 50, 75])
        lines = lines_of(self.last_entry(goal))
        self.assertEqual(lines["person"], (None, "Rita"))
        self.assertEqual(lines["own ramp"], (None, "25 %, 50 %, 75 %"))
        self.assertEqual(lines["from"], (None, dt.date(2026, 1, 1)))
        self.assertEqual(lines["target"], (None, "USD 50,000"))
        self.assertNotIn("updated at", {label.lower() for label in lines})
        self.assertNotIn("created at", {label.lower() for label in lines})

    def test_emptying_a_ramp_shows_a_dash_not_brackets(self):
        goal = self.make_goal(ramp=RampChoice.CUSTOM, ramp_shares=[25, 50])
        with acting_as(self.admin.user):
            goal.ramp, goal.ramp_shares = RampChoice.NONE, []
            goal.save()
        self.login(self.admin)
        body = self.client.get(reverse("goal_edit", args=[goal.pk])).content.decode()
        self.assertIn("<td>Own ramp</td><td>25 %, 50 %</td><td>—</td>", body)
        self.assertNotIn("[]", body)
        self.assertNotIn("50000.0000", body)
        self.assertNotIn("5E+4", body)

    def test_older_entries_with_raw_values_and_timestamps_read_cleanly(self):
        goal = self.make_goal()
        entry = AuditEntry.objects.create(
            organisation_id=self.org.pk,
            actor_name="ada@acme.test",
            action="update",
            content_type=ContentType.objects.get_for_model(Goal),
            object_id=str(goal.pk),
            object_repr="Rita: revenue_won 2026-Q1 = 5E+4",
            changes={
                "target": ["50000.0000", "5E+4"],
                "ramp_shares": ["[]", "[25, 50, 75]"],
                "updated_at": ["2026-01-01T10:00:00+00:00", "2026-01-02T10:00:00+00:00"],
            },
        )
        self.assertEqual(
            lines_of(entry),
            {"target": ("USD 50,000", "USD 50,000"), "own ramp": (None, "25 %, 50 %, 75 %")},
        )

    def test_goal_settings_show_ramps_and_metric_names_in_the_readers_language(self):
        with acting_as(self.admin.user):
            settings = GoalSettings.objects.create(organisation=self.org)
            settings.ramp_shares, settings.scorecard_metrics = [20, 40], ["win_rate", "deals_won"]
            settings.save()
        with translation.override("nl"):
            lines = lines_of(self.last_entry(settings))
        self.assertEqual(
            lines["opbouw voor nieuwe medewerkers"], ("25 %, 50 %, 75 %", "20 %, 40 %")
        )
        self.assertEqual(lines["meetwaarden op de scorecard"][1], "Winpercentage, Deals gewonnen")

    def test_a_metric_change_does_not_list_its_updated_at(self):
        metric = Metric.objects.get(organisation=self.org, key="deals_won")
        with acting_as(self.admin.user):
            metric.description = "Deals we won."
            metric.save()
        self.assertEqual(list(lines_of(self.last_entry(metric))), ["description"])
        self.assertNotIn("updated_at", audited_fields(Metric))


class AuditLabelTranslationTests(BaseTestCase):
    def test_every_audited_field_has_a_translated_label_in_chinese_and_dutch(self):
        missing = []
        for model, names in _fields.items():
            for name in names:
                field = model._meta.get_field(name)
                if is_hidden(field, name):
                    continue
                with translation.override("en"):
                    english = label_of(field, name)
                for language in ("zh-hans", "nl"):
                    # In the catalogue: Dutch may rightly keep "team" or "e-mail" as it is.
                    catalog = translation.trans_real.translation(language)._catalog
                    if english not in catalog:
                        missing.append(f"{model.__name__}.{name} ({language}): {english}")
        self.assertEqual(missing, [])


class AuditPageTests(BaseTestCase):
    def add_goals(self, first: int, count: int) -> None:
        people = [self.rep, self.rep2, self.other_rep]
        with acting_as(self.admin.user):
            for i in range(first, first + count):
                day = dt.date(2026, 1, 1) + dt.timedelta(days=i)
                goal = Goal.objects.create(
                    organisation=self.org,
                    person=people[i % 3],
                    metric_key="win_rate",
                    period_kind="custom",
                    start=day,
                    end=day,
                    target=Decimal("0.2"),
                )
                goal.target = Decimal("0.25")
                goal.save()

    def count(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(reverse("audit")).status_code, 200)
        return len(ctx.captured_queries)

    def test_a_goal_entry_is_titled_by_whom_metric_and_period_in_the_readers_language(self):
        self.add_goals(0, 1)
        self.login(self.admin)
        body = self.client.get(reverse("audit"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        self.assertIn("<em>Rita · Winpercentage · ", body)
        self.assertIn("<td>Doel</td><td>20,0 %</td><td>25,0 %</td>", body)

    def test_the_audit_page_costs_the_same_queries_for_3_or_30_goal_changes(self):
        self.login(self.admin)
        # Only goal entries, so both pages refer to the same kinds of objects.
        AuditEntry.objects.all().delete()
        self.add_goals(0, 2)
        self.count()  # warms the session and the metric catalogue's cache
        few = self.count()
        self.add_goals(2, 23)  # 50 entries: a full page
        self.assertEqual(few, self.count())


class AuditDisplayOfMetricsTests(BaseTestCase):
    def test_a_metrics_filters_read_as_text_not_a_python_dict(self):
        metric = Metric.objects.get(organisation=self.org, key="calls")
        with acting_as(self.admin.user):
            metric.filters = {"type": ["call", "meeting"], "outcome": []}
            metric.save()
        ct = ContentType.objects.get_for_model(Metric)
        entry = AuditEntry.objects.filter(content_type=ct, object_id=str(metric.pk)).first()
        with translation.override("en"):
            lines = lines_of(entry)
        self.assertEqual(lines["filters"], ("type: call", "type: call, meeting; outcome: —"))
