"""The assessment pages: who opens what, the rating form, the self-first rule, anonymity,
private notes, corrections and the side-by-side comparison."""

from __future__ import annotations

from followthrough.assessments import assessing, checklist
from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentSettings,
    AssessmentStatus,
)
from followthrough.lib.periods import Period
from tests.assessments.base import CYCLE, RubricTestCase

SECRET = "Rita needs patience; her father is ill."
PEER_WORDS = "Rita listens better than anyone in the team."


class AssessmentPageCase(RubricTestCase):
    cycle = Period(*CYCLE)

    def start(self, kind=AssessmentKind.MANAGER, rater=None, rep=None, **extra):
        return assessing.start(
            rep=rep or self.rep,
            rater=rater or self.manager,
            kind=kind,
            template=self.template,
            cycle_start=CYCLE[0],
            cycle_end=CYCLE[1],
            **extra,
        )

    def submitted(self, kind=AssessmentKind.MANAGER, rater=None, level="meets", **extra):
        assessment = self.start(kind, rater, **extra)
        self.rate_all(assessment, level)
        return assessing.submit(assessment)

    def form_data(self, level="meets", action="save", skip=()):
        data = {"action": action, "summary": "Good quarter", "private_note": SECRET}
        for cid in self.competency_ids:
            if cid not in skip:
                data[f"level_{cid}"] = level
            data[f"evidence_{cid}"] = f"Call {cid}"
        return data


class ListTests(AssessmentPageCase):
    def test_everyone_in_the_organisation_opens_the_list_anonymous_visitors_log_in(self):
        response = self.client.get("/assessments/")
        self.assertEqual(response.status_code, 302)
        for person in (self.rep, self.manager, self.leader, self.admin, self.outsider):
            self.login(person)
            self.assertEqual(self.client.get("/assessments/").status_code, 200)

    def test_a_rep_sees_their_own_submitted_ones_and_what_was_asked_of_them(self):
        mine = self.submitted(AssessmentKind.OBSERVATION, observed_on=CYCLE[0])
        robs = self.submitted(rep=self.rep2)
        checklist.request_peer_reviews(
            by=self.manager, rep=self.rep2, peers=[self.rep], cycle=self.cycle
        )
        self.login(self.rep)
        response = self.client.get("/assessments/")
        self.assertContains(response, f'id="assessment-{mine.pk}"')
        self.assertNotContains(response, f'id="assessment-{robs.pk}"')
        self.assertContains(response, "Asked of me")

    def test_the_other_manager_and_the_outsider_see_none_of_the_team(self):
        one = self.submitted()
        for person in (self.other_manager, self.outsider, self.rep2):
            self.login(person)
            self.assertNotContains(self.client.get("/assessments/"), f'id="assessment-{one.pk}"')
        for person in (self.manager, self.leader, self.admin):
            self.login(person)
            self.assertContains(self.client.get("/assessments/"), f'id="assessment-{one.pk}"')

    def test_the_manager_filters_by_rep_kind_status_and_cycle(self):
        one = self.submitted()
        other = self.start(rep=self.rep2)
        self.login(self.manager)
        response = self.client.get(f"/assessments/?rep={self.rep2.pk}&kind=manager&status=draft")
        self.assertContains(response, f'id="assessment-{other.pk}"')
        self.assertNotContains(response, f'id="assessment-{one.pk}"')
        response = self.client.get("/assessments/?cycle=2020-01-01")
        self.assertNotContains(response, f'id="assessment-{one.pk}"')
        response = self.client.get("/assessments/?cycle=nonsense&kind=x&status=y&rep=z")
        self.assertContains(response, f'id="assessment-{one.pk}"')

    def test_the_list_costs_the_same_queries_for_one_assessment_or_many(self):
        self.submitted()
        self.login(self.manager)
        self.client.get("/assessments/")
        with self.assertNumQueries(12) as few:
            self.client.get("/assessments/")
        for rater in (self.leader, self.admin):
            self.submitted(rater=rater)
        self.submitted(AssessmentKind.SELF, rater=self.rep)
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get("/assessments/")


