"""Calibration: the arithmetic by hand, then a small history through the page.

The history: Maya rates her three reps "exceeds" on Uncovering needs while their win
rates are the organisation's three lowest (10 %, 20 %, 25 %); Otto rates his three
below, meets, meets while theirs are the highest (50 %, 60 %, 80 %). Ranked, the six
win rates cut into thirds suggest 0, 0, 1 | 1, 2, 2. Maya: mean rating 2, suggested
(0 + 0 + 1) / 3 = 0.33, gap +1.67, flagged above. Otto: mean rating (0 + 1 + 1) / 3 =
0.67, suggested (1 + 2 + 2) / 3 = 1.67, gap -1.00, flagged below.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followthrough.assessments import assessing, rubric_editing, versions
from followthrough.assessments.calibration import (
    ABOVE,
    BELOW,
    Observation,
    calibrate,
    gather,
    suggested_levels,
)
from followthrough.assessments.models import AssessmentKind
from followthrough.lib.periods import Period, PeriodKind
from followthrough.people.lines import move
from followthrough.people.models import Role
from tests.cast import START, BaseTestCase, make_person
from tests.metrics.helpers import deal

D = Decimal
Q4 = Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31), PeriodKind.QUARTER)


class SuggestedLevelsTests(SimpleTestCase):
    def test_six_figures_cut_into_thirds(self):
        values = [D("0.1"), D("0.2"), D("0.25"), D("0.5"), D("0.6"), D("0.8")]
        self.assertEqual(suggested_levels(values, [3] * 6), [0, 0, 1, 1, 2, 2])

    def test_the_order_given_does_not_matter(self):
        values = [D("0.8"), D("0.1"), D("0.5"), D("0.25"), D("0.6"), D("0.2")]
        self.assertEqual(suggested_levels(values, [3] * 6), [2, 0, 1, 1, 2, 0])

    def test_ties_share_the_mean_of_their_places(self):
        # Places 0.5, 0.5, 2, 3 of 4: floor(0.375), floor(1.5), floor(2.25).
        self.assertEqual(suggested_levels([D(1), D(1), D(2), D(3)], [3] * 4), [0, 0, 1, 2])
        self.assertEqual(suggested_levels([D(5)] * 3, [3] * 3), [1, 1, 1])

    def test_lower_is_better_turns_the_ranking_round(self):
        self.assertEqual(suggested_levels([D(1), D(2), D(3)], [3] * 3, False), [2, 1, 0])

    def test_two_levels_cut_in_halves(self):
        self.assertEqual(suggested_levels([D(4), D(1), D(3), D(2)], [2] * 4), [1, 0, 1, 0])

    def test_nothing_to_rank(self):
        self.assertEqual(suggested_levels([], []), [])


MAYA, OTTO, C, N = 1, 2, 10, 11


def history() -> list[Observation]:
    return [
        Observation(MAYA, 101, C, 2, 3, D("0.1")),
        Observation(MAYA, 102, C, 2, 3, D("0.2")),
        Observation(MAYA, 103, C, 2, 3, D("0.25")),
        Observation(OTTO, 201, C, 0, 3, D("0.5")),
        Observation(OTTO, 202, C, 1, 3, D("0.6")),
        Observation(OTTO, 203, C, 1, 3, D("0.8")),
        # A competency without a metric: a distribution, no comparison.
        Observation(MAYA, 101, N, 1, 3, None),
        Observation(OTTO, 201, N, 0, 3, None),
    ]


class CalibrateTests(SimpleTestCase):
    def setUp(self):
        self.result = calibrate(history(), {C: 3, N: 3}, {C: True}, [MAYA, OTTO])

    def test_each_managers_distribution_and_mean_level(self):
        maya, otto = self.result.competencies[0].rows
        self.assertEqual(maya.counts, (0, 0, 3))
        self.assertEqual(maya.shares, (D(0), D(0), D(100)))
        self.assertEqual(maya.mean_level, D(2))
        self.assertEqual(otto.counts, (1, 2, 0))
        self.assertEqual(round(otto.shares[1], 2), D("66.67"))
        self.assertEqual(round(otto.mean_level, 4), D("0.6667"))
        everyone = self.result.competencies[0].everyone
        self.assertEqual(everyone.counts, (1, 2, 3))
        self.assertEqual(round(everyone.mean_level, 4), D("1.3333"))

    def test_gaps_and_flags(self):
        maya, otto = self.result.competencies[0].rows
        self.assertEqual(maya.compared, 3)
        self.assertEqual(round(maya.mean_suggested, 4), D("0.3333"))
        self.assertEqual(round(maya.gap, 4), D("1.6667"))
        self.assertEqual(maya.flag, ABOVE)
        self.assertEqual(round(maya.mean_metric, 4), D("0.1833"))
        self.assertEqual(round(otto.mean_suggested, 4), D("1.6667"))
        self.assertEqual(otto.gap, D(-1))
        self.assertEqual(otto.flag, BELOW)

    def test_a_competency_without_figures_is_not_compared(self):
        maya, otto = self.result.competencies[1].rows
        self.assertEqual((maya.counts, otto.counts), ((0, 1, 0), (1, 0, 0)))
        self.assertEqual((maya.compared, maya.gap, maya.flag), (0, None, ""))

    def test_overall_per_manager_counts_only_compared_ratings(self):
        maya, otto = self.result.overall
        self.assertEqual((maya.compared, maya.flag), (3, ABOVE))
        self.assertEqual(round(maya.gap, 4), D("1.6667"))
        # Mean level over all four of Maya's ratings: (2 + 2 + 2 + 1) / 4.
        self.assertEqual(maya.mean_level, D("1.75"))
        self.assertEqual((otto.gap, otto.flag), (D(-1), BELOW))

    def test_fewer_than_three_ratings_are_not_flagged(self):
        few = [o for o in history() if o.rep_id not in (103, 203)]
        result = calibrate(few, {C: 3}, {C: True}, [MAYA, OTTO])
        maya, otto = result.competencies[0].rows
        # Four figures: places 0..3 suggest 0, 0, 1, 2; Maya's gap 2 - 0 = 2, yet 2 ratings.
        self.assertEqual(maya.gap, D(2))
        self.assertEqual(maya.flag, "")

    def test_a_small_gap_is_not_flagged(self):
        # Rated as the figures suggest, give or take half a level.
        obs = [
            Observation(MAYA, i, C, level, 3, D(i)) for i, level in enumerate([0, 1, 1, 2, 2, 2])
        ]
        row = calibrate(obs, {C: 3}, {C: True}).competencies[0].rows[0]
        self.assertEqual((round(row.gap, 4), row.flag), (D("0.3333"), ""))


@time_machine.travel(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC), tick=False)
class CalibrationPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.org
        cls.rae = make_person(org, "Rae", Role.REP, login=False)
        cls.oscar = make_person(org, "Oscar", Role.REP, login=False)
        cls.ona = make_person(org, "Ona", Role.REP, login=False)
        move(cls.rae, manager=cls.manager, team=cls.team, on=START)
        move(cls.oscar, manager=cls.other_manager, team=cls.other_team, on=START)
        move(cls.ona, manager=cls.other_manager, team=cls.other_team, on=START)
        rubric = rubric_editing.create_rubric(org, name="Discovery only")
        section = rubric_editing.add_section(rubric, "Discovery")
        from followthrough.metrics.engine import get_metrics

        catalog = get_metrics(org)
        cls.uncovering = rubric_editing.add_competency(
            section, name="Uncovering needs", behaviours={}, metric_key="win_rate", catalog=catalog
        )
        cls.crm = rubric_editing.add_competency(section, name="CRM", behaviours={})
        cls.template = versions.publish(rubric=rubric, name="AE", by=cls.admin)
        # (rep, won, lost, rater, level)
        plan = [
            (cls.rep, 1, 3, cls.manager, "exceeds"),
            (cls.rep2, 1, 4, cls.manager, "exceeds"),
            (cls.rae, 1, 9, cls.manager, "exceeds"),
            (cls.other_rep, 2, 2, cls.other_manager, "below"),
            (cls.oscar, 3, 2, cls.other_manager, "meets"),
            (cls.ona, 4, 1, cls.other_manager, "meets"),
        ]
        for rep, won, lost, rater, level in plan:
            for i in range(won + lost):
                deal(
                    org,
                    rep,
                    closed=dt.date(2026, 11, 1) + dt.timedelta(days=i),
                    outcome="won" if i < won else "lost",
                    amount=1000,
                )
            cls.assess(rep, rater, level)

    @classmethod
    def assess(cls, rep, rater, level):
        a = assessing.start(
            rep=rep,
            rater=rater,
            kind=AssessmentKind.MANAGER,
            template=cls.template,
            cycle_start=Q4.start,
            cycle_end=Q4.end,
        )
        assessing.rate(a, cls.uncovering.pk, level, "On a call")
        assessing.rate(a, cls.crm.pk, "meets")
        assessing.submit(a)

    def url(self) -> str:
        return reverse("calibration") + "?quarter=2026-10-01"

    def test_the_leader_sees_both_managers_flagged_with_the_numbers(self):
        self.login(self.leader)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        text = " ".join(flag["text"] for flag in response.context["flags"])
        self.assertIn(
            "Maya rates Uncovering needs 2.00 on average; the Win rate of the reps rated "
            "(18.3 % on average) suggests 0.33 (3 ratings). That is 1.67 of a level above",
            text,
        )
        self.assertIn("Otto rates Uncovering needs 0.67 on average", text)
        self.assertIn("1.00 of a level below", text)
        self.assertContains(response, "<svg", count=6)  # 2 competencies × (2 managers + all)

    def test_gather_reads_the_figures_over_each_cycle(self):
        gathered = gather(self.leader, Q4)
        figures = {(o.rep_id, o.competency_id): o.metric for o in gathered.observations}
        self.assertEqual(figures[(self.rep.pk, self.uncovering.pk)], D("0.25"))
        self.assertEqual(figures[(self.ona.pk, self.uncovering.pk)], D("0.8"))
        self.assertIsNone(figures[(self.ona.pk, self.crm.pk)])
        self.assertEqual([p.name for p in gathered.managers], ["Maya", "Otto"])

    def test_a_manager_sees_only_what_is_below_them(self):
        gathered = gather(self.manager, Q4)
        self.assertEqual({o.manager_id for o in gathered.observations}, {self.manager.pk})

    def test_queries_do_not_grow_with_the_ratings(self):
        gather(self.leader, Q4)  # the metric catalogue is cached after its first read
        with CaptureQueriesContext(connection) as before:
            gather(self.leader, Q4)
        extra = make_person(self.org, "Ezra", Role.REP, login=False)
        move(extra, manager=self.manager, team=self.team, on=START)
        deal(self.org, extra, closed=dt.date(2026, 11, 2), outcome="won", amount=1)
        self.assess(extra, self.manager, "meets")
        with CaptureQueriesContext(connection) as after:
            gather(self.leader, Q4)
        self.assertEqual(len(before), len(after))

    def test_only_leaders_and_admins_open_it(self):
        for person in (self.rep, self.manager, self.other_manager):
            self.login(person)
            self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.login(self.admin)
        self.assertEqual(self.client.get(self.url()).status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(self.url()).status_code, 302)

    def test_another_organisation_sees_none_of_it(self):
        self.login(self.outsider)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Maya")

    def test_an_unknown_quarter_is_refused_in_words(self):
        self.login(self.leader)
        for bad in ("1999-01-01", "soon"):
            response = self.client.get(reverse("calibration") + f"?quarter={bad}")
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, "Choose one of the quarters offered.", status_code=400)


@time_machine.travel(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC), tick=False)
class CalibrationApiTests(CalibrationPageTests):
    def api(self, person):
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_authenticate(person.user)
        return client

    def test_the_api_gives_the_pages_figures(self):
        body = self.api(self.leader).get("/api/v1/calibration/?quarter=2026-10-01").json()
        item = next(c for c in body["competencies"] if c["competency"] == self.uncovering.pk)
        maya = next(r for r in item["managers"] if r["manager"] == self.manager.pk)
        self.assertEqual((maya["counts"], maya["gap"], maya["flag"]), ([0, 0, 3], "1.6667", ABOVE))

    def test_the_api_refuses_managers_and_bad_quarters(self):
        response = self.api(self.manager).get("/api/v1/calibration/")
        self.assertEqual(response.status_code, 403)
        response = self.api(self.leader).get("/api/v1/calibration/?quarter=x")
        self.assertEqual(response.status_code, 400)
        self.assertIn("quarter", response.json())
