"""Browser check of the metric definition pages, with screenshots."""

from __future__ import annotations

import pytest


def test_an_admin_lists_adds_and_is_told_what_is_wrong(cast, login_as, screenshot):
    page = login_as(cast.admin)
    page.goto("/metrics/definitions/")
    assert page.locator("h1").inner_text() == "Metric definitions"
    assert page.locator("text=Deals won divided by Deals closed").count() == 1
    screenshot(page, "metrics-definitions")
    page.click("text=Add a metric")
    page.fill("#id_key", "big_wins")
    page.fill("#id_name", "Big wins")
    page.select_option("#id_kind", "count")
    page.select_option("#id_source", "deals")
    page.select_option("#id_date_basis", "closed")
    page.fill("#id_filters", '{"colour": "red"}')
    page.click("section.card button[type=submit]")
    assert "Unknown filter colour" in page.locator("#id_filters_error").inner_text()
    screenshot(page, "metrics-definition-error")
    page.fill("#id_filters", '{"outcome": "won"}')
    page.click("section.card button[type=submit]")
    page.wait_for_url("**/metrics/definitions/")
    assert page.locator("text=big_wins").count() == 1


@pytest.mark.parametrize(
    ("locale", "language", "title"),
    [("zh-CN", "zh-hans", "指标定义"), ("nl-NL", "nl", "Metriekdefinities")],
)
def test_the_page_reads_in_chinese_and_dutch(cast, login_as, screenshot, locale, language, title):
    page = login_as(cast.admin, locale=locale)
    page.goto("/metrics/definitions/")
    assert page.locator("h1").inner_text() == title
    screenshot(page, f"metrics-definitions-{language}")


def test_a_rep_is_refused(cast, login_as):
    page = login_as(cast.rep)
    response = page.goto("/metrics/definitions/")
    assert response.status == 403