class DetailRightsTests(AssessmentPageCase):
    def test_who_opens_a_submitted_manager_assessment(self):
        one = self.submitted()
        url = f"/assessments/{one.pk}/"
        expected = {
            self.rep: 200,
            self.manager: 200,
            self.leader: 200,
            self.admin: 200,
            self.rep2: 403,
            self.other_manager: 403,
            self.other_rep: 403,
            self.outsider: 404,
        }
        for person, status in expected.items():
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, status, person.name)

    def test_a_draft_is_its_raters_alone_among_reps(self):
        draft = self.start()
        self.login(self.rep)
        self.assertEqual(self.client.get(f"/assessments/{draft.pk}/").status_code, 403)
        self.login(self.manager)
        response = self.client.get(f"/assessments/{draft.pk}/")
        self.assertRedirects(response, f"/assessments/{draft.pk}/rate/")

    def test_private_notes_are_hidden_from_the_rep(self):
        one = self.submitted(private_note=SECRET)
        self.login(self.rep)
        self.assertNotContains(self.client.get(f"/assessments/{one.pk}/"), SECRET)
        for person in (self.manager, self.leader):
            self.login(person)
            self.assertContains(self.client.get(f"/assessments/{one.pk}/"), SECRET)
        self.login(self.admin)  # not in the rater's line
        self.assertNotContains(self.client.get(f"/assessments/{one.pk}/"), SECRET)


class SelfFirstTests(AssessmentPageCase):
    def test_the_rep_is_told_to_write_their_self_assessment_first(self):
        checklist.ask_self_assessment(by=self.manager, rep=self.rep, cycle=self.cycle)
        managers = self.submitted()
        self.login(self.rep)
        response = self.client.get(f"/assessments/{managers.pk}/")
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Write your self-assessment first", status_code=403)
        self.assertContains(self.client.get("/assessments/"), "Write your self-assessment first")
        own = Assessment.objects.get(kind=AssessmentKind.SELF, rep=self.rep)
        self.client.post(f"/assessments/{own.pk}/rate/", self.form_data(action="submit"))
        own.refresh_from_db()
        self.assertEqual(own.status, AssessmentStatus.SUBMITTED)
        self.assertEqual(self.client.get(f"/assessments/{managers.pk}/").status_code, 200)

    def test_the_manager_asks_for_a_self_assessment_with_the_assessment(self):
        self.login(self.manager)
        response = self.client.post(
            "/assessments/new/",
            {
                "rep": self.rep.pk,
                "kind": "manager",
                "cycle": self.current(),
                "ask_self_first": "on",
            },
        )
        made = Assessment.objects.get(kind=AssessmentKind.MANAGER)
        self.assertRedirects(response, f"/assessments/{made.pk}/rate/")
        asked = Assessment.objects.get(kind=AssessmentKind.SELF)
        self.assertEqual((asked.rater, asked.requested_by), (self.rep, self.manager))

    def current(self) -> str:
        return checklist.current_cycle(self.org).start.isoformat()

    def test_the_rep_starts_their_own_self_assessment(self):
        self.login(self.rep)
        self.assertEqual(self.client.get("/assessments/self/").status_code, 200)
        response = self.client.post("/assessments/self/")
        own = Assessment.objects.get(kind=AssessmentKind.SELF)
        self.assertRedirects(response, f"/assessments/{own.pk}/rate/")
        self.assertIsNone(own.requested_by)
        self.assertRedirects(self.client.get("/assessments/self/"), f"/assessments/{own.pk}/rate/")


