"""Who sees, gives, grants and writes recognition."""

from __future__ import annotations

from followthrough.recognition import rights
from followthrough.recognition.badges import AwardRefused, award, ensure_badges, grant
from followthrough.recognition.models import BadgeAward
from tests.cast import BaseTestCase


class RightsTests(BaseTestCase):
    def test_teammates_see_each_others_recognition_but_not_another_teams(self):
        self.assertTrue(rights.can_see_recognition_of(self.rep, self.rep2))
        self.assertFalse(rights.can_see_recognition_of(self.rep, self.other_rep))
        self.assertFalse(rights.can_see_recognition_of(self.other_manager, self.rep))
        self.assertTrue(rights.can_see_recognition_of(self.leader, self.rep))
        self.assertFalse(rights.can_see_recognition_of(self.outsider, self.rep))

    def test_a_rep_opens_their_own_teams_feed_only(self):
        self.assertTrue(rights.can_view_feed(self.rep, self.team))
        self.assertFalse(rights.can_view_feed(self.rep, self.other_team))
        self.assertFalse(rights.can_view_feed(self.other_manager, self.team))
        self.assertTrue(rights.can_view_feed(self.leader, self.other_team))
        self.assertFalse(rights.can_view_feed(self.outsider, self.team))

    def test_managers_grant_badges_to_their_reports_never_to_themselves(self):
        badges = ensure_badges(self.org)
        found = grant(self.manager, self.rep, badges["team-player"], "Shared her playbook")
        self.assertEqual(found.granted_by, self.manager)
        for who, whom in (
            (self.manager, self.manager),
            (self.rep2, self.rep),
            (self.other_manager, self.rep),
            (self.outsider, self.rep),
        ):
            with self.assertRaises(AwardRefused):
                grant(who, whom, badges["team-player"], "because")

    def test_a_rule_badge_is_not_granted_by_hand_and_a_reason_is_needed(self):
        badges = ensure_badges(self.org)
        for code in ("record-month", "contest-winner"):
            with self.assertRaises(AwardRefused):
                grant(self.manager, self.rep, badges[code], "because")
        with self.assertRaises(AwardRefused):
            grant(self.manager, self.rep, badges["team-player"], "  ")

    def test_granted_badges_are_in_the_audit_history(self):
        from followthrough.audit.models import AuditEntry

        grant(self.manager, self.rep, ensure_badges(self.org)["customer-hero"], "Saved Initech")
        entry = AuditEntry.objects.get(content_type__model="badgeaward")
        self.assertEqual(entry.organisation_id, self.org.pk)
        self.assertEqual(entry.changes["reason"], [None, "Saved Initech"])

    def test_award_from_another_app_is_idempotent_per_source(self):
        first = award(self.rep, "contest-winner", "Won the March race", "contest:7")
        again = award(self.rep, "contest-winner", "Won the March race", "contest:7")
        self.assertIsNotNone(first)
        self.assertIsNone(again)
        self.assertEqual(BadgeAward.objects.count(), 1)
        with self.assertRaises(AwardRefused):
            award(self.rep, "contest-winner", "x", "contest:8", granted_by=self.rep)
