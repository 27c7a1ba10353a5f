"""Accountability agreements: versions, acknowledgements, who sets them, and their pages."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from followthrough.audit.models import AuditEntry
from followthrough.coaching import agreements
from followthrough.coaching.intervals import intervals_for
from followthrough.coaching.models import Acknowledgement, Agreement
from followthrough.coaching.starter import CHINESE, DUTCH, ENGLISH, starter_text
from followthrough.people.models import Team
from tests.cast import BaseTestCase
from tests.coaching.agreement_helpers import rep_agreement, team_agreement, today

HUGE = str(2**63)


def form_data(**overrides) -> dict:
    data = {
        "team": "",
        "rep": "",
        "expectations": "Raise a shortfall yourself, before anyone asks.",
        "self_report_interval": "weekly",
        "cadence": "weekly",
        "missed_goals": "We coach first; the ladder's last step is rare.",
    }
    data.update(overrides)
    return data


class AgreementVersionTests(BaseTestCase):
    def test_a_change_is_a_new_version_and_the_past_version_stays_as_it_was(self):
        first = team_agreement(self.team, self.manager, expectations="Version one.")
        second = team_agreement(self.team, self.manager, expectations="Version two.")
        self.assertEqual((first.version, second.version), (1, 2))
        first.refresh_from_db()
        self.assertEqual(first.expectations, "Version one.")
        self.assertEqual(agreements.latest(team=self.team), second)

    def test_a_team_and_a_rep_count_their_versions_apart(self):
        team_agreement(self.team, self.manager)
        team_agreement(self.team, self.manager)
        own = rep_agreement(self.rep, self.manager)
        other = team_agreement(self.other_team, self.other_manager)
        self.assertEqual((own.version, other.version), (1, 1))
        # A rep's agreement names the rep's team too, so the team's page lists it.
        self.assertEqual(own.team, self.team)

    def test_a_new_version_must_be_acknowledged_again(self):
        first = team_agreement(self.team, self.manager)
        self.assertEqual(agreements.pending_for(self.rep), first)
        agreements.acknowledge(first, self.rep)
        self.assertIsNone(agreements.pending_for(self.rep))
        second = team_agreement(self.team, self.manager)
        self.assertEqual(agreements.pending_for(self.rep), second)

    def test_acknowledging_twice_keeps_one_acknowledgement(self):
        first = team_agreement(self.team, self.manager)
        agreements.acknowledge(first, self.rep)
        agreements.acknowledge(first, self.rep)
        self.assertEqual(Acknowledgement.objects.count(), 1)

    def test_a_replaced_version_cannot_be_acknowledged(self):
        first = team_agreement(self.team, self.manager)
        team_agreement(self.team, self.manager)
        with self.assertRaises(ValidationError) as caught:
            agreements.acknowledge(first, self.rep)
        self.assertEqual(
            caught.exception.message_dict,
            {"version": ["Version 1 has been replaced by version 2: acknowledge that one."]},
        )

    def test_nobody_acknowledges_an_agreement_that_does_not_cover_them(self):
        alpha = team_agreement(self.team, self.manager)
        for who in (self.other_rep, self.manager, self.leader):
            with self.assertRaises(ValidationError) as caught:
                agreements.acknowledge(alpha, who)
            self.assertIn("agreement", caught.exception.message_dict)
        self.assertFalse(Acknowledgement.objects.exists())

    def test_a_reps_own_agreement_replaces_the_teams_for_them(self):
        alpha = team_agreement(self.team, self.manager)
        own = rep_agreement(self.rep, self.manager)
        self.assertEqual(agreements.current_for(self.rep), own)
        self.assertEqual(agreements.current_for(self.rep2), alpha)
        self.assertEqual(agreements.covered_people(alpha), [self.rep2])
        self.assertEqual(agreements.covered_people(own), [self.rep])

    def test_a_managers_own_team_agreement_is_theirs_to_keep_not_to_acknowledge(self):
        team_agreement(self.team, self.manager)
        self.assertIsNone(agreements.current_for(self.manager))

    def test_a_new_version_changes_the_reps_self_report_interval(self):
        day = today(self.org)
        ids = [self.rep.pk, self.rep2.pk]
        self.assertEqual(
            intervals_for(self.org, ids, day), {self.rep.pk: "weekly", self.rep2.pk: "weekly"}
        )
        team_agreement(self.team, self.manager, self_report_interval="monthly")
        self.assertEqual(intervals_for(self.org, ids, day)[self.rep.pk], "monthly")
        team_agreement(self.team, self.manager, self_report_interval="fortnightly")
        self.assertEqual(intervals_for(self.org, ids, day)[self.rep.pk], "fortnightly")
        rep_agreement(self.rep, self.manager, self_report_interval="daily")
        self.assertEqual(
            intervals_for(self.org, ids, day), {self.rep.pk: "daily", self.rep2.pk: "fortnightly"}
        )

    def test_team_statuses_count_who_acknowledged_the_latest_version(self):
        first = team_agreement(self.team, self.manager)
        agreements.acknowledge(first, self.rep)
        agreements.acknowledge(first, self.rep2)
        second = team_agreement(self.team, self.manager)
        agreements.acknowledge(second, self.rep2)
        teams = Team.objects.filter(pk__in=[self.team.pk, self.other_team.pk])
        with self.assertNumQueries(4):
            alpha, beta = agreements.team_statuses(self.org, teams)
        self.assertEqual((alpha.agreement, alpha.covered, alpha.acknowledged), (second, 2, 1))
        self.assertEqual((beta.agreement, beta.covered, beta.acknowledged), (None, 1, 0))


class WhoSetsAgreementsTests(BaseTestCase):
    def names(self, who) -> list[str]:
        return sorted(agreements.settable_teams(who).values_list("name", flat=True))

    def test_a_manager_sets_the_agreement_of_the_team_they_lead(self):
        self.assertEqual(self.names(self.manager), ["Alpha"])
        self.assertEqual(self.names(self.other_manager), ["Beta"])

    def test_a_leader_sets_the_teams_below_and_an_admin_every_team(self):
        self.assertEqual(self.names(self.leader), ["Alpha", "Beta"])
        self.assertEqual(self.names(self.admin), ["Alpha", "Beta", "North"])

    def test_reps_and_outsiders_set_none(self):
        self.assertEqual(self.names(self.rep), [])
        self.assertFalse(agreements.can_set_team_agreement(self.outsider, self.team))

    def test_a_reps_agreement_is_set_by_someone_they_report_to(self):
        self.assertTrue(agreements.can_set_rep_agreement(self.manager, self.rep))
        self.assertTrue(agreements.can_set_rep_agreement(self.leader, self.rep))
        for who in (self.rep, self.rep2, self.other_manager, self.outsider):
            self.assertFalse(agreements.can_set_rep_agreement(who, self.rep), who)
        self.assertFalse(agreements.can_set_rep_agreement(self.manager, self.manager))


class AgreementPageTests(BaseTestCase):
    def post(self, who, **overrides):
        self.login(who)
        return self.client.post(reverse("agreement_edit"), form_data(**overrides))

    def test_a_manager_writes_the_teams_agreement_and_it_is_audited(self):
        response = self.post(self.manager, team=self.team.pk)
        self.assertRedirects(
            response, reverse("team_agreement", args=[self.team.pk]), fetch_redirect_response=False
        )
        self.post(self.manager, team=self.team.pk, expectations="Changed.")
        self.assertEqual(
            list(Agreement.objects.order_by("version").values_list("version", "expectations")),
            [(1, form_data()["expectations"]), (2, "Changed.")],
        )
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Agreement)
        ).order_by("pk")
        self.assertEqual([e.action for e in entries], ["create", "create"])
        self.assertEqual({e.actor_name for e in entries}, {"maya@acme.test"})
        self.assertEqual(entries[1].changes["version"], [None, 2])

    def test_a_manager_writes_one_reps_own_agreement(self):
        response = self.post(self.manager, rep=self.rep.pk, self_report_interval="fortnightly")
        self.assertEqual(response.status_code, 302)
        own = Agreement.objects.get()
        self.assertEqual((own.rep, own.version, own.created_by), (self.rep, 1, self.manager))

    def test_bad_input_gets_field_errors_and_saves_nothing(self):
        cases = [
            ({}, "team"),
            ({"team": self.team.pk, "rep": self.rep.pk}, "rep"),
            ({"team": self.other_team.pk}, "team"),
            ({"team": HUGE}, "team"),
            ({"team": "abc"}, "team"),
            ({"rep": self.manager.pk}, "rep"),
            ({"rep": self.other_rep.pk}, "rep"),
            ({"rep": self.outsider_rep.pk}, "rep"),
            ({"team": self.team.pk, "expectations": "  "}, "expectations"),
            ({"team": self.team.pk, "missed_goals": ""}, "missed_goals"),
            ({"team": self.team.pk, "self_report_interval": "hourly"}, "self_report_interval"),
            ({"team": self.team.pk, "cadence": "yearly"}, "cadence"),
        ]
        for overrides, field in cases:
            response = self.post(self.manager, **overrides)
            self.assertEqual(response.status_code, 400, overrides)
            self.assertIn(field, response.context["form"].errors, overrides)
        self.assertFalse(Agreement.objects.exists())

    def test_the_refusals_say_why(self):
        errors = self.post(self.manager, rep=self.manager.pk).context["form"].errors
        self.assertEqual(errors["rep"], ["Nobody sets their own agreement."])
        errors = self.post(self.manager, rep=self.other_rep.pk).context["form"].errors
        self.assertEqual(errors["rep"], ["This person does not report to you."])
        errors = self.post(self.other_manager, team=self.team.pk).context["form"].errors
        self.assertEqual(errors["team"], ["You may not set this team's agreement."])

    def test_the_starter_text_fills_the_form_in_the_writers_language(self):
        self.login(self.manager)
        url = reverse("agreement_edit") + f"?team={self.team.pk}&starter=1"
        for code, text in (("en", ENGLISH), ("nl", DUTCH), ("zh-hans", CHINESE)):
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE=code)
            self.assertEqual(response.context["form"].initial["expectations"], text.expectations)
            self.assertEqual(response.context["form"].initial["missed_goals"], text.missed_goals)
            self.assertEqual(response.context["form"].initial["team"], self.team.pk)

    def test_the_starter_texts_carry_the_seeds_in_each_language(self):
        self.assertIn("Raise a shortfall yourself", ENGLISH.expectations)
        self.assertIn("Bring your own plan before asking for help", ENGLISH.expectations)
        self.assertIn("should be rare", ENGLISH.missed_goals)
        self.assertIn("Meld een achterstand zelf", DUTCH.expectations)
        self.assertIn("主动提出", CHINESE.expectations)
        self.assertEqual(starter_text("nl-be"), DUTCH)
        self.assertEqual(starter_text("fr"), ENGLISH)

    def test_a_new_version_starts_from_the_current_text(self):
        team_agreement(self.team, self.manager, expectations="Ours.", cadence="monthly")
        self.login(self.manager)
        response = self.client.get(reverse("agreement_edit") + f"?team={self.team.pk}")
        self.assertEqual(response.context["form"].initial["expectations"], "Ours.")
        self.assertEqual(response.context["form"].initial["cadence"], "monthly")

    def test_the_rep_sees_a_banner_on_every_page_until_they_acknowledge(self):
        first = team_agreement(self.team, self.manager)
        self.login(self.rep)
        for name in ("me", "goals", "ladder"):
            self.assertContains(self.client.get(reverse(name)), "agreement-banner")
        response = self.client.post(reverse("agreement"), {"agreement": first.pk}, follow=True)
        self.assertContains(response, "the agreement is acknowledged")
        self.assertNotContains(self.client.get(reverse("me")), "agreement-banner")
        team_agreement(self.team, self.manager)
        response = self.client.get(reverse("me"))
        self.assertContains(response, "Your accountability agreement has changed (version 2)")

    def test_the_banner_is_for_the_reps_it_covers_only(self):
        team_agreement(self.team, self.manager)
        for who in (self.other_rep, self.manager, self.leader, self.admin):
            self.login(who)
            self.assertNotContains(self.client.get(reverse("goals")), "agreement-banner")

    def test_the_manager_sees_who_has_not_acknowledged_per_team(self):
        first = team_agreement(self.team, self.manager)
        agreements.acknowledge(first, self.rep2)
        self.login(self.manager)
        response = self.client.get(reverse("team_agreement", args=[self.team.pk]))
        rows = [
            (row.person.name, row.acknowledged_at is not None) for row in response.context["rows"]
        ]
        self.assertEqual(rows, [("Rita", False), ("Rob", True)])
        self.assertContains(response, "1 rep has not acknowledged this version yet")
        response = self.client.get(reverse("agreement"))
        [status] = response.context["statuses"]
        self.assertEqual((status.team, status.covered, status.acknowledged), (self.team, 2, 1))

    def test_a_rep_reads_their_agreement_and_its_earlier_versions(self):
        team_agreement(self.team, self.manager, expectations="Old words.")
        team_agreement(self.team, self.manager, expectations="New words.")
        self.login(self.rep)
        response = self.client.get(reverse("agreement"))
        self.assertEqual(response.context["current"].version, 2)
        self.assertEqual([a.version for a in response.context["earlier"]], [1])
        self.assertContains(response, "New words.")

    def test_a_peer_cannot_acknowledge_another_reps_agreement(self):
        own = rep_agreement(self.rep, self.manager)
        self.login(self.rep2)
        response = self.client.post(reverse("agreement"), {"agreement": own.pk}, follow=True)
        self.assertContains(response, "This agreement does not cover you.")
        self.assertFalse(Acknowledgement.objects.exists())


class AgreementPagePermissionTests(BaseTestCase):
    def status(self, who, url) -> int:
        self.login(who)
        return self.client.get(url).status_code

    def test_the_team_agreement_page_is_for_those_above_the_team(self):
        team_agreement(self.team, self.manager)
        url = reverse("team_agreement", args=[self.team.pk])
        expected = {
            self.rep: 403,
            self.rep2: 403,
            self.manager: 200,
            self.other_manager: 403,
            self.leader: 200,
            self.admin: 200,
            self.outsider: 404,
        }
        self.assertEqual({who: self.status(who, url) for who in expected}, expected)

    def test_only_those_who_set_agreements_open_the_form(self):
        url = reverse("agreement_edit")
        expected = {
            self.rep: 403,
            self.rep2: 403,
            self.manager: 200,
            self.other_manager: 200,
            self.leader: 200,
            self.admin: 200,
        }
        self.assertEqual({who: self.status(who, url) for who in expected}, expected)

    def test_the_form_does_not_offer_a_team_or_rep_outside_the_viewers_reach(self):
        self.login(self.other_manager)
        response = self.client.get(
            reverse("agreement_edit") + f"?team={self.team.pk}&rep={self.rep.pk}"
        )
        self.assertIsNone(response.context["subject"])
        self.assertNotContains(response, ">Rita<")
        self.assertNotContains(response, ">Alpha<")

    def test_the_outsider_posts_nothing_into_this_organisation(self):
        self.login(self.outsider)
        response = self.client.post(reverse("agreement_edit"), form_data(team=self.team.pk))
        self.assertIn("team", response.context["form"].errors)
        self.assertFalse(Agreement.objects.exists())

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for name in ("agreement", "agreement_edit"):
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 302)
            self.assertIn("/accounts/login/", response["Location"])


class AgreementNotificationTests(BaseTestCase):
    def test_a_new_version_notifies_the_reps_it_covers_and_acknowledging_answers_it(self):
        from followthrough.coaching.models import Notification

        rep_agreement(self.rep, self.manager)
        Notification.objects.all().delete()
        alpha = team_agreement(self.team, self.manager)
        [note] = Notification.objects.all()
        self.assertEqual(
            (note.recipient, note.actor, note.kind, note.url, note.excerpt),
            (self.rep2, self.manager, "agreement_changed", reverse("agreement"), "Alpha"),
        )
        agreements.acknowledge(alpha, self.rep2)
        note.refresh_from_db()
        self.assertIsNotNone(note.read_at)


class AgreementListTests(BaseTestCase):
    def test_a_leader_keeps_the_teams_below_and_not_an_empty_region(self):
        from followthrough.people.lines import move
        from followthrough.people.models import Person, TeamKind

        top = Team.objects.create(organisation=self.org, name="Top", kind=TeamKind.REGION)
        self.region.parent = top
        self.region.save()
        move(self.leader, manager=None, team=top, on=today(self.org))
        leader = Person.objects.get(pk=self.leader.pk)
        self.assertIn("North", agreements.settable_teams(leader).values_list("name", flat=True))
        self.login(leader)
        response = self.client.get(reverse("agreement"))
        self.assertEqual([s.team.name for s in response.context["statuses"]], ["Alpha", "Beta"])
