"""Pages of the follow-through: managers (their scorecard, the leaders' comparison) and
the personal calendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from followthrough.coaching import feeds
from followthrough.coaching import managerscore as ms
from followthrough.coaching.managers_rights import (
    COMPARING_ROLES,
    MANAGER_ROLES,
    can_view_manager_scorecard,
    comparable_manager_ids,
)
from followthrough.lib.periods import shift
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Person
from followthrough.scorecards.choosing import choose, period_query
from followthrough.web.decorators import person_required

RECORDS_PER_PAGE = 100
SORT_NAME = "name"


@dataclass(frozen=True)
class Cell:
    """One figure as a page shows it: its words, its bar and where its records are."""

    figure: ms.Figure
    label: str
    definition: str
    records_url: str

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def percent(self) -> Decimal | None:
        """Shares as whole percentages, for the bars."""
        if self.figure.value is None or not self.figure.is_share:
            return None
        return min(self.figure.value * 100, Decimal(100))


def _cells(card: ms.ManagerScorecard, query: str) -> list[Cell]:
    return [
        Cell(
            card[key],
            str(ms.LABELS[key]),
            str(ms.DEFINITIONS[key]),
            reverse("manager_records", args=[card.manager.pk, key]) + "?" + query,
        )
        for key in ms.FIGURES
    ]


def _choice(request, org):
    choice = choose(request.GET, today_for(org), org.fiscal_year_start_month)
    if choice.notices:
        messages.warning(request, " ".join(choice.notices))
    return choice


def _manager(request, pk: int) -> Person:
    me = request.person
    manager = get_object_or_404(Person, pk=pk, organisation=me.organisation)
    if not can_view_manager_scorecard(me, manager):
        raise PermissionDenied
    if manager.role not in MANAGER_ROLES:
        raise Http404
    return manager


@person_required
def manager_scorecard(request, pk: int):
    """A manager's follow-through for a period: what a manager's "My scorecard" shows."""
    me = request.person
    manager = _manager(request, pk)
    org = manager.organisation
    choice = _choice(request, org)
    period, today = choice.period, today_for(org)
    card = ms.manager_scorecard(manager, period, today)
    query = period_query(period)
    context = {
        "card": card,
        "manager": manager,
        "cells": _cells(card, query),
        "period": period,
        "period_day": choice.day,
        "query": query,
        "previous": period_query(shift(period, -1)),
        "next": period_query(shift(period, 1)),
        "is_me": manager.pk == me.pk,
        "kpis_url": reverse("person_scorecard", args=[manager.pk]) + "?" + query
        if access.can_view_person(me, manager)
        else "",
        "compare_url": reverse("managers") if me.role in COMPARING_ROLES else "",
        "guidance": ms.GUIDANCE_HOURS,
    }
    return render(request, "coaching/managers/scorecard.html", context)


@person_required
def manager_records(request, pk: int, key: str):
    """The records behind one figure; a rep sees only the rows about records they may see."""
    if key not in ms.FIGURES:
        raise Http404
    me = request.person
    manager = _manager(request, pk)
    org = manager.organisation
    period, today = _choice(request, org).period, today_for(org)
    card = ms.manager_scorecard(manager, period, today)
    records = ms.figure_records(card, key, today)
    visible = access.visible_person_ids(me)
    rows = [row for row in records.rows if _may_see(row.record, visible)]
    page = Paginator(rows, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    query = period_query(period)
    team_records = ""
    if key == ms.ATTAINMENT and card.team and card[key].note:
        if access.can_view_team(me, card.team):
            team_records = (
                reverse("team_records", args=[card.team.pk, card[key].note]) + "?" + query
            )
    context = {
        "card": card,
        "manager": manager,
        "key": key,
        "figure": records.figure,
        "label": ms.LABELS[key],
        "definition": ms.DEFINITIONS[key],
        "rows": page,
        "page": page,
        "hidden": len(records.rows) - len(rows),
        "period": period,
        "query": query,
        "back_url": reverse("manager_scorecard", args=[manager.pk]) + "?" + query,
        "team_records": team_records,
    }
    return render(request, "coaching/managers/records.html", context)


def _may_see(record, visible: set[int] | None) -> bool:
    if visible is None:
        return True
    person_id = next(
        (
            getattr(record, name)
            for name in ("rep_id", "owner_id")
            if getattr(record, name, None) is not None
        ),
        None,
    )
    return person_id in visible


@person_required(roles=COMPARING_ROLES)
def managers(request):
    """Leaders and admins compare the managers below them, figure by figure."""
    me = request.person
    org = me.organisation
    choice = _choice(request, org)
    period, today = choice.period, today_for(org)
    ids = comparable_manager_ids(me)
    cards = ms.manager_scorecards(org, ids, period, today)
    sort = request.GET.get("sort", SORT_NAME)
    descending = request.GET.get("dir") == "desc"
    ordered = _sorted(list(cards.values()), sort, descending)
    query = period_query(period)
    rows = [(card, _cells(card, query)) for card in ordered]
    context = {
        "rows": rows,
        "columns": [(key, ms.LABELS[key]) for key in ms.FIGURES],
        "sort": sort if sort in ms.FIGURES else SORT_NAME,
        "descending": descending,
        "period": period,
        "period_day": choice.day,
        "query": query,
        "previous": period_query(shift(period, -1)),
        "next": period_query(shift(period, 1)),
        "chart": _chart(ordered),
        "guidance": ms.GUIDANCE_HOURS,
    }
    return render(request, "coaching/managers/compare.html", context)


def _sorted(cards: list, sort: str, descending: bool) -> list:
    by_name = sorted(cards, key=lambda c: c.manager.name.lower())
    if sort not in ms.FIGURES:
        return list(reversed(by_name)) if descending else by_name
    present = [c for c in by_name if c[sort].value is not None]
    missing = [c for c in by_name if c[sort].value is None]
    present.sort(key=lambda c: c[sort].value, reverse=descending)
    # Managers without the figure go last whichever way the column is sorted.
    return present + missing


def _chart(cards: list) -> dict:
    """Coaching hours per rep per month and 1:1s held, per manager, for a bar chart."""
    if not cards:
        return {}

    def number(value, scale=1):
        return None if value is None else round(float(value) * scale, 1)

    return {
        "labels": [c.manager.name for c in cards],
        "hours": [number(c[ms.COACHING_TIME].value) for c in cards],
        "held": [number(c[ms.ONE_ON_ONES].value, 100) for c in cards],
        "low": float(ms.GUIDANCE_HOURS[0]),
        "high": float(ms.GUIDANCE_HOURS[1]),
        "names": {
            "hours": _("Coaching hours per rep per month"),
            "held": _("1:1s held (%)"),
            "guidance": _("Guidance: 3-5 hours"),
        },
    }


# ---------------------------------------------------------------- calendar feed


@person_required
@require_http_methods(["GET", "POST"])
def calendar(request):
    """The person's own feed address, to copy, regenerate or revoke."""
    me = request.person
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            feeds.revoke(me)
            messages.success(request, _("Your calendar address no longer works."))
        elif action == "regenerate":
            feeds.regenerate(me)
            messages.success(
                request,
                _("Your calendar has a new address: the old one no longer works."),
            )
        else:
            messages.error(request, _("Choose what to do with your calendar address."))
        return redirect("calendar")
    feed = feeds.feed_of(me)
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""
    return render(request, "coaching/managers/calendar.html", {"feed": feed, "feed_url": url})


def calendar_feed(request, token: str):
    """The secret feed: no login, the token is the key; an unknown or revoked one is a 404."""
    person = feeds.person_for_token(token)
    if person is None:
        raise Http404
    body = feeds.build_feed(person, timezone.now())
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="followthrough.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
