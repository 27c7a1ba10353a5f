"""Self-reports: due per interval, missed ones visible, written by the rep only, reviewed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followthrough.coaching import selfreports
from followthrough.coaching.commitments import close_commitment, make_commitment
from followthrough.coaching.models import Agreement, Interval, SelfReport
from followthrough.lib.periods import Period
from followthrough.scorecards.scorecard import build_scorecard
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal

# Wednesday 11 March 2026: the week runs Monday 9 to Sunday 15, due Friday 13.
NOON = dt.datetime(2026, 3, 11, 11, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 11)
WEEK = dt.date(2026, 3, 9)


def words(**overrides):
    data = {
        "results": "Two demos held, one proposal out.",
        "coached_on": "asking for the next step on every call",
        "changed": "I end each call by booking the next meeting",
        "metric_key": "first_meetings_held",
        "next_steps": "Follow up on the proposal by Tuesday.",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOON, tick=False)
class DueAndMissedTests(BaseTestCase):
    def test_the_current_weeks_report_is_due_on_friday(self):
        report = selfreports.current_report(self.rep)
        self.assertEqual(
            (report.period_start, report.period_end, report.due_on),
            (WEEK, dt.date(2026, 3, 15), dt.date(2026, 3, 13)),
        )
        self.assertEqual(selfreports.state_of(report, TODAY), "due")

    def test_gaps_since_the_last_report_become_due_rows_and_past_ones_are_missed(self):
        # Rita reported for the week of 16 February; nothing since.
        SelfReport.objects.create(
            organisation=self.org,
            rep=self.rep,
            period_start=dt.date(2026, 2, 16),
            period_end=dt.date(2026, 2, 22),
            due_on=dt.date(2026, 2, 20),
            results="ok",
            submitted_at=dt.datetime(2026, 2, 20, 15, tzinfo=dt.UTC),
        )
        created = selfreports.ensure_due_reports(
            self.org, [self.rep.pk, self.rep2.pk, self.manager.pk]
        )
        # Rita: the weeks of 23 Feb, 2 Mar and 9 Mar; Rob: this week; Maya writes none.
        self.assertEqual(created, 4)
        missed = SelfReport.objects.filter(selfreports.missed_filter(TODAY))
        self.assertEqual(
            sorted((r.rep.name, r.period_start) for r in missed),
            [("Rita", dt.date(2026, 2, 23)), ("Rita", dt.date(2026, 3, 2))],
        )
        # Asking again creates nothing.
        self.assertEqual(selfreports.ensure_due_reports(self.org, [self.rep.pk, self.rep2.pk]), 0)

    def test_ensuring_due_reports_costs_the_same_queries_for_one_rep_or_many(self):
        with self.assertNumQueries(6):
            selfreports.ensure_due_reports(self.org, [self.rep.pk])
        with self.assertNumQueries(6):
            selfreports.ensure_due_reports(self.org, [self.rep.pk, self.rep2.pk, self.other_rep.pk])

    def test_the_interval_comes_from_the_teams_agreement(self):
        Agreement.objects.create(
            organisation=self.org,
            team=self.team,
            expectations="x",
            missed_goals="y",
            self_report_interval=Interval.MONTHLY,
        )
        report = selfreports.current_report(self.rep)
        # March 2026 ends on a Tuesday: due that day.
        self.assertEqual(
            (report.period_start, report.period_end, report.due_on),
            (dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 3, 31)),
        )

    def test_the_list_shows_a_missed_report_to_the_rep_and_the_manager(self):
        SelfReport.objects.create(
            organisation=self.org,
            rep=self.rep,
            period_start=dt.date(2026, 3, 2),
            period_end=dt.date(2026, 3, 8),
            due_on=dt.date(2026, 3, 6),
        )
        for who in (self.rep, self.manager, self.leader):
            self.login(who)
            response = self.client.get(reverse("self_reports"))
            with self.subTest(who=who.name):
                self.assertEqual(response.context["missed"], 1)
                self.assertContains(response, "Missed")
        self.login(self.rep2)
        self.assertEqual(self.client.get(reverse("self_reports")).context["missed"], 0)


@time_machine.travel(NOON, tick=False)
class WritingTests(BaseTestCase):
    def test_the_rep_writes_their_own_and_nobody_else_does(self):
        report = selfreports.current_report(self.rep)
        for who in (self.rep2, self.manager, self.leader, self.admin, self.outsider):
            with self.subTest(who=who.name), self.assertRaises(PermissionDenied):
                selfreports.write_self_report(report, by=who, **words())
        selfreports.write_self_report(report, by=self.rep, **words())
        report.refresh_from_db()
        self.assertEqual(report.coached_on, "asking for the next step on every call")
        self.assertEqual(selfreports.state_of(report, TODAY), "submitted")

    def test_results_are_required_and_a_change_names_what_was_coached(self):
        report = selfreports.current_report(self.rep)
        with self.assertRaises(ValidationError) as refused:
            selfreports.write_self_report(report, by=self.rep, **words(results=" "))
        self.assertIn("results", refused.exception.error_dict)
        with self.assertRaises(ValidationError) as refused:
            selfreports.write_self_report(report, by=self.rep, **words(coached_on=""))
        self.assertIn("coached_on", refused.exception.error_dict)
        report.refresh_from_db()
        self.assertIsNone(report.submitted_at)

    def test_a_past_unsubmitted_period_is_written_late_a_future_one_not_at_all(self):
        past = selfreports.report_for(self.rep, dt.date(2026, 3, 2))
        selfreports.write_self_report(past, by=self.rep, **words())
        self.assertEqual(selfreports.state_of(past, TODAY), "late")
        with self.assertRaises(ValidationError):
            selfreports.report_for(self.rep, dt.date(2026, 3, 16))
        with self.assertRaises(ValidationError):
            selfreports.report_for(self.rep, dt.date(2026, 3, 10))  # not a Monday

    def test_the_manager_reviews_a_submitted_report_and_then_it_is_closed(self):
        report = selfreports.current_report(self.rep)
        with self.assertRaises(ValidationError):
            selfreports.review_self_report(report, by=self.manager, comment="Good")
        selfreports.write_self_report(report, by=self.rep, **words())
        for who in (self.rep, self.rep2, self.other_manager, self.outsider):
            with self.subTest(who=who.name), self.assertRaises(PermissionDenied):
                selfreports.review_self_report(report, by=who)
        selfreports.review_self_report(report, by=self.manager, comment="Good change.")
        report.refresh_from_db()
        self.assertEqual(
            (report.reviewed_by, report.manager_comment), (self.manager, "Good change.")
        )
        with self.assertRaises(ValidationError):
            selfreports.write_self_report(report, by=self.rep, **words())


@time_machine.travel(NOON, tick=False)
class SelfReportPageTests(BaseTestCase):
    def url(self, person=None, start=WEEK):
        return reverse("self_report", args=[(person or self.rep).pk, start.isoformat()])

    def test_the_page_shows_the_scorecards_numbers_for_the_interval(self):
        deal(
            self.org,
            self.rep,
            created=dt.date(2026, 3, 2),
            closed=dt.date(2026, 3, 10),
            outcome="won",
            amount=1200,
        )
        deal(
            self.org,
            self.rep,
            created=dt.date(2026, 3, 2),
            closed=dt.date(2026, 3, 6),
            outcome="won",
            amount=500,
        )
        self.login(self.rep)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        card = response.context["card"]
        won = next(k for k in card.kpis if k.key == "deals_won")
        # One deal won in the week of 9 March (the other on 6 March), as the scorecard says.
        self.assertEqual(won.actual.value, Decimal(1))
        same = build_scorecard(self.rep, Period(WEEK, dt.date(2026, 3, 15)), today=TODAY)
        self.assertEqual([k.actual.value for k in card.kpis], [k.actual.value for k in same.kpis])

    def test_the_page_lists_the_commitments_open_during_the_interval(self):
        made = dt.date(2026, 3, 2)
        open_one = make_commitment(
            by=self.rep, owner=self.rep, text="open", due_on=dt.date(2026, 3, 10), today=made
        )
        closed_before = make_commitment(
            by=self.rep, owner=self.rep, text="before", due_on=made, today=made
        )
        close_commitment(
            closed_before, by=self.rep, status="done", evidence="x", today=dt.date(2026, 3, 5)
        )
        self.login(self.manager)
        response = self.client.get(self.url())
        self.assertEqual(response.context["commitments"], [open_one])
        self.assertContains(response, "Overdue by 1 day")

    def test_the_rep_submits_on_the_page_with_field_errors_first(self):
        self.login(self.rep)
        response = self.client.post(self.url(), {"action": "write", **words(results="")})
        self.assertEqual(response.status_code, 400)
        self.assertIn("results", response.context["form"].errors)
        response = self.client.post(self.url(), {"action": "write", **words()})
        self.assertEqual(response.status_code, 302)
        self.assertIsNotNone(SelfReport.objects.get(rep=self.rep).submitted_at)

    def test_nobody_else_writes_a_report_on_the_page(self):
        selfreports.current_report(self.rep)
        self.login(self.manager)
        response = self.client.post(self.url(), {"action": "write", **words()})
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(SelfReport.objects.get(rep=self.rep).submitted_at)

    def test_who_may_open_a_reps_report(self):
        for who, code in [
            (self.rep, 200),
            (self.manager, 200),
            (self.leader, 200),
            (self.admin, 200),
            (self.rep2, 403),
            (self.other_manager, 403),
            (self.outsider, 404),
        ]:
            self.login(who)
            with self.subTest(who=who.name):
                self.assertEqual(self.client.get(self.url()).status_code, code)

    def test_odd_dates_in_the_address_are_not_found(self):
        self.login(self.rep)
        for start in ("x", "2026-13-01", "2026-03-10", "2026-03-16", "9999-12-31", "2020-03-02"):
            url = reverse("self_report", args=[self.rep.pk, start])
            with self.subTest(start=start):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_this_periods_report_is_a_reps_a_manager_goes_to_the_list(self):
        self.login(self.rep)
        response = self.client.get(reverse("my_self_report"))
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        self.login(self.manager)
        response = self.client.get(reverse("my_self_report"))
        self.assertRedirects(response, reverse("self_reports"), fetch_redirect_response=False)
        self.assertFalse(SelfReport.objects.filter(rep=self.manager).exists())

    def test_the_manager_reviews_on_the_page(self):
        report = selfreports.current_report(self.rep)
        selfreports.write_self_report(report, by=self.rep, **words())
        self.login(self.manager)
        response = self.client.post(
            self.url(), {"action": "review", "manager_comment": "Keep it up"}
        )
        self.assertEqual(response.status_code, 302)
        report.refresh_from_db()
        self.assertEqual(report.reviewed_by, self.manager)


@time_machine.travel(NOON, tick=False)
class SelfReportListQueryTests(BaseTestCase):
    def test_the_managers_list_costs_the_same_queries_for_one_week_or_many(self):
        self.login(self.manager)
        self.client.get(reverse("self_reports"))
        with self.assertNumQueries(17) as few:
            self.client.get(reverse("self_reports"))
        for rep in (self.rep, self.rep2):
            for week in range(1, 6):
                start = WEEK - dt.timedelta(weeks=week)
                SelfReport.objects.create(
                    organisation=self.org,
                    rep=rep,
                    period_start=start,
                    period_end=start + dt.timedelta(days=6),
                    due_on=start + dt.timedelta(days=4),
                )
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(reverse("self_reports"))
