"""The scorecard and its drill-down in a real browser: numbers, charts, languages."""

from __future__ import annotations

import pytest

from tests.browser.sales import build_sales_history


@pytest.fixture
def sales(cast):
    build_sales_history(cast)
    return cast


def charts_drawn(page) -> int:
    """How many canvases Chart.js has drawn on (it keeps a registry of its charts)."""
    return page.evaluate(
        "() => [...document.querySelectorAll('canvas')].filter(c => Chart.getChart(c)).length"
    )


def collect_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_a_rep_sees_their_scorecard_with_trend_charts(sales, login_as, screenshot):
    page = login_as(sales.rep)
    errors = collect_errors(page)
    page.reload()
    assert page.locator("h1").inner_text() == "My scorecard"
    kpis = page.locator("article.kpi")
    assert kpis.count() >= 6
    deals = page.locator("article.kpi", has=page.locator("h2", has_text="Deals won"))
    assert deals.locator(".badge").inner_text().strip() != ""
    assert deals.locator("dd").first.inner_text() == "4"
    assert charts_drawn(page) == kpis.count()
    assert errors == []
    screenshot(page, "scorecard-rep")


def test_a_manager_opens_a_reps_scorecard_and_drills_down(sales, login_as, screenshot):
    page = login_as(sales.manager)
    page.goto(f"/people/{sales.rep.pk}/scorecard/")
    assert page.locator("h1").inner_text() == "Scorecard: Rita"
    deals = page.locator("article.kpi", has=page.locator("h2", has_text="Deals won"))
    shown = deals.locator(".actual a").inner_text()
    with page.expect_navigation():
        deals.locator(".actual a").click()
    assert page.locator("h1").inner_text() == "Deals won"
    assert "won" in page.locator(".definition").inner_text().lower()
    assert page.locator("table.records tbody tr").count() == int(shown)
    screenshot(page, "scorecard-drilldown")


def test_the_scorecard_reads_in_chinese_and_dutch(sales, login_as, screenshot):
    page = login_as(sales.rep, locale="zh-CN")
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("h1").inner_text() == "我的记分卡"
    assert "团队中位数" in page.locator("article.kpi").first.inner_text()
    assert charts_drawn(page) > 0
    screenshot(page, "scorecard-rep-zh-hans")
    with page.expect_navigation():
        page.select_option("select[name=language]", "nl")
    assert "teammediaan" in page.locator("article.kpi").first.inner_text().lower()
    screenshot(page, "scorecard-rep-nl")


def test_the_period_picker_switches_to_a_quarter(sales, login_as, screenshot):
    page = login_as(sales.rep)
    page.select_option("#period-kind", "quarter")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "kind=quarter" in page.url
    assert page.locator(".period-name").inner_text().startswith("Q")
    page.select_option("#period-kind", "custom")
    assert page.locator("#period-start").is_visible()
    assert not page.locator("#period-date").is_visible()
    screenshot(page, "scorecard-quarter")
