"""No input a visitor can type into an address gives a server error.

The URL conf is walked, not listed by hand, so a new page or endpoint is swept the
day it is added: every page, export, drill-down and API list gets out-of-range
periods, huge and odd numbers in its filters and paging, and every API detail
route gets ids that are not numbers (or are too big for the database) on each
method it answers.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from followthrough.goals.models import Goal
from followthrough.lib.periods import PeriodKind, period_of
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal

HUGE = str(2**63)  # one past the largest id the database can hold
HUGER = str(10**23)

# Query strings tried on every page, export, drill-down and API list.
QUERIES = [
    "kind=month&date=9999-12-31",
    "kind=month&date=0001-01-01",
    "kind=week&date=9999-12-31",
    "kind=week&date=0001-01-01",
    "kind=quarter&date=9999-12-31",
    "kind=year&date=9999-12-31",
    "kind=fiscal_year&date=0001-01-01",
    "kind=fiscal_year&date=9999-12-31",
    "kind=custom&start=0001-01-01&end=9999-12-31",
    "kind=custom&start=9999-12-31&end=9999-12-31",
    "kind=custom&start=0001-01-01&end=0001-01-01",
    "kind=custom&start=2026-03-01&end=2026-01-01",
    f"limit={HUGER}&offset={HUGER}",
    "limit=-1&offset=-1",
    "limit=x&offset=y",
    f"page={HUGE}",
    f"person={HUGE}&team={HUGE}&kind={HUGE}&metric={HUGE}",
    f"person=-{HUGE}&team=-1&kind=-1",
    "person=%C2%B2&team=%C2%B2&kind=%C2%B2&page=%C2%B2",  # a superscript two: isdigit() says yes
    "person=x&team=x&kind=x&metric=x&sort=x&dir=x",
    "metric=deals_won&metric=nope&sort=deals_won&dir=desc",
]

# Logging out and switching language change the session; the schema reads no query.
SKIPPED = ("/accounts/logout/", "/i18n/setlang/", "/api/schema/")

# Values for the URL's own parameters, by name; ints get a real id from the cast.
SLUGS = {"key": "deals_won", "fmt": "xlsx", "kind": "deals", "token": "nothing", "format": "json"}


def walk(patterns, prefix=""):
    """(route, pattern) for every URL in the conf, with its converters' names."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def plain(route: str) -> str | None:
    """The route as a path with <name> parameters; None for ones left to their own code.

    The API routers write regular expressions: ^goals/(?P<pk>[^/.]+)/$ becomes
    goals/<int:pk>/. Their format-suffix twins and Django's admin are skipped.
    """
    if route.startswith("admin/") or "<format>" in route or "\\." in route:
        return None
    route = re.sub(r"\(\?P<pk>[^)]*\)", "<int:pk>", route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    route = route.replace("^", "").replace("$", "")
    return None if re.search(r"[()\\?*+\[]", route) else route


PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


class NoServerErrorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A control character (illegal in XML) in names that reach the XLSX export.
        cls.team.name = "Al\x07pha\x1b"
        cls.team.save()
        cls.rep.name = "Ri\x01ta\x07"  # PostgreSQL refuses NUL itself
        cls.rep.save()
        cls.goal = Goal.objects.create(
            organisation=cls.org,
            person=cls.rep,
            metric_key="deals_won",
            period_kind=PeriodKind.MONTH,
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 1, 31),
            target=Decimal(3),
        )
        deal(
            cls.org,
            cls.rep,
            created=dt.date(2026, 1, 2),
            closed=dt.date(2026, 1, 20),
            outcome="won",
            amount=100,
            name="=HYPERLINK(\x07)",
        )

    def setUp(self) -> None:
        self.client = Client(raise_request_exception=False)

    def ids(self, route: str) -> list[str]:
        """A real id for the route's object, plus ids the database cannot hold."""
        if route.startswith(("teams/", "settings/teams/")):
            real = self.team.pk
        elif "goals/" in route:
            real = self.goal.pk
        else:
            real = self.rep.pk
        return [str(real), HUGE, HUGER]

    def urls(self):
        for raw, _pattern in walk(get_resolver().url_patterns):
            route = plain(raw)
            if route is None:
                continue
            params = list(PARAM.finditer(route))
            int_params = [p for p in params if p["converter"] == "int"]
            other = {p["name"]: SLUGS.get(p["name"], "x") for p in params if p not in int_params}
            id_values = self.ids(route) if int_params else [""]
            for value in id_values:
                url = route
                for p in params:
                    url = url.replace(p[0], value if p in int_params else other[p["name"]], 1)
                # Queries are tried on the real object; the odd ids need only the address.
                yield "/" + url, value == id_values[0]

    def assert_no_server_error(self, response, what: str) -> None:
        self.assertLess(response.status_code, 500, what)

    def sweep_gets(self, person) -> int:
        self.client.force_login(person.user)
        tried = 0
        for url, with_queries in self.urls():
            if url.startswith(SKIPPED):
                continue
            for query in ["", *QUERIES] if with_queries else [""]:
                with self.subTest(who=person.name, url=url, query=query):
                    response = self.client.get(f"{url}?{query}")
                    self.assert_no_server_error(response, f"GET {url}?{query}")
                    tried += 1
        return tried

    def test_no_page_export_drill_down_or_api_list_gives_a_server_error_to_an_admin(self):
        self.assertGreater(self.sweep_gets(self.admin), 500)

    def test_no_api_write_to_an_odd_id_gives_a_server_error(self):
        self.client.force_login(self.admin.user)
        tried = 0
        for raw, _pattern in walk(get_resolver().url_patterns):
            route = plain(raw)
            if route is None or not route.startswith("api/") or "<int:pk>" not in route:
                continue
            base = "/" + route.split("<int:pk>")[0]
            for pk in ("abc", "1.5", "%C2%B2", HUGE, HUGER, "-1"):
                for method in ("get", "put", "patch", "delete"):
                    with self.subTest(url=base, pk=pk, method=method):
                        call = getattr(self.client, method)
                        response = call(f"{base}{pk}/", {}, content_type="application/json")
                        self.assert_no_server_error(response, f"{method} {base}{pk}/")
                        tried += 1
        self.assertGreater(tried, 0)

    def test_no_form_post_with_huge_ids_or_out_of_range_dates_gives_a_server_error(self):
        self.client.force_login(self.admin.user)
        fields = ("person", "team", "manager", "parent", "metric_key", "kind", "role", "ramp")
        data = {name: HUGE for name in fields}
        dates = ("day", "until", "role_since", "effective", "start", "end", "date")
        data.update({name: "9999-12-31" for name in dates})
        data.update({"name": "N\x07", "target": HUGER, "period_kind": "year", "email": "a@b.c"})
        tried = 0
        for url, with_queries in self.urls():
            if url.startswith((*SKIPPED, "/api/")) or not with_queries:
                continue
            with self.subTest(url=url):
                self.assert_no_server_error(self.client.post(url, data), f"POST {url}")
                tried += 1
        self.assertGreater(tried, 20)

    def test_the_team_export_of_names_with_control_characters_opens_as_xlsx(self):
        self.client.force_login(self.admin.user)
        month = period_of(PeriodKind.MONTH, dt.date(2026, 1, 5))
        response = self.client.get(
            f"/teams/{self.team.pk}/dashboard/export.xlsx?kind=month&date={month.start}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
