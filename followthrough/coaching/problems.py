""" "I'm stuck": a rep raises a problem on a deal, a goal, or in general, at any time.

It reaches the rep's current manager at once (a notification) and goes on their
next 1:1's agenda (the agenda reads open problems; `Problem.manager` says whose).
Raising a problem early is good practice: it counts on the rep's side as
follow-through, never as a failure, and the pages say so (see `earliness`).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from followthrough.coaching import rights
from followthrough.coaching.models import NotificationKind, Problem, ProblemStatus
from followthrough.coaching.notifications import notify
from followthrough.crm.models import Activity, Deal
from followthrough.goals.models import Goal
from followthrough.people.lines import line_on, today_for
from followthrough.people.models import Person

# "Early": within the three weeks after which a quiet deal counts as stale anyway.
EARLY_DAYS = 21


def current_manager(rep: Person, day: dt.date | None = None) -> Person | None:
    line = line_on(rep, day or today_for(rep.organisation))
    return line.manager if line else None


def check_subject(rep: Person, deal: Deal | None, goal: Goal | None) -> None:
    """A problem is about one of the rep's own deals or goals, or about nothing in particular."""
    if deal is not None and goal is not None:
        raise ValidationError({"goal": _("Choose a deal or a goal, not both.")})
    if deal is not None and (
        deal.organisation_id != rep.organisation_id or deal.owner_id != rep.pk
    ):
        raise ValidationError({"deal": _("Choose one of your own deals.")})
    if goal is not None and (
        goal.organisation_id != rep.organisation_id or goal.person_id != rep.pk
    ):
        raise ValidationError({"goal": _("Choose one of your own goals.")})


def default_text(deal: Deal | None, goal: Goal | None) -> str:
    if deal is not None:
        return _("I'm stuck on the deal %(deal)s.") % {"deal": deal}
    if goal is not None:
        return _("I'm stuck on a goal.")
    return _("I'm stuck and would like your help.")


def raise_problem(
    *,
    by: Person,
    rep: Person,
    text: str = "",
    deal: Deal | None = None,
    goal: Goal | None = None,
    now: dt.datetime | None = None,
) -> Problem:
    """The rep's own problem, sent to their current manager at once."""
    if not rights.can_raise_problem(by, rep):
        raise PermissionDenied("Only the rep raises their own problem.")
    check_subject(rep, deal, goal)
    now = now or timezone.now()
    manager = current_manager(rep, _local_day(rep, now))
    problem = Problem(
        organisation_id=rep.organisation_id,
        rep=rep,
        manager=manager,
        text=(text or "").strip() or default_text(deal, goal),
        deal=deal,
        goal=goal,
        raised_at=now,
    )
    problem.full_clean()
    problem.save()
    if manager is not None:
        notify(
            manager,
            NotificationKind.PROBLEM_RAISED,
            actor=rep,
            url=reverse("problems") + f"#problem-{problem.pk}",
            excerpt=problem.text,
        )
    return problem


def resolve_problem(
    problem: Problem, *, by: Person, resolution: str, now: dt.datetime | None = None
) -> Problem:
    if not rights.can_resolve_problem(by, problem):
        raise PermissionDenied("You may not resolve this problem.")
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how it was resolved.")})
    problem.status = ProblemStatus.RESOLVED
    problem.resolution = resolution.strip()
    problem.resolved_at = now or timezone.now()
    problem.save()
    return problem


def visible_problems(viewer: Person) -> QuerySet[Problem]:
    return Problem.objects.filter(rights.visible_filter(viewer, "rep"))


def open_problems_for(manager: Person) -> QuerySet[Problem]:
    """What goes on the manager's next agendas: their reps' open problems."""
    return Problem.objects.filter(manager=manager, status=ProblemStatus.OPEN)


def _local_day(person: Person, moment: dt.datetime) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(person.organisation.timezone)).date()


@dataclass(frozen=True)
class Earliness:
    """How early a problem was raised, said as the good practice it is."""

    days: int | None
    text: str
    early: bool


def quiet_since(problems: list[Problem]) -> dict[int, dt.date]:
    """Deal id -> the day of its last activity (one query for every deal of the list)."""
    deal_ids = {p.deal_id for p in problems if p.deal_id}
    if not deal_ids:
        return {}
    rows = (
        Activity.objects.filter(deal_id__in=deal_ids)
        .values("deal_id")
        .annotate(last=Max("occurred_on"))
        .values_list("deal_id", "last")
    )
    return dict(rows)


def earliness(problem: Problem, last_activity: dt.date | None) -> Earliness:
    """'raised 2 days after the deal went quiet — good': never a red mark."""
    raised = _local_day(problem.rep, problem.raised_at)
    since = None
    if problem.deal_id:
        since = last_activity or problem.deal.created_on
        if since is not None and since > raised:
            since = None
        if since is not None:
            days = (raised - since).days
            text = ngettext(
                "Raised %(days)s day after the deal went quiet: good, that is early.",
                "Raised %(days)s days after the deal went quiet: good, that is early.",
                days,
            )
            if days > EARLY_DAYS:
                text = ngettext(
                    "Raised %(days)s day after the deal went quiet: raising it is the right call.",
                    "Raised %(days)s days after the deal went quiet: raising it is the right call.",
                    days,
                )
            return Earliness(days, text % {"days": days}, days <= EARLY_DAYS)
    if problem.goal_id:
        goal = problem.goal
        if goal.start <= raised <= goal.end:
            days = (raised - goal.start).days
            text = ngettext(
                "Raised %(days)s day into the goal's period: good, there is time to act.",
                "Raised %(days)s days into the goal's period: good, there is time to act.",
                days,
            )
            return Earliness(days, text % {"days": days}, True)
    return Earliness(None, _("Raising a problem early is good practice."), True)
