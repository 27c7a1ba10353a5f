"""The demo's goals: monthly targets for every account executive, set by their managers."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase

from followthrough.audit.models import AuditEntry
from followthrough.demo.build import DEMO_PASSWORD
from followthrough.goals.demo import DEMO_GOAL_METRICS, _rounded, season_share
from followthrough.goals.models import Goal
from followthrough.goals.targets import load_targets
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.people.models import Person

# The smallest demo (two teams of four reps), one month of data up to 15 June 2026.
SMALL = ["--reps", "8", "--months", "1", "--no-progress", "--today", "2026-06-15"]
JUNE = period_of(PeriodKind.MONTH, dt.date(2026, 6, 15))


class DemoGoalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("demo", *SMALL, stdout=io.StringIO(), stderr=io.StringIO())

    def test_every_account_executive_gets_a_june_target_on_each_of_the_seven_kpis(self):
        # The data starts on 15 May, so May is not fully covered: only June has goals.
        # 8 account executives x 7 KPIs x 1 month; the SDRs sell nothing themselves.
        self.assertEqual(Goal.objects.count(), 56)
        self.assertEqual(
            set(Goal.objects.values_list("start", "end", "period_kind")),
            {(dt.date(2026, 6, 1), dt.date(2026, 6, 30), "month")},
        )
        self.assertEqual(
            set(Goal.objects.values_list("metric_key", flat=True)), set(DEMO_GOAL_METRICS)
        )
        sdrs = Person.objects.filter(title="Sales Development Rep")
        self.assertFalse(Goal.objects.filter(person__in=sdrs).exists())

    def test_reps_share_one_target_per_kpi_and_the_win_rate_is_a_fraction(self):
        for key in DEMO_GOAL_METRICS:
            targets = set(Goal.objects.filter(metric_key=key).values_list("target", flat=True))
            self.assertEqual(len(targets), 1, key)
        win_rate = Goal.objects.filter(metric_key="win_rate").first().target
        self.assertTrue(Decimal("0.01") <= win_rate < 1)
        activities = Goal.objects.filter(metric_key="activities").first().target
        self.assertEqual(activities % 10, 0)

    def test_each_goal_was_set_by_the_reps_manager_in_the_audit_history(self):
        entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Goal))
        self.assertEqual(entries.filter(action="create").count(), 56)
        ruben = Goal.objects.filter(person__name="Ruben Rep").values_list("pk", flat=True)
        who = set(
            entries.filter(object_id__in=[str(pk) for pk in ruben]).values_list(
                "actor_name", flat=True
            )
        )
        self.assertEqual(who, {"maya.manager@demo.followthrough.test"})
        # Jonas moved to DACH in March: Otto, his manager now, set his goals.
        jonas = Goal.objects.filter(person__name="Jonas Weber").values_list("pk", flat=True)
        who = set(
            entries.filter(object_id__in=[str(pk) for pk in jonas]).values_list(
                "actor_name", flat=True
            )
        )
        self.assertEqual(who, {"otto.keller@demo.followthrough.test"})

    def test_the_new_hire_gets_half_the_target_in_her_second_month(self):
        lotte = Person.objects.get(name="Lotte Bakker")
        ruben = Person.objects.get(name="Ruben Rep")
        # She started on 1 May (45 days before 15 June): June is month 2 of the 25/50/75 ramp.
        self.assertEqual(lotte.role_since, dt.date(2026, 5, 1))
        book = load_targets(
            lotte.organisation, None, JUNE.start, JUNE.end, person_ids=[lotte.pk, ruben.pk]
        )
        full = book.person_target(ruben, "activities", JUNE)
        self.assertEqual(full, Goal.objects.get(person=ruben, metric_key="activities").target)
        self.assertEqual(book.person_target(lotte, "activities", JUNE), full / 2)

    def test_the_demo_reps_scorecard_shows_a_target_and_an_attainment_this_month(self):
        self.client.login(username="ruben.rep@demo.followthrough.test", password=DEMO_PASSWORD)
        response = self.client.get("/me/", {"kind": "month", "date": "2026-06-15"})
        self.assertEqual(response.status_code, 200)
        kpis = {kpi.key: kpi for kpi in response.context["card"].kpis}
        ruben = Person.objects.get(name="Ruben Rep")
        target = Goal.objects.get(person=ruben, metric_key="deals_created").target
        self.assertEqual(kpis["deals_created"].target, target)
        actual = kpis["deals_created"].actual.value
        self.assertEqual(kpis["deals_created"].attainment, actual / target)
        self.assertContains(response, "Attainment")


class TargetSizingTests(SimpleTestCase):
    def test_august_is_a_sixty_percent_month_and_christmas_week_a_quarter(self):
        august = period_of(PeriodKind.MONTH, dt.date(2026, 8, 1))
        self.assertEqual(season_share(august), Decimal("0.6"))
        # 22 normal days and 9 days (23-31 December) at a quarter: 24.25 / 31.
        december = period_of(PeriodKind.MONTH, dt.date(2026, 12, 1))
        self.assertEqual(season_share(december), Decimal("24.25") / 31)

    def test_targets_round_to_their_step_and_never_to_nothing(self):
        self.assertEqual(_rounded(Decimal("547"), Decimal(10)), Decimal(550))
        self.assertEqual(_rounded(Decimal("0.4"), Decimal(1)), Decimal(1))
        self.assertEqual(_rounded(Decimal("0.334"), Decimal("0.01")), Decimal("0.33"))
