"""The demo organisation `make run` loads: one login per role, landing where it should."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from followthrough.crm.models import Activity, Deal
from followthrough.demo.build import DEMO_PASSWORD, logins, plan_teams
from followthrough.people.lines import reports_of
from followthrough.people.models import Organisation, Person, ReportingLine, Role

# The smallest demo: the two first teams of four reps, one month of data.
SMALL = ["--reps", "8", "--months", "1", "--no-progress"]


class DemoTests(TestCase):
    def test_the_demo_builds_once_and_prints_a_login_per_role(self):
        out = io.StringIO()
        call_command("demo", "--if-empty", *SMALL, stdout=out)
        org = Organisation.objects.get(slug="demo")
        # 8 account executives, 2 SDRs, 2 managers, the leader and the admin.
        self.assertEqual(Person.objects.filter(organisation=org).count(), 14)
        for login in logins():
            self.assertIn(login.email, out.getvalue())
        deals, activities = Deal.objects.count(), Activity.objects.count()
        self.assertGreater(deals, 0)
        out = io.StringIO()
        call_command("demo", "--if-empty", *SMALL, stdout=out)
        self.assertEqual(Organisation.objects.count(), 1)
        self.assertEqual(Person.objects.count(), 14)
        self.assertEqual((Deal.objects.count(), Activity.objects.count()), (deals, activities))
        self.assertIn(logins()[0].email, out.getvalue())

    def test_building_again_without_if_empty_changes_nothing_and_says_so(self):
        call_command("demo", *SMALL, stdout=io.StringIO())
        err = io.StringIO()
        call_command("demo", *SMALL, stdout=io.StringIO(), stderr=err)
        self.assertIn("exists already", err.getvalue())
        self.assertEqual(Person.objects.count(), 14)

    def test_each_demo_login_lands_on_its_roles_page(self):
        call_command("demo", *SMALL, stdout=io.StringIO())
        landing = {"rep": "/me/", "manager": "/team/", "leader": "/teams/", "admin": "/settings/"}
        for login in logins():
            self.client.logout()
            response = self.client.post(
                "/accounts/login/",
                {"username": login.email, "password": DEMO_PASSWORD},
                follow=True,
            )
            self.assertEqual(response.redirect_chain[-1][0], landing[login.role])

    def test_the_demo_has_a_rep_who_changed_teams(self):
        call_command("demo", *SMALL, "--today", "2026-06-15", stdout=io.StringIO())
        jonas = Person.objects.get(name="Jonas Weber")
        lines = ReportingLine.objects.filter(person=jonas).order_by("valid_from")
        self.assertEqual([line.team.name for line in lines], ["Benelux", "DACH"])
        # He moved 90 days before the day the demo was built.
        self.assertEqual(lines[1].valid_from, dt.date(2026, 3, 17))
        maya = Person.objects.get(name="Maya Manager")
        # Four account executives and the SDR of Europe West.
        self.assertEqual(len(reports_of(maya)), 5)

    def test_the_two_new_hires_started_within_the_last_ninety_days(self):
        call_command("demo", *SMALL, "--today", "2026-06-15", stdout=io.StringIO())
        hires = dict(
            Person.objects.filter(name__in=["Lotte Bakker", "Paul Wagner"]).values_list(
                "name", "role_since"
            )
        )
        # 45 and 75 days before 15 June.
        self.assertEqual(
            hires, {"Lotte Bakker": dt.date(2026, 5, 1), "Paul Wagner": dt.date(2026, 4, 1)}
        )
        others = Person.objects.filter(role=Role.REP).exclude(name__in=hires)
        self.assertTrue(all(rep.role_since < dt.date(2026, 3, 17) for rep in others))

    def test_the_build_reports_its_progress(self):
        err = io.StringIO()
        call_command("demo", "--reps", "8", "--months", "1", stdout=io.StringIO(), stderr=err)
        self.assertIn("Sales data: importing", err.getvalue())
        self.assertIn("activities: 100%", err.getvalue())

    def test_it_refuses_a_day_in_the_future(self):
        later = (dt.date.today() + dt.timedelta(days=2)).isoformat()
        with self.assertRaisesMessage(CommandError, "--today must not be in the future"):
            call_command("demo", *SMALL, "--today", later, stdout=io.StringIO())
        self.assertFalse(Organisation.objects.exists())

    def test_it_refuses_too_few_reps(self):
        with self.assertRaisesMessage(CommandError, "--reps must be between 8 and 200"):
            call_command("demo", "--reps", "3", stdout=io.StringIO())
        self.assertFalse(Organisation.objects.exists())


class TeamPlanTests(SimpleTestCase):
    def test_the_default_demo_has_twenty_reps_in_four_teams_of_five(self):
        plans = plan_teams(20)
        self.assertEqual([p.name for p in plans], ["Benelux", "DACH", "UK & Ireland", "Nordics"])
        self.assertEqual([len(p.reps) for p in plans], [5, 5, 5, 5])
        self.assertEqual(
            plans[0].reps[:4], ("Ruben Rep", "Sara Visser", "Tom de Jong", "Lotte Bakker")
        )
        self.assertEqual({p.region for p in plans}, {"Europe West", "Europe Central"})

    def test_every_rep_has_a_name_of_their_own(self):
        names = [rep for plan in plan_teams(200) for rep in plan.reps]
        self.assertEqual(len(names), 200)
        self.assertEqual(len(set(names)), 200)

    def test_thirteen_reps_make_three_teams(self):
        self.assertEqual([len(p.reps) for p in plan_teams(13)], [5, 4, 4])


class DefaultDemoShapeTests(SimpleTestCase):
    def test_the_default_demo_is_the_one_the_readme_describes(self):
        # README: one region, Europe, with two sub-regions of two teams each, five AEs a team.
        from followthrough.demo.build import DEFAULT_REPS, TOP

        plans = plan_teams(DEFAULT_REPS)
        regions: dict[str, list[str]] = {}
        for plan in plans:
            regions.setdefault(plan.region, []).append(plan.name)
            self.assertEqual(len(plan.reps), 5)
        self.assertEqual(TOP, "Europe")
        self.assertEqual(
            regions,
            {"Europe West": ["Benelux", "UK & Ireland"], "Europe Central": ["DACH", "Nordics"]},
        )
