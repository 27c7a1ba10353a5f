"""Ramps typed as the import help shows them, one parser everywhere; import messages in plural."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from followthrough.goals.imports import import_goals
from followthrough.goals.models import Goal, RampChoice
from followthrough.goals.ramp import SharesError, parse_shares
from followthrough.goals.views import import_summary
from tests.cast import BaseTestCase
from tests.goals.test_goal_pages import form_data


def test_shares_are_read_with_spaces_commas_semicolons_and_percent_signs():
    for text in (
        "25 50 75",
        "25, 50, 75",
        "25;50;75",
        "25 % 50 % 75 %",
        "25%, 50%; 75%",
        " 25  50\t75 ",
    ):
        assert parse_shares(text) == [25, 50, 75], text
    assert parse_shares("") == []


def test_bad_shares_are_refused_with_the_value_named():
    for text, named in (("25 lots", "lots"), ("150", "150"), ("25.5", "25.5"), ("-5", "-5")):
        # The value is named in every language.
        try:
            parse_shares(text)
        except SharesError as error:
            assert named in error.message, (text, error.message)
            continue
        raise AssertionError(f"{text!r} was accepted")
    try:
        with translation.override("en"):
            parse_shares(" ".join(["50"] * 25))
    except SharesError as error:
        assert error.message == "A ramp can last at most 24 months."
    else:
        raise AssertionError("25 months were accepted")


class RampInputTests(BaseTestCase):
    def test_the_form_takes_the_ramp_as_the_import_help_writes_it(self):
        self.login(self.manager)
        data = form_data(person=self.rep.pk, ramp="custom", ramp_shares="25 50 75")
        response = self.client.post(reverse("goal_new"), data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        self.assertEqual(Goal.objects.get().ramp_shares, [25, 50, 75])

    def test_the_api_takes_the_ramp_as_a_list_or_as_text(self):
        self.login(self.manager)
        for day, shares in (
            ("2026-01-05", [25, 50]),
            ("2026-02-05", "25 50 75"),
            ("2026-03-05", "10%;20%"),
        ):
            body = {
                "person": self.rep.pk,
                "metric": "deals_won",
                "period_kind": "month",
                "day": day,
                "target": "4",
                "ramp": "custom",
                "ramp_shares": shares,
            }
            response = self.client.post("/api/v1/goals/", body, content_type="application/json")
            self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            [g.ramp_shares for g in Goal.objects.order_by("start")],
            [[25, 50], [25, 50, 75], [10, 20]],
        )
        body["ramp_shares"], body["day"] = "25 lots", "2026-04-05"
        response = self.client.post("/api/v1/goals/", body, content_type="application/json")
        self.assertEqual(
            response.json(), {"ramp_shares": ["lots is not a percentage from 0 to 100."]}
        )

    def test_the_csv_import_reads_the_same_ramps_and_names_a_bad_one(self):
        text = "person,metric,period,target,ramp\nRita,deals_won,2026-Q1,12,25% 50% 75%\n"
        self.assertTrue(import_goals(self.manager, text.encode()).ok)
        self.assertEqual(
            (Goal.objects.get().ramp, Goal.objects.get().ramp_shares),
            (RampChoice.CUSTOM, [25, 50, 75]),
        )
        bad = import_goals(self.manager, text.replace("25% 50% 75%", "25 500").encode())
        self.assertEqual(
            bad.errors[0].message,
            "500 is not a percentage from 0 to 100. "
            "Use organisation, none, or percentages like 25 50 75.",
        )


class ManagerTeamChoiceTests(BaseTestCase):
    def test_a_manager_gets_no_empty_team_list_but_a_reason(self):
        self.login(self.manager)
        response = self.client.get(reverse("goal_new"))
        self.assertNotContains(response, '<select name="team"')
        self.assertContains(response, "Goals for your own team are set by your leader or an admin.")
        self.assertContains(response, '<select name="person"')

    def test_a_leader_still_chooses_among_the_teams_below(self):
        self.login(self.leader)
        response = self.client.get(reverse("goal_new"))
        self.assertContains(response, '<select name="team"')
        self.assertContains(response, ">Alpha</option>")


class ImportMessageTests(BaseTestCase):
    def upload(self, text: str):
        self.login(self.manager)
        upload = SimpleUploadedFile("goals.csv", text.encode(), content_type="text/csv")
        return self.client.post(reverse("goal_import"), {"file": upload}, follow=True)

    def test_one_goal_added_is_said_in_the_singular(self):
        response = self.upload("person,metric,period,target\nRita,deals_won,2026-Q1,12\n")
        self.assertContains(response, "1 goal added, 0 goals updated.")

    def test_the_summary_pluralises_each_number_in_every_language(self):
        self.assertEqual(import_summary(2, 1), "2 goals added, 1 goal updated.")
        with translation.override("nl"):
            self.assertEqual(import_summary(1, 2), "1 doel toegevoegd, 2 doelen bijgewerkt.")

    def test_a_file_with_only_a_header_says_it_had_no_goals(self):
        response = self.upload("person,metric,period,target\n")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "The file had no goals: only a header row.", status_code=400)

    def test_an_empty_file_says_it_had_no_goals(self):
        response = self.upload("")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "The file is empty: it had no goals.", status_code=400)
