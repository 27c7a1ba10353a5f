"""Reviews: the assembled period, commitments kept, the frozen record, sharing and acknowledging."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followthrough.assessments import reviews as logic
from followthrough.assessments.models import AssessmentKind, ReviewStatus
from followthrough.coaching.commitments import close_commitment, make_commitment
from followthrough.coaching.models import CommitmentStatus
from tests.assessments.plans_helpers import PRIVATE, PlanTestCase, assess

# A past quarter, so the test does not depend on today.
PERIOD = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
SUMMARY = "A strong quarter: discovery is much better; keep the call block."


class ReviewTestCase(PlanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        start, end = PERIOD
        cls.manager_assessment = assess(
            cls, cls.rep, cls.manager, {0: "exceeds"}, cycle=PERIOD, summary="Well done"
        )
        cls.self_assessment = assess(
            cls, cls.rep, cls.rep, {0: "meets"}, kind=AssessmentKind.SELF, cycle=PERIOD
        )
        cls.peer = assess(
            cls,
            cls.rep,
            cls.rep2,
            {},
            kind=AssessmentKind.PEER,
            cycle=PERIOD,
            requested_by=cls.manager,
        )
        # Commitments due in the period: 2 done, 1 missed, 1 dropped, 1 open; one due after it.
        made = start - dt.timedelta(days=5)

        def commit(text, due, status=None):
            c = make_commitment(by=cls.manager, owner=cls.rep, text=text, due_on=due, today=made)
            if status:
                close_commitment(c, by=cls.manager, status=status, evidence="Shown", today=due)
            return c

        commit("One", dt.date(2026, 7, 10), CommitmentStatus.DONE)
        commit("Two", dt.date(2026, 8, 10), CommitmentStatus.DONE)
        commit("Three", dt.date(2026, 8, 20), CommitmentStatus.MISSED)
        commit("Four", dt.date(2026, 9, 1), CommitmentStatus.DROPPED)
        commit("Five", dt.date(2026, 9, 30))
        commit("Later", dt.date(2026, 10, 1), CommitmentStatus.DONE)
        commit("Before", dt.date(2026, 6, 30), CommitmentStatus.MISSED)

    def open(self, by=None):
        return logic.open_review(
            by=by or self.manager, rep=self.rep, period_start=PERIOD[0], today=self.today
        )


class AssemblyTests(ReviewTestCase):
    def test_the_period_follows_the_team_rhythm(self):
        review = self.open()
        self.assertEqual((review.period_start, review.period_end), PERIOD)
        self.assertEqual(
            logic.period_containing(dt.date(2026, 12, 7), 3),
            (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        )
        self.assertEqual(
            logic.period_containing(dt.date(2026, 12, 7), 6),
            (dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        )

    def test_commitments_kept_against_hand_counted_figures(self):
        kept = logic.commitments_kept(self.rep, *PERIOD)
        self.assertEqual(kept["counts"], {"open": 1, "done": 2, "dropped": 1, "missed": 1})
        self.assertEqual(
            [c["text"] for c in kept["items"]], ["One", "Two", "Three", "Four", "Five"]
        )

    def test_the_record_holds_ratings_self_and_anonymous_peers(self):
        record = logic.assemble(self.open(), self.today)
        self.assertEqual(record["ratings"]["id"], self.manager_assessment.pk)
        self.assertEqual(record["ratings"]["competencies"][0]["level"], "exceeds")
        self.assertEqual(record["self"]["id"], self.self_assessment.pk)
        self.assertEqual(len(record["peers"]), 1)
        self.assertTrue(record["peers"][0]["anonymous"])
        self.assertIsNone(record["peers"][0]["rater"])
        self.assertNotIn(self.rep2.name, str(record))
        self.assertNotIn(PRIVATE, str(record))
        self.assertIsInstance(record["kpis"], list)

    def test_one_review_per_rep_and_period(self):
        self.open()
        with self.assertRaises(ValidationError) as caught:
            self.open()
        self.assertIn("period_start", caught.exception.error_dict)

    def test_only_a_manager_of_the_rep_opens_one(self):
        for person in (self.rep, self.rep2, self.other_manager, self.admin):
            with self.assertRaises(PermissionDenied):
                self.open(by=person)


class FrozenRecordTests(ReviewTestCase):
    def test_sharing_needs_a_summary(self):
        review = self.open()
        with self.assertRaises(ValidationError) as caught:
            logic.share(review, by=self.manager, summary="")
        self.assertIn("summary", caught.exception.error_dict)

    def test_the_shared_record_does_not_change_with_new_data(self):
        review = logic.share(self.open(), by=self.manager, summary=SUMMARY)
        frozen = review.record
        self.assertEqual(frozen["commitments"]["counts"]["done"], 2)
        # Later: another commitment due in the period is closed, another assessment arrives.
        extra = make_commitment(
            by=self.manager,
            owner=self.rep,
            text="Six",
            due_on=dt.date(2026, 9, 15),
            today=dt.date(2026, 7, 1),
        )
        close_commitment(
            extra,
            by=self.manager,
            status=CommitmentStatus.DONE,
            evidence="x",
            today=dt.date(2026, 9, 15),
        )
        assess(
            self,
            self.rep,
            self.manager,
            {0: "below"},
            cycle=(dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
        )
        review.refresh_from_db()
        self.assertEqual(review.record, frozen)
        self.assertEqual(logic.content(review), frozen)
        self.assertEqual(logic.assemble(review)["commitments"]["counts"]["done"], 3)
        self.login(self.rep)
        page = self.client.get(reverse("review", args=[review.pk]))
        self.assertNotContains(page, "Six")
        self.assertContains(page, "2 done · 1 missed · 1 open")

    def test_acknowledge_only_by_the_rep_only_when_shared(self):
        review = self.open()
        with self.assertRaises(ValidationError):
            logic.acknowledge(review, by=self.rep, comment="Early")
        logic.share(review, by=self.manager, summary=SUMMARY)
        for person in (self.manager, self.rep2, self.leader, self.admin):
            with self.assertRaises(PermissionDenied):
                logic.acknowledge(review, by=person)
        logic.acknowledge(review, by=self.rep, comment="Fair; I want more demo practice.")
        review.refresh_from_db()
        self.assertEqual(review.status, ReviewStatus.ACKNOWLEDGED)
        with self.assertRaises(ValidationError):
            logic.acknowledge(review, by=self.rep, comment="Again")


class ReviewPageTests(ReviewTestCase):
    def test_who_reads_a_draft_and_a_shared_review(self):
        review = self.open()
        url = reverse("review", args=[review.pk])
        printed = reverse("review_print", args=[review.pk])
        cases = [
            (self.manager, 200),
            (self.leader, 200),
            (self.admin, 200),
            (self.rep, 403),
            (self.rep2, 403),
            (self.other_manager, 403),
            (self.outsider, 404),
        ]
        for person, expected in cases:
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, expected, person.name)
            self.assertEqual(self.client.get(printed).status_code, expected, person.name)
        logic.share(review, by=self.manager, summary=SUMMARY)
        self.login(self.rep)
        page = self.client.get(url)
        self.assertContains(page, SUMMARY)
        self.assertContains(page, "An anonymous colleague")
        self.assertNotContains(page, "Rob")
        self.assertNotContains(page, PRIVATE)
        self.login(self.rep2)
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_a_rep_does_not_see_their_draft_in_the_list(self):
        review = self.open()
        self.login(self.rep)
        self.assertNotContains(
            self.client.get(reverse("review_list")), reverse("review", args=[review.pk])
        )
        self.login(self.manager)
        self.assertContains(
            self.client.get(reverse("review_list")), reverse("review", args=[review.pk])
        )

    def test_the_manager_writes_shares_and_the_rep_acknowledges(self):
        self.login(self.manager)
        response = self.client.post(
            reverse("review_new"), {"rep": self.rep.pk, "period_start": PERIOD[0].isoformat()}
        )
        review = logic.reviews_visible(self.manager).get()
        self.assertRedirects(response, reverse("review", args=[review.pk]))
        url = reverse("review", args=[review.pk])
        response = self.client.post(url, {"summary": "", "action": "share"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("summary", response.context["form"].errors)
        self.client.post(url, {"summary": SUMMARY, "action": "share"})
        review.refresh_from_db()
        self.assertEqual(review.status, ReviewStatus.SHARED)
        # Somebody else's acknowledgement is refused.
        for person in (self.manager, self.rep2, self.leader):
            self.login(person)
            status = self.client.post(
                reverse("review_acknowledge", args=[review.pk]), {"comment": "x"}
            ).status_code
            self.assertEqual(status, 403, person.name)
        self.login(self.rep)
        self.client.post(
            reverse("review_acknowledge", args=[review.pk]), {"comment": "Thanks, agreed."}
        )
        review.refresh_from_db()
        self.assertEqual(
            (review.status, review.rep_comment), (ReviewStatus.ACKNOWLEDGED, "Thanks, agreed.")
        )
        self.assertEqual(self.client.post(url, {"summary": "Mine now"}).status_code, 403)

    def test_a_commitment_from_the_review(self):
        review = self.open()
        self.login(self.manager)
        url = reverse("review_commitment", args=[review.pk])
        self.client.post(url, {"text": "Run two demos with the new script", "due_on": ""})
        self.assertEqual(review.links.count(), 0)
        self.client.post(
            url,
            {
                "text": "Run two demos with the new script",
                "due_on": (self.today + dt.timedelta(days=20)).isoformat(),
            },
        )
        self.assertEqual(review.links.count(), 1)
        self.login(self.rep2)
        self.assertEqual(
            self.client.post(url, {"text": "x", "due_on": "2030-01-01"}).status_code, 403
        )

    def test_history_compares_levels_across_reviews(self):
        first = logic.share(self.open(), by=self.manager, summary=SUMMARY)
        later = logic.open_review(
            by=self.manager, rep=self.rep, period_start=dt.date(2026, 10, 1), today=self.today
        )
        assess(
            self,
            self.rep,
            self.manager,
            {0: "below"},
            cycle=(dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        )
        logic.share(later, by=self.manager, summary="Next")
        names, rows = logic.history([later, first])
        self.assertEqual([row["review"] for row in rows], [first, later])
        name = names[0]
        self.assertEqual([row["levels"][name] for row in rows], ["exceeds", "below"])
        self.login(self.rep)
        page = self.client.get(reverse("review_list") + f"?person={self.rep.pk}")
        self.assertContains(page, "Exceeds expectations")

    def test_the_list_query_count_is_flat(self):
        logic.share(self.open(), by=self.manager, summary=SUMMARY)
        self.login(self.manager)
        with self.assertNumQueries(13):
            self.client.get(reverse("review_list"))


class ReviewApiTests(ReviewTestCase):
    def test_the_api_flow_and_rights(self):
        self.login(self.rep)
        response = self.client.post(
            reverse("review-list"), {"rep": self.rep.pk}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.login(self.manager)
        response = self.client.post(
            reverse("review-list"),
            {"rep": self.rep.pk, "period_start": PERIOD[0].isoformat()},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        self.assertEqual(response.json()["record"]["commitments"]["counts"]["done"], 2)
        self.login(self.rep)
        self.assertEqual(self.client.get(reverse("review-detail", args=[pk])).status_code, 404)
        self.assertEqual(len(self.client.get(reverse("review-list")).json()["results"]), 0)
        response = self.client.post(
            reverse("review-acknowledge", args=[pk]), {}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 404)
        self.login(self.manager)
        response = self.client.post(
            reverse("review-share", args=[pk]), {}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("summary", response.json())
        response = self.client.post(
            reverse("review-share", args=[pk]),
            {"summary": SUMMARY},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "shared")
        response = self.client.post(
            reverse("review-acknowledge", args=[pk]), {}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 403)
        for person in (self.rep2, self.other_manager, self.outsider):
            self.login(person)
            self.assertEqual(self.client.get(reverse("review-detail", args=[pk])).status_code, 404)
        self.login(self.rep)
        response = self.client.post(
            reverse("review-acknowledge", args=[pk]),
            {"comment": "OK"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["rep_comment"], "OK")
        response = self.client.post(
            reverse("review-acknowledge", args=[pk]),
            {"comment": "Again"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)

    def test_bad_filters_are_field_errors(self):
        self.login(self.manager)
        response = self.client.get(reverse("review-list") + "?from=yesterday&status=nope")
        self.assertEqual(response.status_code, 400)
