"""The demo organisation: people, teams, roles and logins for trying Followthrough."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from followthrough.audit.context import acting_as
from followthrough.people.lines import move
from followthrough.people.models import Organisation, Person, Role, Team, TeamKind

DEMO_SLUG = "demo"
DEMO_PASSWORD = "followthrough-demo"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    email: str
    password: str


# (team, manager, reps); a region above both teams; a leader over the managers.
TEAMS = [
    ("Benelux", "Maya Manager", ["Ruben Rep", "Sara Visser", "Tom de Jong", "Lotte Bakker"]),
    ("DACH", "Otto Keller", ["Lena Fischer", "Jonas Weber", "Mia Schulz", "Paul Wagner"]),
]
LEADER = "Liam Leader"
ADMIN = "Ada Admin"
MOVER = "Jonas Weber"


def demo_exists() -> bool:
    return Organisation.objects.filter(slug=DEMO_SLUG).exists()


def _email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@demo.followthrough.test"


def logins() -> list[DemoLogin]:
    """One login per role, as the demo creates them."""
    first_team, first_manager, first_reps = TEAMS[0]
    cast = [
        (Role.REP, first_reps[0]),
        (Role.MANAGER, first_manager),
        (Role.LEADER, LEADER),
        (Role.ADMIN, ADMIN),
    ]
    return [DemoLogin(role, name, _email(name), DEMO_PASSWORD) for role, name in cast]


@transaction.atomic
def build_demo(today: dt.date | None = None) -> Organisation:
    """Create the demo organisation; every person can log in with the demo password."""
    today = today or dt.date.today()
    started = today.replace(day=1) - dt.timedelta(days=365)
    User = get_user_model()

    def person(name: str, role: str, title: str, since: dt.date) -> Person:
        user = User.objects.create_user(
            username=_email(name), email=_email(name), password=DEMO_PASSWORD
        )
        user.is_staff = role == Role.ADMIN
        user.save(update_fields=["is_staff"])
        return Person.objects.create(
            organisation=org,
            user=user,
            name=name,
            email=_email(name),
            title=title,
            role=role,
            role_since=since,
        )

    with acting_as(name="demo"):
        org = Organisation.objects.create(
            name="Northwind Demo", slug=DEMO_SLUG, timezone="Europe/Amsterdam", currency="EUR"
        )
        region = Team.objects.create(organisation=org, name="Europe", kind=TeamKind.REGION)
        leader = person(LEADER, Role.LEADER, "VP Sales Europe", started)
        move(leader, manager=None, team=region, on=started)
        admin = person(ADMIN, Role.ADMIN, "Revenue Operations", started)
        move(admin, manager=None, team=None, on=started)
        placed = {}
        for team_name, manager_name, reps in TEAMS:
            team = Team.objects.create(organisation=org, name=team_name, parent=region)
            manager = person(manager_name, Role.MANAGER, "Sales Manager", started)
            move(manager, manager=leader, team=team, on=started)
            placed[team_name] = (team, manager)
            for number, rep_name in enumerate(reps):
                # The last rep of each team is a recent hire, still ramping.
                since = today - dt.timedelta(days=45) if number == len(reps) - 1 else started
                rep = person(rep_name, Role.REP, "Account Executive", since)
                move(rep, manager=manager, team=team, on=since)
        # Someone who changed teams: the past stays with the team they were in.
        mover = Person.objects.get(organisation=org, name=MOVER)
        benelux, maya = placed["Benelux"]
        dach, otto = placed["DACH"]
        move(mover, manager=maya, team=benelux, on=started)
        move(mover, manager=otto, team=dach, on=today - dt.timedelta(days=90))
    return org
