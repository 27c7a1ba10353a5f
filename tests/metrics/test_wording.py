"""Metric definitions read as sentences, for every metric, in every language."""

from __future__ import annotations

from django.test import TestCase
from django.utils import translation

from followthrough.metrics import engine
from followthrough.people.models import Organisation

# The generated wording of the facts' date, per language: never "whose day it happened".
AWKWARD = ("day it happened", "whose day", "waarvan de dag", "发生日期 在")


class WordingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme")

    def describe(self, key: str, language: str = "en") -> str:
        with translation.override(language):
            return engine.describe(engine.get_metrics(self.org)[key])

    def test_each_kind_of_date_reads_as_plain_words(self):
        self.assertEqual(
            self.describe("activities"), "Number of activities that happened in the period."
        )
        self.assertEqual(self.describe("deals_created"), "Number of deals created in the period.")
        self.assertEqual(
            self.describe("deals_won"),
            "Number of deals whose close date is in the period. Only where: outcome is won.",
        )
        self.assertEqual(
            self.describe("stage_moves"), "Number of stage changes made in the period."
        )
        self.assertEqual(
            self.describe("leads_converted"), "Number of leads converted in the period."
        )
        self.assertEqual(
            self.describe("pipeline_created"),
            "Sum of the amount of the deals created in the period.",
        )

    def test_chinese_and_dutch_say_it_in_their_own_words(self):
        self.assertEqual(self.describe("activities", "zh-hans"), "在期间内发生的活动数量。")
        self.assertEqual(
            self.describe("activities", "nl"), "Aantal activiteiten die in de periode plaatsvonden."
        )

    def test_filter_values_read_in_the_readers_language(self):
        self.assertTrue(self.describe("deals_won", "zh-hans").endswith("结果 为 赢单。"))
        self.assertIn("first meeting held", self.describe("first_meetings_held"))
        self.assertNotIn("first_meeting_held", self.describe("first_meetings_held", "nl"))

    def test_no_metric_reads_awkwardly_or_untranslated_in_any_language(self):
        keys = list(engine.get_metrics(self.org))
        for key in keys:
            english = self.describe(key)
            for language in ("en", "zh-hans", "nl"):
                with self.subTest(key=key, language=language):
                    text = self.describe(key, language)
                    self.assertFalse([a for a in AWKWARD if a in text], text)
                    if language != "en":
                        self.assertNotEqual(text, english)
                        self.assertNotIn("in the period", text)
