"""Contests in a real browser: a manager creates a week-long contest, a rep reads the standings.

The Chinese and Dutch catalogues are filled by the integrator from the branch's
translations file; until then the motivation pages' own words show in English there,
so the checks in those languages are on structure, not on words.
"""

from __future__ import annotations

import datetime as dt

from followthrough.lib.periods import PeriodKind, period_of
from followthrough.motivation.models import Contest
from followthrough.people.lines import today_for
from followthrough.people.models import Person

WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-wrap')).map(e => e.getBoundingClientRect().right))"
LOCALES = ("en-GB", "zh-CN", "nl-NL")
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))


def this_week() -> tuple[dt.date, dt.date]:
    ruben = Person.objects.get(name="Ruben Rep")
    week = period_of(PeriodKind.WEEK, today_for(ruben.organisation))
    return week.start, week.end


def test_a_manager_creates_a_week_long_contest_and_a_rep_reads_the_standings(
    demo, login_as, screenshot
):
    monday, sunday = this_week()
    manager = login_as(demo["manager"])
    manager.goto("/contests/")
    with manager.expect_navigation():
        manager.get_by_role("link", name="New contest").click()
    manager.fill("#id_name", "Most wins this week")
    manager.select_option("#id_metric_key", value="deals_won")
    manager.fill("#id_start", monday.isoformat())
    manager.fill("#id_end", sunday.isoformat())
    manager.select_option("#id_format", value="ranking")
    manager.fill("#id_top_n", "3")
    manager.select_option("#id_eligible_team", label="Benelux")
    manager.fill("#id_prizes", "A team dinner")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Save").click()
    # Prizes without rules: refused on the field, nothing saved.
    assert manager.locator("#id_rules_error").count() == 1
    assert not Contest.objects.filter(name="Most wins this week").exists()
    screenshot(manager, "contest-form-error-manager")
    manager.fill("#id_rules", "Deals won Monday to Sunday, as on your scorecard. Ties share.")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Save").click()
    contest = Contest.objects.get(name="Most wins this week")
    assert manager.url.endswith(f"/contests/{contest.pk}/")
    assert manager.locator(".message").inner_text() == "Contest saved."
    assert manager.locator("table.mv-table tbody tr").count() >= 4
    screenshot(manager, "contest-detail-manager")

    rep = login_as(demo["rep"])
    rep.goto("/contests/")
    assert rep.get_by_role("link", name="Most wins this week").count() == 1
    with rep.expect_navigation():
        rep.get_by_role("link", name="Most wins this week").click()
    own = rep.locator("table.mv-table tr.mv-own")
    assert own.count() == 1
    assert "Ruben Rep" in own.inner_text()
    assert "A team dinner" in rep.locator("aside").inner_text()
    screenshot(rep, "contest-detail-rep")
    rep.get_by_role("link", name="Leaderboard").click()
    rep.wait_for_url("**/leaderboard/")
    assert rep.locator(".mv-explain").count() == 1
    screenshot(rep, "leaderboard-rep")


def test_the_contest_pages_read_well_in_every_language_and_size(demo, login_as, screenshot):
    week = Contest.objects.get(format="ranking")
    finished = Contest.objects.get(format="most_improved")
    for locale in LOCALES:
        for size, viewport in SIZES:
            for who, path, name in (
                ("rep", f"/contests/{week.pk}/", "week"),
                ("manager", f"/contests/{finished.pk}/", "finished"),
                ("manager", "/contests/new/", "form"),
                ("rep", "/leaderboard/", "leaderboard"),
                ("manager", "/quests/", "quests"),
            ):
                page = login_as(demo[who], locale=locale, viewport=viewport)
                response = page.goto(path)
                assert response.status == 200, (locale, path)
                assert page.locator("nav.ft-tabs a").count() == 3
                screenshot(page, f"contests-{name}-{locale}-{size}")
                assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"] + 1, (
                    locale,
                    size,
                    path,
                )
                page.context.close()
