"""Browser check of the metric definition pages, with screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from tests.cast import PASSWORD, CastMixin

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.browser
@pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent: browser tests skipped"
)
class MetricDefinitionPagesTests(CastMixin, StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs a loop
        super().setUpClass()

    @pytest.fixture(autouse=True)
    def _use_browser(self, browser):
        # The session's browser (tests/browser/conftest.py): a second Playwright in the
        # same process refuses to start while the session's loop runs.
        self.browser = browser

    def setUp(self):
        self.build_cast()
        SHOTS.mkdir(parents=True, exist_ok=True)

    def page_as(self, person, language: str = "en"):
        context = self.browser.new_context(locale=language, viewport={"width": 1280, "height": 900})
        self.addCleanup(context.close)
        host = self.live_server_url.split("//", 1)[1].split(":")[0]
        context.add_cookies(
            [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
        )
        page = context.new_page()
        page.goto(f"{self.live_server_url}/accounts/login/")
        page.fill("input[name=username]", person.user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_load_state()
        return page

    def test_an_admin_lists_adds_and_is_told_what_is_wrong(self):
        page = self.page_as(self.admin)
        page.goto(f"{self.live_server_url}/metrics/definitions/")
        assert page.locator("h1").inner_text() == "Metric definitions"
        assert page.locator("text=Deals won divided by Deals closed").count() == 1
        page.screenshot(path=SHOTS / "metrics-definitions.png", full_page=True)
        page.click("text=Add a metric")
        page.fill("#id_key", "big_wins")
        page.fill("#id_name", "Big wins")
        page.select_option("#id_kind", "count")
        page.select_option("#id_source", "deals")
        page.select_option("#id_date_basis", "closed")
        page.fill("#id_filters", '{"colour": "red"}')
        page.click("section.card button[type=submit]")
        page.screenshot(path=SHOTS / "metrics-definition-error.png", full_page=True)
        assert "Unknown filter colour" in page.locator("#id_filters_error").inner_text()
        page.screenshot(path=SHOTS / "metrics-definition-error.png", full_page=True)
        page.fill("#id_filters", '{"outcome": "won"}')
        page.click("section.card button[type=submit]")
        page.wait_for_url("**/metrics/definitions/")
        assert page.locator("text=big_wins").count() == 1

    def test_the_page_reads_in_chinese_and_dutch(self):
        for language, title in (("zh-hans", "指标定义"), ("nl", "Metriekdefinities")):
            page = self.page_as(self.admin, language)
            page.goto(f"{self.live_server_url}/metrics/definitions/")
            assert page.locator("h1").inner_text() == title
            page.screenshot(path=SHOTS / f"metrics-definitions-{language}.png", full_page=True)

    def test_a_rep_is_refused(self):
        page = self.page_as(self.rep)
        response = page.goto(f"{self.live_server_url}/metrics/definitions/")
        assert response.status == 403
