"""Rejection reasons, run messages and warnings are kept in English and shown in the reader's language."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import translation

from followthrough.ingest.models import ImportRun, RejectedRow, RunStatus
from followthrough.ingest.reasons import PLACEHOLDER, TEMPLATES, translate
from followthrough.people.models import Person, Role
from tests.cast import BaseTestCase
from tests.ingest.support import import_text
from tests.ingest.test_values import DEALS, deals


class TranslateTests(SimpleTestCase):
    def test_a_reason_with_values_is_translated_around_them(self):
        with translation.override("nl"):
            self.assertEqual(
                translate("unknown person 'nobody@acme.test'"),
                "onbekende persoon 'nobody@acme.test'",
            )
            self.assertEqual(
                translate("unknown value; expected one of open, won, lost"),
                "onbekende waarde; verwacht een van open, won, lost",
            )
        with translation.override("zh-hans"):
            self.assertEqual(translate("not a real date"), "不是真实存在的日期")

    def test_a_run_message_translates_its_reason_too(self):
        message = "deals.csv, row 3, column Created: not a real date"
        with translation.override("nl"):
            self.assertEqual(
                translate(message), "deals.csv, rij 3, kolom Created: geen bestaande datum"
            )

    def test_an_unknown_text_is_shown_as_it_is(self):
        with translation.override("nl"):
            self.assertEqual(translate("something new"), "something new")

    def test_every_template_is_translated_with_the_same_placeholders(self):
        for language in ("nl", "zh-hans"):
            with translation.override(language):
                for template in TEMPLATES:
                    translated = translation.gettext(template)
                    if template not in ("team", "account", "product", "deal"):
                        self.assertNotEqual(translated, template, f"{language}: {template}")
                    self.assertEqual(
                        sorted(PLACEHOLDER.findall(translated)),
                        sorted(PLACEHOLDER.findall(template)),
                        f"{language}: {template}",
                    )


class StoredReasonTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from followthrough.people.models import Organisation

        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        Person.objects.create(
            organisation=cls.org, name="Rita", email="rita@acme.test", role=Role.REP
        )
        cls.imported = import_text(
            cls.org, deals("D1,nobody@acme.test,5,2024-02-30,,Open,,"), DEALS
        )

    def test_a_stored_reason_stays_english_and_reads_translated(self):
        reasons = sorted(RejectedRow.objects.values_list("reason", flat=True))
        self.assertEqual(reasons, ["not a real date", "unknown person 'nobody@acme.test'"])
        with translation.override("nl"):
            shown = sorted(str(row.reason) for row in RejectedRow.objects.all())
            self.assertEqual(
                shown, ["geen bestaande datum", "onbekende persoon 'nobody@acme.test'"]
            )
            run = ImportRun.objects.get(pk=self.imported.pk)
            self.assertEqual(run.status, RunStatus.REJECTED)
            self.assertTrue(str(run.message).startswith("deals.csv, rij 2, kolom "), run.message)
            self.assertTrue(run.message.startswith("deals.csv, row 2, column "))


class RunPageTests(BaseTestCase):
    def test_the_run_page_shows_the_reasons_in_the_readers_language(self):
        run = import_text(self.org, deals("D1,,5,2024-02-30,,Open,,"), DEALS)
        self.login(self.admin)
        # A request leaves its language active in this thread: not for the tests after this one.
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)
        for language, expected in (
            ("nl", "geen bestaande datum"),
            ("zh-hans", "不是真实存在的日期"),
        ):
            with self.subTest(language=language):
                self.client.cookies["django_language"] = language
                page = self.client.get(reverse("import_run", args=[run.pk]))
                self.assertContains(page, expected)
                self.assertNotContains(page, "not a real date")
                self.assertIsNone(re.search("not a real date", page.content.decode()))
