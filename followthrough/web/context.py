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


# Which pages each role finds in the navigation, the first being where it lands.
NAV_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.REP: ("scorecard",),
    Role.MANAGER: ("team", "scorecard"),
    Role.LEADER: ("teams", "team"),
    Role.ADMIN: ("settings", "teams", "people", "imports", "audit"),
}
NAV_PAGES = {
    "scorecard": (_("My scorecard"), "me"),
    "team": (_("My team"), "my_team"),
    "teams": (_("Teams"), "teams"),
    "settings": (_("Settings"), "settings"),
    "people": (_("People"), "people"),
    "imports": (_("Imports"), "imports"),
    "audit": (_("Audit history"), "audit"),
}


def landing_url(role: str) -> str:
    return reverse(NAV_PAGES[NAV_BY_ROLE[role][0]][1])


def navigation(request) -> dict:
    person = person_of(getattr(request, "user", None))
    if person is None:
        return {"nav": [], "me": None}
    items = [
        NavItem(label=NAV_PAGES[key][0], url=reverse(NAV_PAGES[key][1]), key=key)
        for key in NAV_BY_ROLE[person.role]
    ]
    return {"nav": items, "me": person}