class RatingFormTests(AssessmentPageCase):
    def test_the_form_shows_the_behaviours_at_each_level(self):
        draft = self.start()
        self.login(self.manager)
        response = self.client.get(f"/assessments/{draft.pk}/rate/")
        self.assertContains(response, "Building rapport on a sales call")
        self.assertContains(response, "Establishes commonality before the sales discussion")
        self.assertContains(response, 'type="radio"', count=3 * len(self.competency_ids))

    def test_a_draft_saves_and_submitting_needs_every_competency(self):
        draft = self.start()
        self.login(self.manager)
        first = self.competency_ids[0]
        response = self.client.post(
            f"/assessments/{draft.pk}/rate/", self.form_data(action="submit", skip=[first])
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose a level.", status_code=400)
        self.assertContains(response, f'id="id_level_{first}_error"', status_code=400)
        draft.refresh_from_db()
        self.assertEqual(draft.status, AssessmentStatus.DRAFT)
        self.assertEqual(draft.ratings.count(), len(self.competency_ids) - 1)
        response = self.client.post(
            f"/assessments/{draft.pk}/rate/", self.form_data(action="submit")
        )
        self.assertRedirects(response, f"/assessments/{draft.pk}/")
        draft.refresh_from_db()
        self.assertEqual(draft.status, AssessmentStatus.SUBMITTED)
        self.assertEqual(draft.private_note, SECRET)

    def test_a_level_outside_the_rubric_is_a_field_error(self):
        draft = self.start()
        self.login(self.manager)
        data = self.form_data()
        data[f"level_{self.competency_ids[0]}"] = "stellar"
        response = self.client.post(f"/assessments/{draft.pk}/rate/", data)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(draft.ratings.exists())

    def test_only_the_rater_writes_and_a_submitted_one_never_changes(self):
        draft = self.start()
        for person in (self.rep, self.leader, self.rep2, self.other_manager):
            self.login(person)
            response = self.client.post(f"/assessments/{draft.pk}/rate/", self.form_data())
            self.assertEqual(response.status_code, 403, person.name)
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"/assessments/{draft.pk}/rate/").status_code, 404)
        self.login(self.manager)
        self.client.post(f"/assessments/{draft.pk}/rate/", self.form_data(action="submit"))
        response = self.client.post(f"/assessments/{draft.pk}/rate/", self.form_data("exceeds"))
        self.assertRedirects(response, f"/assessments/{draft.pk}/")
        self.assertFalse(draft.ratings.filter(level="exceeds").exists())


class CorrectionTests(AssessmentPageCase):
    def test_the_rater_corrects_with_a_reason_and_the_versions_are_linked(self):
        one = self.submitted()
        for person in (self.rep, self.leader, self.admin):
            self.login(person)
            self.assertEqual(self.client.get(f"/assessments/{one.pk}/correct/").status_code, 403)
        self.login(self.manager)
        response = self.client.post(f"/assessments/{one.pk}/correct/", {"correction_reason": " "})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(
            f"/assessments/{one.pk}/correct/", {"correction_reason": "Mixed up two calls"}
        )
        fresh = Assessment.objects.get(supersedes=one)
        self.assertRedirects(response, f"/assessments/{fresh.pk}/rate/")
        self.client.post(f"/assessments/{fresh.pk}/rate/", self.form_data("exceeds", "submit"))
        one.refresh_from_db()
        self.assertEqual(one.status, AssessmentStatus.SUPERSEDED)
        page = self.client.get(f"/assessments/{one.pk}/")
        self.assertContains(page, f'href="/assessments/{fresh.pk}/"')
        self.assertContains(page, "Mixed up two calls")


class NewAssessmentTests(AssessmentPageCase):
    def test_only_managers_of_the_rep_start_one(self):
        for person in (self.rep, self.rep2):
            self.login(person)
            self.assertEqual(self.client.get("/assessments/new/").status_code, 403)
        self.login(self.other_manager)
        self.assertEqual(self.client.get(f"/assessments/new/?rep={self.rep.pk}").status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"/assessments/new/?rep={self.rep.pk}").status_code, 404)
        for person in (self.manager, self.leader):
            self.login(person)
            self.assertEqual(
                self.client.get(f"/assessments/new/?rep={self.rep.pk}").status_code, 200
            )
        self.login(self.admin)  # reads everything; assesses only who reports to them
        self.assertEqual(self.client.get(f"/assessments/new/?rep={self.rep.pk}").status_code, 403)

    def test_a_manager_does_not_assess_themself(self):
        self.login(self.manager)
        response = self.client.get(f"/assessments/new/?rep={self.manager.pk}")
        self.assertEqual(response.status_code, 403)

    def test_an_observation_needs_a_day_and_the_reps_deal_or_activity(self):
        self.login(self.manager)
        cycle = checklist.current_cycle(self.org).start.isoformat()
        response = self.client.post(
            "/assessments/new/", {"rep": self.rep.pk, "kind": "observation", "cycle": cycle}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "Link the deal or the activity you observed.", status_code=400
        )
        self.assertFalse(Assessment.objects.exists())


