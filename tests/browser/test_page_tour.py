"""A tour of the demo in a real browser: every main page, each role, three languages.

On a phone (390 px wide) no page may scroll sideways: the navigation wraps, tables
scroll inside their own box. On desktops (1280 and 1366 px) the drill-down keeps the
number being drilled in view. Every page is saved to var/screenshots/tour-*.png to be
looked at. One demo serves the whole tour: building it is the slow part.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOPS = ({"width": 1280, "height": 800}, {"width": 1366, "height": 768})
LANGUAGES = (("en", "en-GB"), ("zh-hans", "zh-CN"), ("nl", "nl-NL"))


@dataclass(frozen=True)
class Stop:
    name: str
    url: str


def stops_for(role: str, ids: dict[str, int]) -> list[Stop]:
    """The pages the tour visits as `role`: its landing page, navigation and details."""
    rep, team, manager = ids["rep"], ids["team"], ids["manager"]
    common = [
        Stop("goals", "/goals/"),
        Stop("404", "/no-such-page/"),
    ]
    by_role = {
        "rep": [
            Stop("scorecard", "/me/"),
            Stop("drilldown", f"/people/{rep}/scorecard/revenue_won/"),
            Stop("403", "/settings/people/"),
        ],
        "manager": [
            Stop("my-team", "/team/"),
            Stop("scorecard", "/me/"),
            Stop("dashboard", f"/teams/{team}/dashboard/"),
            Stop("drilldown", f"/teams/{team}/dashboard/revenue_won/"),
            Stop("rep-scorecard", f"/people/{rep}/scorecard/"),
            Stop("goal-form", "/goals/new/"),
        ],
        "leader": [
            Stop("teams", "/teams/"),
            Stop("dashboard", f"/teams/{team}/dashboard/"),
            Stop("manager-scorecard", f"/people/{manager}/scorecard/"),
        ],
        "admin": [
            Stop("settings", "/settings/"),
            Stop("teams", "/teams/"),
            Stop("dashboard", f"/teams/{team}/dashboard/"),
            Stop("drilldown", f"/people/{rep}/scorecard/deals_won/"),
            Stop("goal-form", "/goals/new/"),
            Stop("goal-settings", "/settings/goals/"),
            Stop("people", "/settings/people/"),
            Stop("person", f"/people/{rep}/"),
            Stop("person-history", f"/people/{rep}/history/"),
            Stop("person-form", f"/settings/people/{rep}/edit/"),
            Stop("imports", "/imports/"),
            Stop("import-new", "/imports/new/"),
            Stop("metrics", "/metrics/definitions/"),
            Stop("audit", "/audit/"),
        ],
    }
    return by_role[role] + common


@pytest.fixture
def ids(demo) -> dict[str, int]:
    from followthrough.people.models import Person

    rep = Person.objects.get(email=demo["rep"].email)
    manager = Person.objects.get(email=demo["manager"].email)
    team = rep.reporting_lines.filter(team__isnull=False).latest("valid_from").team_id
    return {"rep": rep.pk, "manager": manager.pk, "team": team}


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate(
        "document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
    )


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")


def test_no_page_scrolls_sideways_on_a_phone_in_any_language_or_role(
    demo, ids, login_as, new_page, screenshot
):
    too_wide = []
    for code, locale in LANGUAGES:
        page = new_page(locale=locale, viewport=PHONE)
        visit(page, "/accounts/login/")
        assert page.locator("html").get_attribute("lang") == code
        if overflow(page) > 0:
            too_wide.append(f"{code} login: {overflow(page)} px")
        screenshot(page, f"tour-phone-{code}-login")
        for role in ("rep", "manager", "leader", "admin"):
            page = login_as(demo[role], locale=locale, viewport=PHONE)
            for stop in stops_for(role, ids):
                visit(page, stop.url)
                extra = overflow(page)
                if extra > 0:
                    too_wide.append(f"{code} {role} {stop.url}: {extra} px too wide")
                screenshot(page, f"tour-phone-{code}-{role}-{stop.name}")
    assert not too_wide, "\n".join(too_wide)


def test_every_navigation_link_is_reachable_on_a_phone(demo, login_as):
    page = login_as(demo["admin"], viewport=PHONE)
    links = page.locator("nav.mainnav a")
    assert links.count() == 8
    for link in links.all():
        box = link.bounding_box()
        assert box is not None and link.is_visible()
        # Inside the window: nothing hidden off to the side behind a scroll.
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_the_drill_down_shows_the_amount_at_desktop_widths(demo, ids, login_as):
    for viewport in DESKTOPS:
        page = login_as(demo["manager"], viewport=viewport)
        visit(page, f"/teams/{ids['team']}/dashboard/revenue_won/")
        header = page.locator("table.records th", has_text="Amount")
        box = header.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= viewport["width"], viewport
        assert overflow(page) == 0, viewport


DESKTOP_TOUR = {
    "rep": ("scorecard", "drilldown", "goals", "403", "404"),
    "manager": ("my-team", "scorecard", "dashboard", "drilldown", "goal-form", "goals"),
    "admin": ("people", "person", "imports", "import-new", "metrics", "audit", "goal-form"),
}


def test_the_named_pages_fit_desktop_widths_in_every_language(
    demo, ids, login_as, new_page, screenshot
):
    too_wide = []
    for viewport in DESKTOPS:
        width = viewport["width"]
        for code, locale in LANGUAGES:
            page = new_page(locale=locale, viewport=viewport)
            visit(page, "/accounts/login/")
            screenshot(page, f"tour-{width}-{code}-login")
            for role, names in DESKTOP_TOUR.items():
                page = login_as(demo[role], locale=locale, viewport=viewport)
                for stop in stops_for(role, ids):
                    if stop.name not in names:
                        continue
                    visit(page, stop.url)
                    if overflow(page) > 0:
                        too_wide.append(f"{width} {code} {role} {stop.url}: {overflow(page)} px")
                    screenshot(page, f"tour-{width}-{code}-{role}-{stop.name}")
    assert not too_wide, "\n".join(too_wide)
