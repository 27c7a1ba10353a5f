"""Focus areas: picked from a submitted assessment within the team's limit, closed, on the agenda."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from followthrough.assessments import assessing, focus
from followthrough.assessments.models import (
    AssessmentKind,
    AssessmentSettings,
    FocusStatus,
)
from followthrough.coaching.agenda import build_agenda
from followthrough.coaching.models import Meeting
from tests.assessments.base import CYCLE, RubricTestCase


class FocusCase(RubricTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.assessment = assessing.start(
            rep=cls.rep,
            rater=cls.manager,
            kind=AssessmentKind.MANAGER,
            template=cls.template,
            cycle_start=CYCLE[0],
            cycle_end=CYCLE[1],
        )
        for competency_id in cls.competency_ids:
            assessing.rate(cls.assessment, competency_id, "below", "Seen on a call")
        assessing.submit(cls.assessment)

    def pick(self, index: int, by=None, **extra):
        return focus.pick(
            by=by or self.manager,
            assessment=self.assessment,
            competency_id=self.competency_ids[index],
            **extra,
        )


class PickTests(FocusCase):
    def test_the_metric_defaults_to_the_competencys_own(self):
        area = self.pick(0)
        self.assertEqual(area.metric_key, self.template.competencies[0]["metric"])
        self.assertEqual(self.pick(1, metric_key="win_rate").metric_key, "win_rate")

    def test_the_team_limit_refuses_one_more_until_one_is_closed(self):
        AssessmentSettings.objects.create(organisation=self.org, team=self.team, focus_limit=2)
        first = self.pick(0)
        self.pick(1)
        with self.assertRaises(ValidationError) as caught:
            self.pick(2)
        self.assertIn("2 focus areas at a time", str(caught.exception))
        focus.close(first, by=self.manager, status=FocusStatus.ACHIEVED)
        self.pick(2)
        self.assertEqual(focus.active_for(self.rep).count(), 2)

    def test_three_at_a_time_by_default(self):
        for index in range(3):
            self.pick(index)
        with self.assertRaises(ValidationError):
            self.pick(3)

    def test_only_the_reps_managers_pick_and_close(self):
        for person in (self.rep, self.rep2, self.other_manager, self.admin, self.outsider):
            with self.assertRaises(ValidationError):
                self.pick(0, by=person)
        area = self.pick(0, by=self.leader)
        with self.assertRaises(ValidationError):
            focus.close(area, by=self.rep, status=FocusStatus.DROPPED)

    def test_the_same_competency_twice_is_refused(self):
        self.pick(0)
        with self.assertRaises(ValidationError):
            self.pick(0)


class FocusPageTests(FocusCase):
    def test_the_manager_picks_from_the_assessment_and_meets_the_limit_as_a_field_error(self):
        AssessmentSettings.objects.create(organisation=self.org, team=self.team, focus_limit=1)
        self.login(self.manager)
        url = f"/assessments/{self.assessment.pk}/focus/"
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url, {"competency": self.competency_ids[0], "note": "Record two calls"}
        )
        self.assertRedirects(response, f"/assessments/{self.assessment.pk}/#focus")
        response = self.client.post(url, {"competency": self.competency_ids[1]})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "1 focus area at a time", status_code=400)
        response = self.client.post(url, {"competency": "nonsense"})
        self.assertEqual(response.status_code, 400)

    def test_who_may_open_the_pick_page(self):
        url = f"/assessments/{self.assessment.pk}/focus/"
        for person, status in (
            (self.rep, 403),
            (self.rep2, 403),
            (self.other_manager, 403),
            (self.admin, 403),
            (self.outsider, 404),
            (self.leader, 200),
        ):
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, status, person.name)

    def test_the_rep_sees_my_focus_areas_and_cannot_close_them(self):
        area = self.pick(0, note="Record two calls")
        self.login(self.rep)
        response = self.client.get("/focus-areas/")
        self.assertContains(response, "My focus areas")
        self.assertContains(response, "Record two calls")
        self.assertNotContains(response, f"/focus-areas/{area.pk}/close/")
        self.assertEqual(
            self.client.post(f"/focus-areas/{area.pk}/close/", {"status": "achieved"}).status_code,
            403,
        )
        for person in (self.rep2, self.other_manager, self.outsider):
            self.login(person)
            self.assertNotContains(self.client.get("/focus-areas/"), "Record two calls")
        self.login(self.manager)
        self.client.post(f"/focus-areas/{area.pk}/close/", {"status": "achieved"})
        area.refresh_from_db()
        self.assertEqual(area.status, FocusStatus.ACHIEVED)

    def test_the_team_settings_form(self):
        url = f"/teams/{self.team.pk}/assessment-settings/"
        for person in (self.rep, self.other_manager, self.outsider):
            self.login(person)
            self.assertIn(self.client.get(url).status_code, (403, 404), person.name)
        self.login(self.manager)
        response = self.client.post(
            url, {"focus_limit": "0", "anonymous_peer_reviews": "on", "review_months": "3"}
        )
        self.assertEqual(response.status_code, 400)
        self.client.post(url, {"focus_limit": "2", "review_months": "6"})
        found = AssessmentSettings.objects.get(team=self.team)
        self.assertEqual(
            (found.focus_limit, found.anonymous_peer_reviews, found.review_months), (2, False, 6)
        )
        for person in (self.leader, self.admin):
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, 200)


class AgendaTests(FocusCase):
    def test_the_1_1_agenda_shows_the_active_focus_areas_with_their_metric(self):
        self.pick(0, note="Record two calls")
        dropped = self.pick(1)
        focus.close(dropped, by=self.manager, status=FocusStatus.DROPPED)
        meeting = Meeting.objects.create(
            organisation=self.org,
            manager=self.manager,
            rep=self.rep,
            scheduled_at=timezone.now() + dt.timedelta(hours=2),
        )
        agenda = build_agenda(meeting)
        section = next(s for s in agenda.sections if s.key == "focus_areas")
        self.assertEqual([item["text"] for item in section.items], ["Targeting the right accounts"])
        item = section.items[0]
        self.assertEqual(item["metric"], "meetings_per_100_outbound")
        self.assertIn("this month", item["detail"])
        self.assertIn("Record two calls", item["detail"])
        self.login(self.manager)
        self.assertContains(
            self.client.get(f"/one-on-ones/{meeting.pk}/"), "Targeting the right accounts"
        )

    def test_the_section_costs_the_same_queries_for_one_focus_area_or_three(self):
        meeting = Meeting.objects.create(
            organisation=self.org,
            manager=self.manager,
            rep=self.rep,
            scheduled_at=timezone.now() + dt.timedelta(hours=2),
        )
        from followthrough.assessments.focus_agenda import focus_areas
        from followthrough.coaching.agenda import AgendaContext
        from followthrough.coaching.questions import settings_for_rep

        self.pick(0, metric_key="win_rate")
        today = timezone.localdate()
        ctx = AgendaContext(
            meeting=meeting,
            org=self.org,
            manager=self.manager,
            rep=self.rep,
            day=today,
            today=today,
            since=None,
            settings=settings_for_rep(self.rep, today),
        )
        focus_areas(ctx)
        # The focus areas (1), the catalogue read by the section and by the engine (2), the
        # month and the three months before for every metric at once (2), the engine's
        # shared-credit probe (1).
        with self.assertNumQueries(6) as one:
            focus_areas(ctx)
        self.pick(1, metric_key="win_rate")
        self.pick(2, metric_key="win_rate")
        with self.assertNumQueries(len(one.captured_queries)):
            self.assertEqual(len(focus_areas(ctx)), 3)


class FocusListBudgetTests(FocusCase):
    def test_the_list_costs_the_same_queries_for_one_focus_area_or_three(self):
        self.pick(0)
        self.login(self.manager)
        self.client.get("/focus-areas/")
        with self.assertNumQueries(11) as one:
            response = self.client.get("/focus-areas/")
        self.assertContains(response, f"/teams/{self.team.pk}/assessment-settings/")
        self.pick(1)
        self.pick(2)
        with self.assertNumQueries(len(one.captured_queries)):
            self.client.get("/focus-areas/")