class PeerReviewTests(AssessmentPageCase):
    def ask(self):
        self.login(self.manager)
        cycle = checklist.current_cycle(self.org).start.isoformat()
        return self.client.post(
            "/assessments/peers/",
            {"rep": self.rep.pk, "peers": [self.other_rep.pk], "cycle": cycle},
        )

    def test_the_manager_chooses_peers_and_each_writes_their_own(self):
        AssessmentSettings.objects.create(organisation=self.org, team=self.team)
        response = self.ask()
        self.assertRedirects(response, f"/assessments/?rep={self.rep.pk}")
        review = Assessment.objects.get(kind=AssessmentKind.PEER)
        self.assertEqual(
            (review.rater, review.requested_by, review.anonymous),
            (self.other_rep, self.manager, True),
        )
        self.login(self.rep2)  # not chosen
        self.assertEqual(self.client.get(f"/assessments/{review.pk}/rate/").status_code, 403)
        self.login(self.other_rep)
        self.assertContains(self.client.get("/assessments/"), f"/assessments/{review.pk}/rate/")
        data = self.form_data(action="submit")
        data[f"evidence_{self.competency_ids[0]}"] = PEER_WORDS
        self.assertRedirects(
            self.client.post(f"/assessments/{review.pk}/rate/", data), f"/assessments/{review.pk}/"
        )

    def test_an_anonymous_peer_review_never_names_the_reviewer_to_the_rep(self):
        self.ask()
        review = Assessment.objects.get(kind=AssessmentKind.PEER)
        self.rate_all(review)
        assessing.submit(review)
        self.login(self.rep)
        for url in (f"/assessments/{review.pk}/", "/assessments/"):
            response = self.client.get(url)
            self.assertContains(response, "A peer")
            self.assertNotContains(response, "Olga")
        self.login(self.manager)
        self.assertContains(self.client.get(f"/assessments/{review.pk}/"), "Olga")

    def test_peers_are_not_chosen_by_reps_or_other_managers(self):
        cycle = checklist.current_cycle(self.org).start.isoformat()
        for person in (self.rep2, self.other_manager):
            self.login(person)
            response = self.client.post(
                "/assessments/peers/", {"rep": self.rep.pk, "peers": [self.rep2.pk], "cycle": cycle}
            )
            self.assertEqual(response.status_code, 403)
        self.assertFalse(Assessment.objects.exists())

    def test_choosing_nobody_is_a_field_error(self):
        self.login(self.manager)
        cycle = checklist.current_cycle(self.org).start.isoformat()
        response = self.client.post("/assessments/peers/", {"rep": self.rep.pk, "cycle": cycle})
        self.assertEqual(response.status_code, 400)


class ComparisonTests(AssessmentPageCase):
    def test_the_manager_sees_self_manager_and_peer_levels_side_by_side(self):
        self.submitted(AssessmentKind.SELF, rater=self.rep, level="exceeds")
        managers = self.submitted(level="meets")
        self.submitted(AssessmentKind.PEER, rater=self.rep2, level="below")
        rows = checklist.comparison(managers)
        self.assertEqual(
            (rows[0].self_level, rows[0].manager_level, rows[0].peer_levels),
            ("exceeds", "meets", ["below"]),
        )
        self.login(self.manager)
        self.assertContains(
            self.client.get(f"/assessments/{managers.pk}/"), "Side by side this cycle"
        )
        self.login(self.rep)
        self.assertNotContains(
            self.client.get(f"/assessments/{managers.pk}/"), "Side by side this cycle"
        )


class AuditTests(AssessmentPageCase):
    def test_the_audit_history_names_assessments_and_hides_private_notes(self):
        self.submitted(private_note=SECRET)
        self.login(self.admin)
        response = self.client.get("/audit/")
        self.assertContains(response, "Manager assessment · Rita")
        self.assertNotContains(response, SECRET)
