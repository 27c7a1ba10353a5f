"""Navigation shown in the base layout, by role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from followthrough.people.access import person_of
from followthrough.people.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str
    current: bool = False


# Which pages each role finds in the navigation, the first being where it lands.
NAV_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.REP: (
        "scorecard",
        "one_on_ones",
        "commitments",
        "development",
        "warnings",
        "contests",
        "recognition",
        "goals",
    ),
    Role.MANAGER: (
        "team",
        "dashboard",
        "one_on_ones",
        "commitments",
        "development",
        "warnings",
        "contests",
        "recognition",
        "goals",
        "scorecard",
    ),
    Role.LEADER: (
        "teams",
        "dashboard",
        "managers",
        "development",
        "warnings",
        "contests",
        "recognition",
        "goals",
        "team",
    ),
    Role.ADMIN: (
        "settings",
        "teams",
        "dashboard",
        "goals",
        "development",
        "warnings",
        "contests",
        "recognition",
        "people",
        "imports",
        "metrics",
        "audit",
    ),
}
NAV_PAGES = {
    "scorecard": (_("My scorecard"), "me"),
    "team": (_("My team"), "my_team"),
    "one_on_ones": (_("1:1s"), "one_on_ones"),
    "commitments": (_("Commitments"), "commitments"),
    "managers": (_("Managers"), "managers"),
    # Assessments, focus areas, plans, reviews, onboarding, rubrics: one tab bar inside.
    "development": (_("Development"), "assessment_list"),
    # Three rights, projection, hygiene, integrity, hiring: one tab bar inside.
    "warnings": (_("Early warnings"), "diagnostics_team"),
    # Feed, stories and badges: one tab bar inside.
    "recognition": (_("Recognition"), "recognition"),
    "teams": (_("Teams"), "teams"),
    "dashboard": (_("Dashboard"), "dashboard"),
    "goals": (_("Goals"), "goals"),
    # Contests, quests and the leaderboard: one tab bar inside.
    "contests": (_("Contests"), "contests"),
    "settings": (_("Settings"), "settings"),
    "people": (_("People"), "people"),
    "imports": (_("Imports"), "imports"),
    "metrics": (_("Metrics"), "metric_definitions"),
    "audit": (_("Audit history"), "audit"),
}


# Pages under a nav item besides its own URL's: the development pages share one item.
NAV_ALSO = {
    "development": (
        "/focus-areas/",
        "/plans/",
        "/reviews/",
        "/onboarding/",
        "/programs/",
        "/rubrics/",
        "/scorecard-templates/",
        "/calibration/",
    ),
    "contests": ("/quests/", "/leaderboard/"),
}


def landing_url(role: str) -> str:
    return reverse(NAV_PAGES[NAV_BY_ROLE[role][0]][1])


def current_key(path: str, urls: dict[str, str]) -> str | None:
    """The page whose URL is the longest prefix of `path`: /teams/3/ is under Teams."""
    prefixes = [(url, key) for key, url in urls.items()]
    prefixes += [(url, key) for key in urls for url in NAV_ALSO.get(key, ())]
    matches = [(len(url), key) for url, key in prefixes if path.startswith(url)]
    return max(matches)[1] if matches else None


def navigation_for(person, path: str) -> list[NavItem]:
    """The navigation of `person`'s role, from what is in memory: no query."""
    if person is None:
        return []
    urls = {key: reverse(NAV_PAGES[key][1]) for key in NAV_BY_ROLE[person.role]}
    current = current_key(path, urls)
    return [
        NavItem(label=NAV_PAGES[key][0], url=url, key=key, current=key == current)
        for key, url in urls.items()
    ]


def navigation(request) -> dict:
    person = person_of(getattr(request, "user", None))
    return {"nav": navigation_for(person, request.path), "me": person}
