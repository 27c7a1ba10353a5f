"""Rubric pages: everyone reads, managers and above adapt; refusals are field-level, never a 500."""

from __future__ import annotations

from django.urls import reverse

from followthrough.assessments import assessing
from followthrough.assessments.models import AssessmentKind, Competency, Rubric, RubricSection
from tests.assessments.base import CYCLE, RubricTestCase


class RubricPagesTests(RubricTestCase):
    def competency(self, name="Uncovering needs") -> Competency:
        return Competency.objects.get(section__rubric=self.rubric, name=name)

    def rated(self) -> Competency:
        """Rita's manager assessment rates every competency of the template."""
        a = assessing.start(
            rep=self.rep,
            rater=self.manager,
            kind=AssessmentKind.MANAGER,
            template=self.template,
            cycle_start=CYCLE[0],
            cycle_end=CYCLE[1],
        )
        self.rate_all(a)
        assessing.submit(a)
        return self.competency()

    def test_everyone_in_the_organisation_reads_the_rubric_grid(self):
        for person in (self.rep, self.manager, self.leader, self.admin):
            self.login(person)
            response = self.client.get(reverse("rubric", args=[self.rubric.pk]))
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Building rapport on a sales call")
            self.assertContains(response, "Meets expectations")

    def test_the_rubric_shows_in_the_readers_language(self):
        self.login(self.rep)
        self.client.cookies["django_language"] = "nl"
        response = self.client.get(reverse("rubric", args=[self.rubric.pk]))
        self.assertNotContains(response, "Meets expectations")

    def test_a_rep_reads_but_may_not_adapt(self):
        self.login(self.rep)
        response = self.client.get(reverse("rubric", args=[self.rubric.pk]))
        self.assertNotContains(response, reverse("rubric_levels", args=[self.rubric.pk]))
        for url in (
            reverse("rubric_new"),
            reverse("rubric_levels", args=[self.rubric.pk]),
            reverse("rubric_competency_new", args=[self.rubric.pk]),
            reverse("competency_edit", args=[self.competency().pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 403, url)
        url = reverse("competency_archive", args=[self.competency().pk])
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertTrue(self.competency().is_active)

    def test_another_organisation_sees_nothing(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("rubric", args=[self.rubric.pk])).status_code, 404)
        url = reverse("competency_edit", args=[self.competency().pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get(reverse("rubric_list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_the_list_counts_competencies_in_a_constant_number_of_queries(self):
        self.login(self.manager)
        self.client.get(reverse("rubric_list"))
        with self.assertNumQueries(6):
            response = self.client.get(reverse("rubric_list"))
        self.assertContains(response, "8 competencies in use")

    def test_a_manager_edits_a_behaviour(self):
        self.login(self.manager)
        c = self.competency()
        data = {
            "section": c.section_id,
            "name": "Uncovering needs",
            "metric_key": "win_rate",
            "behaviour_below": c.behaviours["below"],
            "behaviour_meets": "Asks open questions and writes the pain down in numbers.",
            "behaviour_exceeds": c.behaviours["exceeds"],
        }
        response = self.client.post(reverse("competency_edit", args=[c.pk]), data)
        self.assertRedirects(response, reverse("rubric", args=[self.rubric.pk]))
        c.refresh_from_db()
        self.assertEqual(c.behaviours["meets"], data["behaviour_meets"])
        # Unchanged starter texts stay msgids, so they keep being translated.
        self.assertEqual(c.name, "Uncovering needs")
        # The published template keeps its frozen copy.
        frozen = next(x for x in self.template.competencies if x["id"] == c.pk)
        self.assertNotEqual(frozen["behaviours"]["meets"], data["behaviour_meets"])

    def test_a_competency_needs_a_name_and_a_metric_of_the_catalogue(self):
        self.login(self.manager)
        section = self.rubric.sections.first()
        url = reverse("rubric_competency_new", args=[self.rubric.pk])
        response = self.client.post(url, {"section": section.pk, "name": " ", "metric_key": "nope"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.context["form"].errors)
        self.assertIn("metric_key", response.context["form"].errors)
        response = self.client.post(url, {"section": 999999, "name": "X"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("section", response.context["form"].errors)

    def test_a_manager_adds_a_competency_at_the_end_of_its_step(self):
        self.login(self.manager)
        section = self.rubric.sections.get(name="Closing")
        response = self.client.post(
            reverse("rubric_competency_new", args=[self.rubric.pk]),
            {
                "section": section.pk,
                "name": "Multi-threading",
                "metric_key": "win_rate",
                "behaviour_below": "Talks to one person only.",
                "behaviour_meets": "Knows every person in the decision.",
                "behaviour_exceeds": "Builds a champion and a coach.",
            },
        )
        self.assertEqual(response.status_code, 302)
        added = Competency.objects.get(name="Multi-threading")
        self.assertEqual(added.position, 1)
        self.assertEqual(added.behaviours["exceeds"], "Builds a champion and a coach.")

    def test_a_section_is_added_renamed_and_moved(self):
        self.login(self.manager)
        self.client.post(reverse("rubric_section_new", args=[self.rubric.pk]), {"name": "Renewal"})
        section = RubricSection.objects.get(rubric=self.rubric, name="Renewal")
        self.assertEqual(section.position, 6)
        response = self.client.post(reverse("rubric_section_edit", args=[section.pk]), {"name": ""})
        self.assertEqual(response.status_code, 400)
        self.client.post(reverse("rubric_section_edit", args=[section.pk]), {"name": "Expansion"})
        self.client.post(reverse("rubric_section_move", args=[section.pk]), {"direction": "up"})
        names = list(self.rubric.sections.order_by("position").values_list("name", flat=True))
        self.assertEqual(names[-2:], ["Expansion", "CRM discipline"])
        self.assertEqual(len(set(self.rubric.sections.values_list("position", flat=True))), 7)

    def test_a_rated_competency_is_archived_never_deleted(self):
        c = self.rated()
        self.login(self.manager)
        self.client.post(reverse("competency_archive", args=[c.pk]), {"archived": "1"})
        c.refresh_from_db()
        self.assertFalse(c.is_active)
        response = self.client.post(reverse("competency_delete", args=[c.pk]), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "archive it instead")
        self.assertTrue(Competency.objects.filter(pk=c.pk).exists())

    def test_an_unrated_competency_may_be_deleted(self):
        self.login(self.manager)
        c = self.competency()
        self.client.post(reverse("competency_delete", args=[c.pk]))
        self.assertFalse(Competency.objects.filter(pk=c.pk).exists())

    def test_levels_in_use_are_kept(self):
        self.rated()
        self.login(self.manager)
        url = reverse("rubric_levels", args=[self.rubric.pk])
        response = self.client.post(url, {"levels": "below: Below\nexceeds: Exceeds"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("“meets”", str(response.context["form"].errors["levels"]))
        response = self.client.post(
            url, {"levels": "below: Not yet\nmeets: Solid\nexceeds: Role model\nstar: Star"}
        )
        self.assertEqual(response.status_code, 302)
        self.rubric.refresh_from_db()
        self.assertEqual(self.rubric.level_keys, ["below", "meets", "exceeds", "star"])

    def test_levels_need_two_with_their_own_keys(self):
        self.login(self.manager)
        url = reverse("rubric_levels", args=[self.rubric.pk])
        for text in ("below: Below", "a: A\na: B", "no colon", "Big Key: x\nb: y", "a: \nb: B"):
            response = self.client.post(url, {"levels": text})
            self.assertEqual(response.status_code, 400, text)
            self.assertIn("levels", response.context["form"].errors)

    def test_a_new_rubric_is_blank_or_a_copy_of_the_starter(self):
        self.login(self.leader)
        self.client.post(reverse("rubric_new"), {"name": "Blank", "start": "blank"})
        self.client.post(reverse("rubric_new"), {"name": "Ours", "start": "starter"})
        blank, ours = Rubric.objects.get(name="Blank"), Rubric.objects.get(name="Ours")
        self.assertEqual(blank.sections.count(), 0)
        self.assertEqual(ours.sections.count(), 6)
        response = self.client.post(reverse("rubric_new"), {"name": "", "start": "other"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"name", "start"})

    def test_bad_ids_in_addresses_are_404s(self):
        self.login(self.manager)
        self.assertEqual(self.client.get("/rubrics/999999/").status_code, 404)
        self.assertEqual(self.client.get("/competencies/999999/edit/").status_code, 404)
        url = reverse("rubric_section_move", args=[self.rubric.sections.first().pk])
        self.assertEqual(self.client.post(url, {"direction": "sideways"}).status_code, 302)

    def test_renaming_in_dutch_without_changes_keeps_the_starter_texts_translatable(self):
        from django.utils import translation

        self.login(self.manager)
        self.client.cookies["django_language"] = "nl"
        with translation.override("nl"):
            from followthrough.assessments.texts import shown

            name, description = shown(self.rubric.name), shown(self.rubric.description)
        url = reverse("rubric_edit", args=[self.rubric.pk])
        self.client.post(url, {"name": name, "description": description})
        self.rubric.refresh_from_db()
        self.assertEqual(self.rubric.name, "Sales skills")
