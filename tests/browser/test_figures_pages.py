"""Figures read alike everywhere: the organisation's totals, rounding, dates and numbers
in three languages, on desktop and phone."""

from __future__ import annotations

import datetime as dt

import pytest

from followthrough.lib.periods import PeriodKind, period_of
from followthrough.people.lines import today_for
from tests.browser.sales import build_sales_history
from tests.browser.test_scorecard_pages import charts_drawn, collect_errors
from tests.metrics.helpers import deal

LANGUAGES = {"en": "en-GB", "zh-hans": "zh-CN", "nl": "nl-NL"}
TOTAL = {"en": "Organisation total", "zh-hans": "组织合计", "nl": "Totaal organisatie"}


@pytest.fixture
def sales(cast):
    build_sales_history(cast)
    month = period_of(PeriodKind.MONTH, today_for(cast.org))
    for day in range(3):
        closed = month.start + dt.timedelta(days=day)
        deal(cast.org, None, created=closed, closed=closed, outcome="lost", amount=12345)
    return cast


def in_language(page, language: str) -> None:
    with page.expect_navigation():
        page.select_option("select[name=language]", language)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_an_admin_sees_the_organisation_total_in_each_language(
    sales, login_as, screenshot, language
):
    page = login_as(sales.admin, locale=LANGUAGES[language])
    errors = collect_errors(page)
    if language != "en":
        in_language(page, language)
    page.goto(
        f"/teams/{sales.team.pk}/dashboard/?metric=deals_won&metric=deals_lost"
        "&metric=revenue_won&metric=win_rate&metric=avg_deal_size"
    )
    rows = page.locator("table.dashboard tfoot tr.summary")
    assert rows.count() == 2
    assert rows.first.locator("th").inner_text() == TOTAL[language]
    assert charts_drawn(page) == 1
    assert errors == []
    screenshot(page, f"dashboard-admin-organisation-{language}")


def test_the_organisation_rows_fit_a_phone(sales, login_as, screenshot):
    page = login_as(sales.admin, viewport={"width": 390, "height": 844})
    page.goto(f"/teams/{sales.team.pk}/dashboard/")
    assert page.locator("table.dashboard tfoot tr.summary").count() == 2
    screenshot(page, "dashboard-admin-organisation-phone")


def test_a_leader_sees_their_subtree_total_without_ownerless_rows(sales, login_as, screenshot):
    page = login_as(sales.leader)
    page.goto(f"/teams/{sales.region.pk}/dashboard/")
    rows = page.locator("table.dashboard tfoot tr.summary")
    assert rows.count() == 1
    assert rows.first.locator("th").inner_text() == "Total of everyone reporting to you"
    screenshot(page, "dashboard-leader-subtree")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_drill_down_uses_the_languages_date_and_number_format(
    sales, login_as, screenshot, language
):
    page = login_as(sales.manager, locale=LANGUAGES[language])
    if language != "en":
        in_language(page, language)
    page.goto(f"/people/{sales.rep.pk}/scorecard/revenue_won/?kind=year&date=2026-01-01")
    text = page.locator("table").first.inner_text()
    assert "/20" not in text  # no 01/01/2026 beside "Jan. 1, 2026"
    screenshot(page, f"drilldown-{language}")


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_chart_tooltips_read_the_figures_the_page_shows(sales, login_as, language):
    page = login_as(sales.rep, locale=LANGUAGES[language])
    if language != "en":
        in_language(page, language)
    for key in ("sales_cycle_days", "win_rate", "avg_deal_size"):
        article = page.locator(f"article.kpi[aria-labelledby='kpi-{key}']")
        shown = article.locator("p.actual").inner_text().strip()
        label = page.evaluate(
            """(id) => {
                const chart = Chart.getChart(document.getElementById(id));
                const data = chart.data.datasets[0].data;
                const item = {dataset: chart.data.datasets[0], raw: data[data.length - 1]};
                return chart.options.plugins.tooltip.callbacks.label(item);
            }""",
            f"trend-{key}",
        )
        number = "".join(ch for ch in shown if ch.isdigit() or ch in ".,")
        tooltip = "".join(ch for ch in label.split(":", 1)[-1] if ch.isdigit() or ch in ".,")
        assert number.strip(".,") == tooltip.strip(".,"), (key, shown, label)
