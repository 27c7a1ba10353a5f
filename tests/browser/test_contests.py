"""Contests in a real browser: a manager runs a week-long contest end to end.

Creation, the standings a rep reads, a live TV wallboard, the close that freezes the
results, the winner's badge and the manager's kudos.

The Chinese and Dutch catalogues are filled by the integrator from the branch's
translations file; until then the motivation pages' own words show in English there,
so the checks in those languages are on structure, not on words.
"""

from __future__ import annotations

import datetime as dt

from followthrough.lib.periods import PeriodKind, period_of
from followthrough.motivation.closing import frozen
from followthrough.motivation.models import Contest, ContestStatus
from followthrough.motivation.standings import standings
from followthrough.people.lines import today_for
from followthrough.people.models import Person
from followthrough.recognition.models import BadgeAward, Kudos
from tests.metrics.helpers import deal

WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-wrap')).map(e => e.getBoundingClientRect().right))"
LOCALES = ("en-GB", "zh-CN", "nl-NL")
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))
TV = {"width": 1920, "height": 1080}
WINS = 6  # enough for the demo rep to lead the week on any weekday


def this_week() -> tuple[dt.date, dt.date]:
    ruben = Person.objects.get(name="Ruben Rep")
    week = period_of(PeriodKind.WEEK, today_for(ruben.organisation))
    return week.start, week.end


def test_a_manager_runs_a_week_long_contest_end_to_end(demo, new_page, login_as, screenshot):
    monday, sunday = this_week()
    ruben = Person.objects.get(name="Ruben Rep")
    today = today_for(ruben.organisation)
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

    # The sales floor's TV: a wallboard link made from the contest page, no login needed.
    manager.goto(f"/contests/{contest.pk}/")
    with manager.expect_navigation():
        manager.get_by_role("link", name="TV wallboard").click()
    assert manager.locator("#id_contest").input_value() == str(contest.pk)
    manager.fill("#id_name", "Sales floor TV")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Create link").click()
    url = manager.locator("#wallboard-links input.wb-url").first.input_value()
    tv = new_page(viewport=TV)
    tv.goto(url)
    assert tv.locator("#wb-title").inner_text() == "Most wins this week"
    # Ruben wins six deals today (as a CRM sync would bring them): the TV follows by itself.
    for _ in range(WINS):
        deal(ruben.organisation, ruben, created=today, closed=today, outcome="won", amount=4000)
    leader = tv.locator("#wb-rows li:first-child", has_text=ruben.name)
    leader.wait_for(timeout=5000)
    assert leader.locator(".wb-rank").inner_text() == "1"
    figure = standings(contest).entry_of(f"p{ruben.pk}").value  # the engine's, with the new wins
    assert leader.locator(".wb-value").inner_text() == f"{figure:.0f}"
    screenshot(tv, "contest-walk-tv-live")

    # The close freezes the results, on the page and on the TV.
    manager.goto(f"/contests/{contest.pk}/")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Close and freeze results").click()
    assert manager.locator(".message").inner_text() == (
        "The contest is closed and its results are frozen."
    )
    assert manager.locator("#standings-title").inner_text() == "Final results"
    contest.refresh_from_db()
    assert contest.status == ContestStatus.CLOSED
    assert frozen(contest).as_of == min(today, sunday)
    assert "Ruben Rep" in manager.locator("table.mv-table tr.mv-winner").first.inner_text()
    screenshot(manager, "contest-walk-closed-manager")
    tv.locator("#wb-note", has_text="Final results.").wait_for(timeout=5000)
    screenshot(tv, "contest-walk-tv-final")

    # The winner's badge, in the team's feed; the manager adds kudos.
    award = BadgeAward.objects.get(person=ruben, source=f"contest:{contest.pk}")
    assert award.badge.code == "contest-winner"
    manager.goto("/recognition/")
    won = manager.locator(".rc-feed .rc-badge", has_text="Won “Most wins this week”")
    assert ruben.name in won.first.inner_text()
    manager.select_option("#id_recipient", label=ruben.name)
    manager.fill("#id_message", "Six deals in a day: well played, Ruben!")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Send kudos").click()
    assert manager.locator(".message").inner_text() == f"Kudos sent to {ruben.name}."
    assert Kudos.objects.filter(recipient=ruben, message__startswith="Six deals").exists()
    screenshot(manager, "contest-walk-recognition-manager")
    rep.goto("/recognition/")
    feed = rep.locator(".rc-feed").inner_text()
    assert "Six deals in a day" in feed
    assert "Won “Most wins this week” (place 1)." in feed
    screenshot(rep, "contest-walk-recognition-rep")


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
