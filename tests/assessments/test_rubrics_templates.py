"""Scorecard template pages: versions with what changed, who they apply to, stale edits refused."""

from __future__ import annotations

from django.urls import reverse

from followthrough.assessments import template_history, versions
from followthrough.assessments.models import Competency, ScorecardTemplate
from followthrough.people.models import Person
from tests.assessments.base import RubricTestCase


class TemplatePagesTests(RubricTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Person.objects.filter(pk__in=[cls.rep.pk, cls.rep2.pk]).update(title="Account Executive")

    def form_data(self, **changes) -> dict:
        data = {
            "name": "Account executive",
            "job_title": "",
            "rubric": self.rubric.pk,
            "kpis": ["deals_won", "win_rate"],
            "kpi_weight_deals_won": "3",
            "kpi_weight_win_rate": "",
        }
        data.update(changes)
        return data

    def test_everyone_reads_the_templates(self):
        for person in (self.rep, self.manager, self.leader, self.admin):
            self.login(person)
            self.assertEqual(self.client.get(reverse("template_list")).status_code, 200)
            url = reverse("template", args=[self.template.pk])
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_rep_may_not_publish(self):
        self.login(self.rep)
        self.assertEqual(self.client.get(reverse("template_new")).status_code, 403)
        url = reverse("template_edit", args=[self.template.pk])
        self.assertEqual(self.client.post(url, self.form_data()).status_code, 403)
        self.assertEqual(ScorecardTemplate.objects.count(), 1)

    def test_another_organisation_gets_404(self):
        self.login(self.outsider)
        url = reverse("template", args=[self.template.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_manager_publishes_version_two_and_the_history_says_what_changed(self):
        self.login(self.manager)
        uncovering = Competency.objects.get(name="Uncovering needs")
        data = self.form_data(**{f"competency_weight_{uncovering.pk}": "2"})
        response = self.client.post(reverse("template_edit", args=[self.template.pk]), data)
        latest = ScorecardTemplate.objects.get(family=self.template.family, is_current=True)
        self.assertRedirects(response, reverse("template", args=[latest.pk]))
        self.assertEqual(latest.version, 2)
        self.assertEqual(
            latest.kpis,
            [{"metric": "deals_won", "weight": "3"}, {"metric": "win_rate", "weight": ""}],
        )
        response = self.client.get(reverse("template", args=[latest.pk]))
        self.assertContains(response, "KPI added: Win rate.")
        self.assertContains(response, "Weight of Deals won: 2 → 3.")
        self.assertContains(response, "Weight of Uncovering needs: – → 2.")
        self.assertContains(response, "published by Maya")
        self.template.refresh_from_db()
        self.assertFalse(self.template.is_current)

    def test_an_edit_of_an_old_version_is_refused(self):
        self.login(self.manager)
        old = reverse("template_edit", args=[self.template.pk])
        self.client.post(old, self.form_data())
        response = self.client.post(old, self.form_data(name="Stale"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("changed meanwhile", str(response.context["form"].non_field_errors()))
        self.assertFalse(ScorecardTemplate.objects.filter(name="Stale").exists())

    def test_weights_and_kpis_are_checked_field_by_field(self):
        self.login(self.manager)
        url = reverse("template_new")
        data = self.form_data(
            name="",
            job_title="Sales Development Rep",
            kpis=["nope"],
            kpi_weight_deals_won="-1",
            rubric="999",
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 400)
        errors = response.context["form"].errors
        self.assertEqual(set(errors), {"name", "kpis", "kpi_weight_deals_won", "rubric"})

    def test_one_template_per_job_title(self):
        self.login(self.manager)
        response = self.client.post(reverse("template_new"), self.form_data(name="Second"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("job_title", response.context["form"].errors)

    def test_the_list_says_how_many_reps_each_template_measures(self):
        versions.publish(
            rubric=self.rubric, name="AE", job_title="Account Executive", by=self.manager
        )
        self.login(self.admin)
        self.client.get(reverse("template_list"))
        with self.assertNumQueries(7):
            response = self.client.get(reverse("template_list"))
        counts = {row["template"].name: row["people"] for row in response.context["rows"]}
        # Rita and Rob are Account Executives; Olga has no title: the default template.
        self.assertEqual(counts, {"AE": 2, "Account executive": 1})


class ChangesTests(RubricTestCase):
    def test_renames_removals_and_weights_are_named(self):
        before = self.template
        after = ScorecardTemplate(
            name="AE",
            job_title="Account Executive",
            rubric=self.rubric,
            kpis=[{"metric": "revenue_won", "weight": ""}],
            levels=before.levels,
            competencies=[
                {**before.competencies[0], "name": "Picking accounts", "weight": "1"},
                *before.competencies[2:],
            ],
        )
        texts = [
            c.text for c in template_history.changes(before, after, {"deals_won": "Deals won"})
        ]
        self.assertIn("Renamed from “Account executive” to “AE”.", texts)
        self.assertIn("KPI removed: Deals won.", texts)
        self.assertIn("KPI added: revenue_won.", texts)
        self.assertIn("Competency removed: Consistent outreach.", texts)
        self.assertIn(
            "Competency renamed: “Targeting the right accounts” → “Picking accounts”.", texts
        )
        self.assertIn("Weight of Picking accounts: – → 1.", texts)
