"""The demo's rubrics part: the starter rubric, templates per title, version 2 of the AE's."""

from __future__ import annotations

import time

from django.test import TestCase

from followthrough.assessments.models import Rubric, ScorecardTemplate
from followthrough.assessments.template_history import applies_to, changes
from followthrough.assessments.versions import template_for
from followthrough.people.models import Person


class RubricsDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from followthrough.demo.build import MIN_REPS, build_demo

        cls.org = build_demo(reps=MIN_REPS, months=3)

    def test_the_starter_rubric_is_there(self):
        rubric = Rubric.objects.get(organisation=self.org)
        self.assertTrue(rubric.starter)
        self.assertEqual(rubric.sections.count(), 6)

    def test_every_rep_has_the_template_of_their_title(self):
        for person in Person.objects.filter(organisation=self.org, role="rep"):
            template = template_for(person)
            self.assertIsNotNone(template, person.name)
            self.assertEqual(template.job_title, person.title)

    def test_the_ae_template_has_a_second_version_with_a_weight_changed(self):
        ae = ScorecardTemplate.objects.filter(organisation=self.org, name="Account Executive")
        v1, v2 = ae.order_by("version")
        self.assertTrue(v2.is_current)
        texts = [c.text for c in changes(v1, v2, {"win_rate": "Win rate"})]
        self.assertEqual(texts, ["Weight of Win rate: 1 → 2."])
        counts = applies_to(self.org, list(ScorecardTemplate.objects.filter(is_current=True)))
        self.assertEqual(counts[v2.pk], Person.objects.filter(title="Account Executive").count())

    def test_the_part_is_quick(self):
        from followthrough.assessments.demo import rubrics
        from followthrough.people.lines import today_for
        from followthrough.people.models import Organisation

        other = Organisation.objects.create(name="Quick", slug="quick")
        started = time.perf_counter()
        rubrics.seed(other, today_for(other))
        self.assertLess(time.perf_counter() - started, 1.5)
