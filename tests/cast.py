"""The cast every access test needs (after healthchecks' hc/test.py).

Rita and Rob are reps in Maya's team; Otto manages another team; Lea leads
both managers; Ada is the organisation's admin; Xavier belongs to another
organisation and must never see anything here.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.test import TestCase

from followthrough.people.lines import move
from followthrough.people.models import Organisation, Person, Role, Team, TeamKind

PASSWORD = "correct horse battery"
START = dt.date(2024, 1, 1)


def make_person(org: Organisation, name: str, role: str, *, login: bool = True) -> Person:
    user = None
    email = f"{name.lower()}@{org.slug}.test"
    if login:
        user = get_user_model().objects.create_user(
            username=email, email=email, password=PASSWORD, is_staff=role == Role.ADMIN
        )
    return Person.objects.create(
        organisation=org, user=user, name=name, email=email, role=role, role_since=START
    )


class CastMixin:
    """Builds the cast; use with a Django TestCase (see BaseTestCase)."""

    @classmethod
    def build_cast(cls) -> None:
        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        cls.region = Team.objects.create(organisation=cls.org, name="North", kind=TeamKind.REGION)
        cls.team = Team.objects.create(organisation=cls.org, name="Alpha", parent=cls.region)
        cls.other_team = Team.objects.create(organisation=cls.org, name="Beta", parent=cls.region)

        cls.leader = make_person(cls.org, "Lea", Role.LEADER)
        cls.manager = make_person(cls.org, "Maya", Role.MANAGER)
        cls.other_manager = make_person(cls.org, "Otto", Role.MANAGER)
        cls.rep = make_person(cls.org, "Rita", Role.REP)
        cls.rep2 = make_person(cls.org, "Rob", Role.REP)
        cls.other_rep = make_person(cls.org, "Olga", Role.REP)
        cls.admin = make_person(cls.org, "Ada", Role.ADMIN)

        move(cls.leader, manager=None, team=cls.region, on=START)
        move(cls.manager, manager=cls.leader, team=cls.team, on=START)
        move(cls.other_manager, manager=cls.leader, team=cls.other_team, on=START)
        move(cls.rep, manager=cls.manager, team=cls.team, on=START)
        move(cls.rep2, manager=cls.manager, team=cls.team, on=START)
        move(cls.other_rep, manager=cls.other_manager, team=cls.other_team, on=START)

        cls.other_org = Organisation.objects.create(name="Globex", slug="globex")
        cls.outsider = make_person(cls.other_org, "Xavier", Role.ADMIN)
        cls.outsider_team = Team.objects.create(organisation=cls.other_org, name="Gamma")
        cls.outsider_rep = make_person(cls.other_org, "Yusuf", Role.REP)
        move(cls.outsider_rep, manager=cls.outsider, team=cls.outsider_team, on=START)


class BaseTestCase(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()

    def login(self, person: Person) -> None:
        self.client.force_login(person.user)
