"""The import guide in the product: fields per kind, a template file and presets to download."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from followthrough.ingest import presets
from followthrough.ingest.kinds import KINDS
from tests.cast import BaseTestCase


class ImportGuideTests(BaseTestCase):
    def setUp(self):
        self.login(self.admin)

    def test_the_guide_lists_every_kind_with_its_fields_and_template(self):
        page = self.client.get(reverse("import_guide"))
        self.assertEqual(page.status_code, 200)
        for kind in KINDS.values():
            with self.subTest(kind=kind.name):
                self.assertContains(page, f'id="kind-{kind.name}"')
                self.assertContains(page, reverse("import_template", args=[kind.name]))
                for spec in kind.fields:
                    self.assertContains(page, f"<code>{spec.name}</code>")
        self.assertContains(page, "template-people")
        self.assertContains(page, "rep, manager, leader, admin")
        self.assertContains(page, reverse("goal_import"))

    def test_the_new_import_page_and_the_run_list_link_to_the_guide(self):
        for url in (reverse("import_new"), reverse("imports")):
            self.assertContains(self.client.get(url), reverse("import_guide"))
        self.assertNotContains(self.client.get(reverse("import_new")), "docs/import.md")

    def test_the_guide_is_in_the_readers_language(self):
        page = self.client.get(reverse("import_guide"), HTTP_ACCEPT_LANGUAGE="nl")
        self.assertContains(page, "Importgids")

    def test_a_template_downloads_as_a_csv_whose_header_its_preset_reads(self):
        response = self.client.get(reverse("import_template", args=["people"]))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('filename="followthrough-people.csv"', response["Content-Disposition"])
        header = next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(header[:3], ["external_id", "name", "email"])
        self.assertEqual(set(header), {f.name for f in KINDS["people"].fields})

    def test_the_people_preset_is_offered_on_the_upload_form(self):
        form = self.client.get(reverse("import_new")).context["form"]
        offered = [name for _, group in form.fields["preset"].choices[1:] for name, _ in group]
        self.assertIn(presets.template_preset("people"), offered)

    def test_a_preset_downloads_as_text(self):
        response = self.client.get(reverse("import_preset_file", args=["hubspot-deals"]))
        self.assertEqual(response.status_code, 200)
        self.assertIn(b'kind = "deals"', b"".join(response.streaming_content))

    def test_unknown_kinds_and_presets_are_not_found(self):
        self.assertEqual(self.client.get("/imports/guide/goals.csv").status_code, 404)
        self.assertEqual(self.client.get("/imports/guide/presets/nope.toml").status_code, 404)
        self.assertEqual(
            self.client.get("/imports/guide/presets/..%2Fsettings.toml").status_code, 404
        )

    def test_only_the_organisations_admins_see_the_guide_and_its_files(self):
        urls = [
            reverse("import_guide"),
            reverse("import_template", args=["deals"]),
            reverse("import_preset_file", args=["template-deals"]),
        ]
        for person in (self.rep, self.manager, self.leader):
            self.login(person)
            for url in urls:
                with self.subTest(person=person.name, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
        self.client.logout()
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 302)
