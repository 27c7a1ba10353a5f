"""The humane escalation ladder: its rules, the shortened interval, the audit trail."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from followthrough.audit.models import AuditEntry
from followthrough.coaching import ladder
from followthrough.coaching.intervals import interval_for, intervals_for
from followthrough.coaching.models import LadderOutcome, LadderStep
from tests.cast import BaseTestCase
from tests.coaching.agreement_helpers import step_one, team_agreement, today

DAY = dt.timedelta(days=1)


class LadderRuleTests(BaseTestCase):
    def setUp(self):
        self.today = today(self.org)
        self.start = self.today - 60 * DAY

    def open(self, step, *, by=None, rep=None, started=None, **extra):
        started = started or self.today - 10 * DAY
        return ladder.open_step(
            by=by or self.manager,
            rep=rep or self.rep,
            step=step,
            started_on=started,
            review_on=extra.pop("review_on", started + 28 * DAY),
            plan=extra.pop("plan", "A written plan."),
            exit_criteria=extra.pop("exit_criteria", "Criteria."),
        )

    def refusal(self, **kwargs) -> dict:
        with self.assertRaises(ValidationError) as caught:
            self.open(**kwargs)
        return caught.exception.message_dict

    def review(self, step, day=None):
        return ladder.record_review(
            step,
            by=self.manager,
            reviewed_on=day or self.today - 12 * DAY,
            review="Better, not yet there.",
        )

    def test_a_rep_starts_at_step_one(self):
        self.assertEqual(
            self.refusal(step=2),
            {"step": ["A rep starts the ladder at step 1, coach and develop."]},
        )
        first = self.open(1)
        self.assertEqual((first.step, first.outcome, first.opened_by), (1, "open", self.manager))

    def test_moving_up_needs_the_review_of_the_step_before(self):
        step_one(self.manager, self.rep, started=self.start)
        self.assertEqual(
            self.refusal(step=2), {"step": ["Record the review of step 1 before moving up."]}
        )

    def test_a_step_is_not_skipped(self):
        first = step_one(self.manager, self.rep, started=self.start)
        self.review(first)
        self.assertEqual(
            self.refusal(step=3), {"step": ["Steps are not skipped: the next step is 2."]}
        )
        self.assertEqual(self.refusal(step=1), {"step": ["Rita is on step 1 already."]})
        self.assertEqual(LadderStep.objects.count(), 1)

    def test_moving_up_ends_the_step_before_and_points_back_to_it(self):
        first = step_one(self.manager, self.rep, started=self.start)
        self.review(first)
        second = self.open(2, started=self.today - 10 * DAY)
        first.refresh_from_db()
        self.assertEqual(
            (first.outcome, first.ended_on), (LadderOutcome.MOVED_UP, self.today - 10 * DAY)
        )
        self.assertEqual(second.previous, first)
        self.assertEqual(ladder.open_step_of(self.rep), second)

    def test_the_next_step_starts_on_or_after_the_review(self):
        first = step_one(self.manager, self.rep, started=self.start)
        self.review(first, day=self.today - 5 * DAY)
        self.assertIn("started_on", self.refusal(step=2, started=self.today - 6 * DAY))

    def test_nobody_opens_a_step_for_themselves_or_someone_not_reporting_to_them(self):
        self.assertEqual(
            self.refusal(step=1, by=self.manager, rep=self.manager),
            {"rep": ["You cannot open a ladder step for yourself."]},
        )
        for by, rep in [
            (self.other_manager, self.rep),
            (self.rep2, self.rep),
            (self.rep, self.rep2),
            (self.outsider, self.rep),
            (self.manager, self.other_rep),
        ]:
            self.assertEqual(
                self.refusal(step=1, by=by, rep=rep),
                {"rep": ["This person does not report to you."]},
            )
        self.assertFalse(LadderStep.objects.exists())

    def test_a_leader_above_the_rep_may_open_a_step(self):
        self.assertEqual(self.open(1, by=self.leader).opened_by, self.leader)

    def test_the_review_date_is_not_before_the_start(self):
        refusal = self.refusal(step=1, review_on=self.today - 20 * DAY)
        self.assertEqual(refusal, {"review_on": ["The review date is before the start date."]})

    def test_a_review_is_not_recorded_ahead_or_before_the_step(self):
        first = step_one(self.manager, self.rep, started=self.start)
        for day, field in ((self.today + DAY, "reviewed_on"), (self.start - DAY, "reviewed_on")):
            with self.assertRaises(ValidationError) as caught:
                ladder.record_review(first, by=self.manager, reviewed_on=day, review="x")
            self.assertIn(field, caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            ladder.record_review(first, by=self.manager, reviewed_on=self.today, review="  ")
        self.assertIn("review", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            ladder.record_review(first, by=self.other_manager, reviewed_on=self.today, review="x")
        self.assertIn("rep", caught.exception.message_dict)
        first.refresh_from_db()
        self.assertIsNone(first.reviewed_on)

    def test_leaving_the_ladder_needs_the_review_and_closes_the_step_as_left(self):
        first = step_one(self.manager, self.rep, started=self.start)
        with self.assertRaises(ValidationError) as caught:
            ladder.leave_ladder(first, by=self.manager, ended_on=self.today)
        self.assertIn("outcome", caught.exception.message_dict)
        self.review(first)
        ladder.leave_ladder(first, by=self.manager, ended_on=self.today)
        first.refresh_from_db()
        self.assertEqual((first.outcome, first.ended_on), (LadderOutcome.LEFT, self.today))
        self.assertIsNone(ladder.open_step_of(self.rep))
        # Back later: the ladder starts again at step 1.
        self.assertEqual(self.open(1, started=self.today).step, 1)

    def test_an_ended_step_is_not_reviewed_again(self):
        first = step_one(self.manager, self.rep, started=self.start)
        self.review(first)
        ladder.leave_ladder(first, by=self.manager, ended_on=self.today)
        with self.assertRaises(ValidationError) as caught:
            self.review(first)
        self.assertIn("review", caught.exception.message_dict)

    def test_every_change_to_a_step_is_in_the_audit_history(self):
        first = step_one(self.manager, self.rep, started=self.start)
        self.review(first)
        self.open(2)
        ct = ContentType.objects.get_for_model(LadderStep)
        on_first = AuditEntry.objects.filter(content_type=ct, object_id=str(first.pk)).order_by(
            "pk"
        )
        self.assertEqual([e.action for e in on_first], ["create", "update", "update"])
        self.assertEqual(on_first[2].changes["outcome"], ["open", "moved_up"])
        self.assertEqual(AuditEntry.objects.filter(content_type=ct, action="create").count(), 2)


class ShorterIntervalTests(BaseTestCase):
    def setUp(self):
        self.today = today(self.org)

    def to_step_two(self, rep=None):
        rep = rep or self.rep
        first = step_one(self.manager, rep, started=self.today - 60 * DAY)
        ladder.record_review(
            first, by=self.manager, reviewed_on=self.today - 20 * DAY, review="Not yet."
        )
        return ladder.open_step(
            by=self.manager,
            rep=rep,
            step=2,
            started_on=self.today - 20 * DAY,
            review_on=self.today + 20 * DAY,
            plan="Daily check-in.",
            exit_criteria="Criteria.",
        )

    def test_each_interval_shortens_by_one_place(self):
        self.assertEqual(
            [ladder.shorter_interval(i) for i in ("monthly", "fortnightly", "weekly", "daily")],
            ["fortnightly", "weekly", "daily", "daily"],
        )

    def test_step_one_leaves_the_interval_alone(self):
        team_agreement(self.team, self.manager, self_report_interval="monthly")
        step_one(self.manager, self.rep, started=self.today - 5 * DAY)
        self.assertEqual(interval_for(self.rep, self.today), "monthly")

    def test_entering_step_two_shortens_the_agreements_interval_and_leaving_restores_it(self):
        team_agreement(self.team, self.manager, self_report_interval="monthly")
        second = self.to_step_two()
        self.assertEqual(second.report_interval, "fortnightly")
        ids = [self.rep.pk, self.rep2.pk]
        self.assertEqual(
            intervals_for(self.org, ids, self.today),
            {self.rep.pk: "fortnightly", self.rep2.pk: "monthly"},
        )
        ladder.record_review(
            second, by=self.manager, reviewed_on=self.today, review="Criteria met."
        )
        ladder.leave_ladder(second, by=self.manager, ended_on=self.today)
        self.assertEqual(interval_for(self.rep, self.today), "monthly")

    def test_a_weekly_rep_reports_daily_on_step_two_and_weekly_again_after_it(self):
        second = self.to_step_two()
        self.assertEqual(interval_for(self.rep, self.today), "daily")
        ladder.record_review(second, by=self.manager, reviewed_on=self.today, review="Moving on.")
        third = ladder.open_step(
            by=self.manager,
            rep=self.rep,
            step=3,
            started_on=self.today,
            review_on=self.today + 30 * DAY,
            plan="Try the customer success role.",
            exit_criteria="A good fit after a month.",
        )
        self.assertEqual(third.report_interval, "")
        self.assertEqual(interval_for(self.rep, self.today), "weekly")


class UsageTests(BaseTestCase):
    def setUp(self):
        self.today = today(self.org)
        first = step_one(self.manager, self.rep, started=self.today - 50 * DAY)
        ladder.record_review(
            first, by=self.manager, reviewed_on=self.today - 30 * DAY, review="Not yet."
        )
        ladder.open_step(
            by=self.manager,
            rep=self.rep,
            step=2,
            started_on=self.today - 30 * DAY,
            review_on=self.today,
            plan="Plan.",
            exit_criteria="Criteria.",
        )
        step_one(self.manager, self.rep2, started=self.today - 400 * DAY)
        step_one(self.other_manager, self.other_rep, started=self.today - 3 * DAY)

    def counts(self, who, start, end) -> dict[str, list[int]]:
        return {row.manager.name: row.counts for row in ladder.usage(who, start, end)}

    def test_a_leader_sees_each_managers_use_of_each_step_in_the_chosen_time(self):
        self.assertEqual(
            self.counts(self.leader, self.today - 365 * DAY, self.today),
            {"Maya": [1, 1, 0, 0], "Otto": [1, 0, 0, 0]},
        )
        self.assertEqual(
            self.counts(self.leader, self.today - 500 * DAY, self.today - 40 * DAY),
            {"Maya": [2, 0, 0, 0], "Otto": [0, 0, 0, 0]},
        )

    def test_an_admin_sees_every_manager_and_a_manager_none(self):
        self.assertEqual(
            self.counts(self.admin, self.today - 365 * DAY, self.today),
            {"Maya": [1, 1, 0, 0], "Otto": [1, 0, 0, 0]},
        )
        self.assertEqual(self.counts(self.manager, self.today - 365 * DAY, self.today), {})

    def test_on_ladder_lists_people_by_name_never_by_step(self):
        names = [(s.rep.name, s.step) for s in ladder.on_ladder(self.manager)]
        self.assertEqual(names, [("Rita", 2), ("Rob", 1)])
        self.assertEqual(
            [s.rep.name for s in ladder.on_ladder(self.leader)], ["Olga", "Rita", "Rob"]
        )
        self.assertEqual(list(ladder.on_ladder(self.rep2)), [])


class LadderAuditTitleTests(BaseTestCase):
    def test_the_history_names_a_step_in_the_readers_language(self):
        from django.utils import translation

        from followthrough.audit.display import describe
        from followthrough.audit.registry import history_for

        first = step_one(self.manager, self.rep, started=today(self.org) - 5 * DAY)
        agreement = team_agreement(self.team, self.manager)
        with translation.override("nl"):
            [entry] = describe(history_for(first).select_related("content_type"))
            self.assertEqual(entry.title, "Rita · Coachen en ontwikkelen")
            [created] = describe(history_for(agreement).select_related("content_type"))
            self.assertEqual(created.title, "Alpha · versie 1")
            [entry] = describe(history_for(first).select_related("content_type"))
            self.assertIn("geopend door", [line.label for line in entry.lines])
