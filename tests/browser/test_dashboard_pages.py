"""The team dashboard in a real browser: figures, pace in words, sorting, chart, exports."""

from __future__ import annotations

import pytest

from tests.browser.sales import build_sales_history
from tests.browser.test_scorecard_pages import charts_drawn, collect_errors


@pytest.fixture
def sales(cast):
    build_sales_history(cast)
    return cast


def test_a_manager_reaches_the_dashboard_from_my_team(sales, login_as, screenshot):
    page = login_as(sales.manager)
    errors = collect_errors(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Team dashboard").click()
    assert page.locator("h1").inner_text() == "Dashboard: Alpha"
    rows = page.locator("table.dashboard tbody tr")
    assert rows.count() == 5
    assert page.locator("table.dashboard tfoot tr:first-child th").inner_text() == "Team total"
    # Pace is written out, not only coloured.
    statuses = page.locator("table.dashboard tbody .cell-status").all_inner_texts()
    assert statuses and all(text.strip() for text in statuses)
    assert charts_drawn(page) == 1
    assert errors == []
    screenshot(page, "dashboard-manager")


def test_sorting_by_a_column_orders_the_people(sales, login_as):
    page = login_as(sales.manager)
    page.goto(f"/teams/{sales.team.pk}/dashboard/?metric=deals_won&metric=revenue_won")
    with page.expect_navigation():
        page.locator("table.dashboard thead a", has_text="Revenue won").click()
    assert "sort=revenue_won" in page.url
    values = page.locator("table.dashboard tbody td:nth-child(3) .value").all_inner_texts()
    numbers = [int("".join(ch for ch in v if ch.isdigit()) or 0) for v in values]
    assert numbers == sorted(numbers, reverse=True)


def test_a_leader_switches_team_and_reads_it_in_chinese(sales, login_as, screenshot):
    page = login_as(sales.leader, locale="zh-CN")
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    page.goto(f"/teams/{sales.region.pk}/dashboard/")
    assert page.locator("h1").inner_text() == "看板：North"
    assert page.locator("table.dashboard tfoot tr:first-child th").inner_text() == "团队合计"
    assert charts_drawn(page) == 1
    screenshot(page, "dashboard-leader-zh-hans")


def test_the_exports_download(sales, login_as):
    page = login_as(sales.manager)
    page.goto(f"/teams/{sales.team.pk}/dashboard/")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Export CSV").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Export XLSX").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")


def test_a_rep_is_refused_the_dashboard(sales, login_as, screenshot):
    page = login_as(sales.rep)
    response = page.goto(f"/teams/{sales.team.pk}/dashboard/")
    assert response.status == 403
    screenshot(page, "dashboard-refused-rep")
