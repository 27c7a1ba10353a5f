"""Pages: CRM hygiene (each rep their own list, a manager their team's) and the integrity
signals (the rep's line and admins only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from followthrough.diagnostics import hygiene, integrity, rights
from followthrough.diagnostics import hygiene_report as report
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.web.decorators import person_required


def _teams(me):
    if me.role not in rights.MANAGING:
        return []
    return list(access.visible_teams(me).order_by("name"))


@person_required
def hygiene_page(request):
    me = request.person
    today = today_for(me.organisation)
    error, team = "", None
    try:
        team = report.choose_team(me, request.GET)
    except report.TeamError as refused:
        error = str(refused)
    found = report.hygiene_for(me, today, team)
    context = {
        "section": "hygiene",
        "today": today,
        "team": team,
        "teams": _teams(me),
        "error": error,
        "report": found,
        "rules": [(rule, found.totals[rule.value]) for rule in hygiene.Rule],
        "chart": report.chart(found.history),
        "own": me.role == "rep",
        "limits_note": _(
            "Thresholds are the team's settings: days without activity, and how many times "
            "the team's median won cycle a deal may stay open."
        ),
    }
    return render(request, "diagnostics/hygiene.html", context, status=400 if error else 200)


@person_required
def integrity_page(request):
    me = request.person
    if not rights.sees_integrity(me):
        raise PermissionDenied(_("Integrity signals are for managers."))
    today = today_for(me.organisation)
    error, team = "", None
    try:
        team = report.choose_team(me, request.GET)
    except report.TeamError as refused:
        error = str(refused)
    found = report.integrity_for(me, today, team)
    reps = [
        {
            "person": person,
            "rep": rep,
            "flagged": [kind.label for kind in rep.flagged],
            "signals": report.signal_rows(rep),
        }
        for person, rep in found.reps
    ]
    context = {
        "section": "integrity",
        "today": today,
        "team": team,
        "teams": _teams(me),
        "error": error,
        "reps": reps,
        "flagged": [r for r in reps if r["flagged"]],
        "others": [r for r in reps if not r["flagged"] and r["signals"]],
        "kinds": list(integrity.Kind),
        "lookback": integrity.LOOKBACK_DAYS,
    }
    return render(request, "diagnostics/integrity.html", context, status=400 if error else 200)
