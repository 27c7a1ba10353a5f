"""The ratings half of the rep scorecard: latest standing ratings, only what the viewer may read."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followthrough.assessments import assessing
from followthrough.assessments.models import AssessmentKind
from followthrough.assessments.scorecard_ratings import ratings_panel
from followthrough.lib.periods import Period
from followthrough.scorecards.panels import registered_panels
from tests.assessments.base import CYCLE, RubricTestCase

EARLIER = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
PERIOD = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))


class RatingsPanelTests(RubricTestCase):
    def assess(self, kind, rater, level, cycle=CYCLE, submit=True, note=""):
        a = assessing.start(
            rep=self.rep,
            rater=rater,
            kind=kind,
            template=self.template,
            cycle_start=cycle[0],
            cycle_end=cycle[1],
            private_note=note,
        )
        for cid in self.competency_ids:
            assessing.rate(a, cid, level, f"{level} evidence")
        if submit:
            assessing.submit(a)
        return a

    def test_the_panel_is_registered_without_scorecards_importing_assessments(self):
        self.assertIn("ratings", [spec.key for spec in registered_panels()])
        import followthrough.scorecards.views as views

        source = open(views.__file__).read()
        self.assertNotIn("assessments", source)

    def test_the_manager_sees_the_latest_standing_rating_with_evidence(self):
        self.assess(AssessmentKind.MANAGER, self.manager, "below", EARLIER)
        self.assess(AssessmentKind.SELF, self.rep, "meets")
        self.assess(AssessmentKind.MANAGER, self.manager, "exceeds", note="Secret plan")
        self.login(self.manager)
        response = self.client.get(reverse("person_scorecard", args=[self.rep.pk]))
        self.assertContains(response, "Ratings")
        row = response.context["panels"][0].context["rows"][0]
        self.assertEqual(row["manager"].level, "Exceeds expectations")
        self.assertEqual(row["manager"].evidence, "exceeds evidence")
        self.assertEqual(row["self"].level, "Meets expectations")
        self.assertNotContains(response, "Secret plan")

    def test_the_rep_does_not_see_the_managers_rating_before_their_own_self_assessment(self):
        self.assess(AssessmentKind.SELF, self.rep, "meets", submit=False)
        self.assess(AssessmentKind.MANAGER, self.manager, "exceeds")
        context = ratings_panel(self.rep, self.rep, PERIOD)
        self.assertFalse(context["rated"])
        # The manager sees theirs.
        self.assertTrue(ratings_panel(self.manager, self.rep, PERIOD)["rated"])

    def test_drafts_and_corrected_versions_do_not_count(self):
        first = self.assess(AssessmentKind.MANAGER, self.manager, "below")
        fix = assessing.correct(first, "Wrong rep")
        for cid in self.competency_ids:
            assessing.rate(fix, cid, "meets", "fixed")
        assessing.submit(fix)
        self.assess(AssessmentKind.MANAGER, self.manager, "exceeds", submit=False)
        row = ratings_panel(self.leader, self.rep, PERIOD)["rows"][0]
        self.assertEqual(row["manager"].evidence, "fixed")

    def test_other_people_never_reach_the_panel(self):
        self.assess(AssessmentKind.MANAGER, self.manager, "exceeds")
        for person in (self.rep2, self.other_manager):
            self.login(person)
            url = reverse("person_scorecard", args=[self.rep.pk])
            self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_no_template_no_panel(self):
        self.template.delete()
        self.assertIsNone(ratings_panel(self.manager, self.rep, PERIOD))

    def test_a_constant_number_of_queries(self):
        self.assess(AssessmentKind.MANAGER, self.manager, "below", EARLIER)
        rep = type(self.rep).objects.get(pk=self.rep.pk)
        with CaptureQueriesContext(connection) as few:
            ratings_panel(rep, rep, PERIOD)
        self.assess(AssessmentKind.SELF, self.rep, "meets")
        self.assess(AssessmentKind.MANAGER, self.manager, "exceeds")
        rep = type(self.rep).objects.get(pk=self.rep.pk)
        with CaptureQueriesContext(connection) as more:
            ratings_panel(rep, rep, PERIOD)
        self.assertEqual(len(few), len(more))
