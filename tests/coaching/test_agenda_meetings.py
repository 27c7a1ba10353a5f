"""The 1:1 agenda: its sections from the data, its query budget, plug-in sections, freezing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from followthrough.coaching import agenda as agenda_module
from followthrough.coaching.agenda import build_agenda, register_section
from followthrough.coaching.cadence import at, end_meeting
from followthrough.coaching.models import (
    AgendaItem,
    CoachingSettings,
    Commitment,
    CommitmentStatus,
    Meeting,
    MeetingStatus,
    Problem,
    SelfReport,
)
from followthrough.lib.periods import period_of
from followthrough.scorecards.scorecard import build_scorecard
from tests.coaching.meetings_base import MeetingTestCase
from tests.metrics.helpers import activity, deal


def section(agenda, key: str) -> list[dict]:
    return next(s.items for s in agenda.sections if s.key == key)


class AgendaSectionTests(MeetingTestCase):
    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def commit(self, owner, text, due, status=CommitmentStatus.OPEN):
        return Commitment.objects.create(
            organisation=self.org,
            owner=owner,
            text=text,
            created_on=self.days_ago(30),
            due_on=due,
            status=status,
            evidence="done" if status == CommitmentStatus.DONE else "",
        )

    def test_commitments_of_both_people_due_or_overdue_are_listed(self):
        self.commit(self.rep, "Call Initech back", self.days_ago(2))
        self.commit(self.manager, "Join Rita's demo", self.today + dt.timedelta(days=3))
        self.commit(self.rep, "Far away", self.today + dt.timedelta(days=30))
        self.commit(self.rep, "Already done", self.days_ago(5), CommitmentStatus.DONE)
        self.commit(self.rep2, "Rob's own", self.days_ago(1))
        items = section(build_agenda(self.meeting), "commitments")
        self.assertEqual(
            [(i["text"], i["owner"], i["overdue"]) for i in items],
            [("Call Initech back", "Rita", True), ("Join Rita's demo", "Maya", False)],
        )

    def test_open_deals_without_activity_for_the_stale_days_or_past_their_close_date(self):
        quiet = deal(self.org, self.rep, created=self.days_ago(60), name="Quiet")
        activity(self.org, self.rep, self.days_ago(22), deal=quiet)
        busy = deal(self.org, self.rep, created=self.days_ago(60), name="Busy")
        activity(self.org, self.rep, self.days_ago(3), deal=busy)
        late = deal(
            self.org, self.rep, created=self.days_ago(60), closed=self.days_ago(1), name="Late"
        )
        activity(self.org, self.rep, self.days_ago(1), deal=late)
        deal(
            self.org,
            self.rep,
            created=self.days_ago(60),
            closed=self.days_ago(40),
            outcome="won",
            name="Won",
        )
        deal(self.org, self.rep2, created=self.days_ago(60), name="Rob's")
        items = section(build_agenda(self.meeting), "deals")
        found = {i["text"]: (i["stale"], i["past_close"]) for i in items}
        self.assertEqual(found, {"Quiet": (True, False), "Late": (False, True)})

    def test_the_teams_stale_days_apply(self):
        CoachingSettings.objects.create(team=self.team, organisation=self.org, stale_days=30)
        quiet = deal(self.org, self.rep, created=self.days_ago(60), name="Quiet")
        activity(self.org, self.rep, self.days_ago(22), deal=quiet)
        self.assertEqual(section(build_agenda(self.meeting), "deals"), [])

    def test_the_latest_self_report_and_open_problems(self):
        from followthrough.coaching.intervals import period_for

        # The last weekly period due by today, and the one before it.
        latest = period_for("weekly", self.today)
        if latest.due_on > self.today:
            latest = period_for("weekly", latest.start - dt.timedelta(days=1))
        old = period_for("weekly", latest.start - dt.timedelta(days=1))
        for period, results in ((old, "Old week"), (latest, "Two demos booked")):
            SelfReport.objects.create(
                organisation=self.org,
                rep=self.rep,
                period_start=period.start,
                period_end=period.end,
                due_on=period.due_on,
                submitted_at=timezone.now(),
                results=results,
                coached_on="Asking for the next step",
            )
        Problem.objects.create(
            organisation=self.org,
            rep=self.rep,
            text="Legal blocks Initech",
            raised_at=timezone.now(),
        )
        agenda = build_agenda(self.meeting)
        report = section(agenda, "self_report")
        self.assertEqual(
            [(r["results"], r["submitted"]) for r in report], [("Two demos booked", True)]
        )
        self.assertEqual([p["text"] for p in section(agenda, "problems")], ["Legal blocks Initech"])

    def test_the_kpis_are_the_scorecards_numbers_and_what_changed_since_the_last_held_1_1(self):
        month = period_of("month", self.today)
        last = self.one_on_one(self.manager, self.rep, self.days_ago(7), status=MeetingStatus.HELD)
        last.agenda = {"sections": []}
        last.save()
        for days in (0, 3, 10, 40):
            won_on = self.days_ago(days)
            deal(self.org, self.rep, created=won_on, closed=won_on, outcome="won", amount=1000)
        agenda = build_agenda(self.meeting)
        self.assertEqual(agenda.since, self.days_ago(7))
        kpis = {i["metric"]: i for i in section(agenda, "kpis")}
        card = build_scorecard(self.rep, month, today=self.today)
        for kpi in card.kpis:
            value = kpis[kpi.key]["value"]
            self.assertEqual(None if value is None else Decimal(value), kpi.actual.value, kpi.key)
            self.assertEqual(kpis[kpi.key]["status"], str(kpi.pace.status))
        won_this_month = sum(1 for d in (0, 3, 10, 40) if self.days_ago(d) >= month.start)
        self.assertEqual(Decimal(kpis["deals_won"]["value"]), won_this_month)
        # Since the held 1:1 seven days ago, two were won (today and three days ago).
        self.assertEqual(Decimal(kpis["deals_won"]["since"]), 2)

    def test_items_either_side_added(self):
        AgendaItem.objects.create(
            organisation=self.org, meeting=self.meeting, added_by=self.rep, text="Pricing"
        )
        AgendaItem.objects.create(
            organisation=self.org, meeting=self.meeting, added_by=self.manager, text="Hiring"
        )
        items = section(build_agenda(self.meeting), "items")
        self.assertEqual(
            [(i["text"], i["by"]) for i in items], [("Pricing", "Rita"), ("Hiring", "Maya")]
        )


class AgendaBudgetTests(MeetingTestCase):
    def history(self, first: int, last: int) -> None:
        """Weeks `first` to `last` back of held 1:1s, commitments, reports, problems, deals, items."""
        for week in range(first, last + 1):
            day = self.today - dt.timedelta(days=7 * week)
            Meeting.objects.create(
                organisation=self.org,
                manager=self.manager,
                rep=self.rep,
                scheduled_at=at(self.org, day, dt.time(10)),
                status=MeetingStatus.HELD,
            )
            Commitment.objects.create(
                organisation=self.org, owner=self.rep, text=f"c{week}", created_on=day, due_on=day
            )
            SelfReport.objects.create(
                organisation=self.org, rep=self.rep, period_start=day, period_end=day, due_on=day
            )
            Problem.objects.create(
                organisation=self.org, rep=self.rep, text=f"p{week}", raised_at=timezone.now()
            )
            stale = deal(self.org, self.rep, created=day - dt.timedelta(days=60), name=f"d{week}")
            activity(self.org, self.rep, day - dt.timedelta(days=30), deal=stale)
            AgendaItem.objects.create(
                organisation=self.org, meeting=self.meeting, added_by=self.rep, text=f"i{week}"
            )

    def queries(self) -> None:
        meeting = Meeting.objects.select_related("organisation", "manager", "rep").get(
            pk=self.meeting.pk
        )
        build_agenda(meeting)  # the metric catalogue is cached after the first read
        with self.assertNumQueries(QUERIES):
            build_agenda(meeting)

    def test_a_whole_agenda_costs_the_same_queries_after_one_week_or_twenty(self):
        self.history(1, 1)
        self.queries()
        self.history(2, 20)
        self.queries()


# The pair's last held 1:1, the rep's team and its settings (3), the scorecard and the
# month to date and the window since the last 1:1 from the metric engine (16, the
# catalogue cached), one query a section (5), and for the self-report: the last one and
# the rep's interval (4); the last activity of the open deals (1); the rep's active
# focus areas (1, assessments/focus_agenda.py; none here, so no metric query); the early
# warnings (30, diagnostics/agenda.py): the rep's three rights for last month (12, and 13
# for the right time's projection) and the hygiene rules over their open deals (5: the
# stage moves and last activities are read once for all rules since hygiene.tally).
QUERIES = 63  # right time: deals counted, deals listed, cold touches (was one subquery);
# each of the four engine computations probes for shared credit once


class PluggableSectionTests(MeetingTestCase):
    def tearDown(self):
        agenda_module._sections.pop("focus", None)

    def test_another_app_adds_a_section_without_editing_the_agenda(self):
        register_section(
            "focus",
            "Focus areas",
            15,
            lambda ctx: [{"text": f"Discovery calls of {ctx.rep.name}"}],
        )
        agenda = build_agenda(self.meeting)
        keys = [s.key for s in agenda.sections]
        self.assertEqual(keys[:3], ["kpis", "focus", "commitments"])
        self.assertEqual(section(agenda, "focus"), [{"text": "Discovery calls of Rita"}])
        self.login(self.manager)
        response = self.client.get(f"/one-on-ones/{self.meeting.pk}/")
        self.assertContains(response, "Discovery calls of Rita")


class FrozenAgendaTests(MeetingTestCase):
    def test_a_meeting_ended_days_later_keeps_the_month_as_it_stood_on_its_day(self):
        day = self.today - dt.timedelta(days=3)
        past = self.one_on_one(self.manager, self.rep, day)
        before, after = day - dt.timedelta(days=2), self.today
        for won_on in (before, after):
            deal(self.org, self.rep, created=won_on, closed=won_on, outcome="won", amount=500)
        ended = end_meeting(self.manager, past, MeetingStatus.HELD)
        kpis = {i["metric"]: i for i in ended.agenda["sections"][0]["items"]}
        counted = 1 if before >= period_of("month", day).start else 0
        self.assertEqual(Decimal(kpis["deals_won"]["value"]), counted)

    def test_a_held_meetings_agenda_stays_as_it_was(self):
        Problem.objects.create(
            organisation=self.org, rep=self.rep, text="Before", raised_at=timezone.now()
        )
        end_meeting(self.manager, self.meeting, MeetingStatus.HELD)
        Problem.objects.create(
            organisation=self.org, rep=self.rep, text="After", raised_at=timezone.now()
        )
        self.meeting.refresh_from_db()
        agenda = build_agenda(self.meeting)
        self.assertTrue(agenda.frozen)
        self.assertEqual([p["text"] for p in section(agenda, "problems")], ["Before"])
        self.assertEqual(
            [s.display_title for s in agenda.sections][0], "Numbers since the last 1:1"
        )
