"""Contest pages: the list, the form, the page with standings and rules, open and close."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.audit.display import describe
from followthrough.audit.registry import history_for
from followthrough.goals.catalog import metrics_of
from followthrough.metrics import engine
from followthrough.motivation import rights
from followthrough.motivation.closing import (
    NotAllowed,
    close_contest,
    corrections,
    frozen,
    open_contest,
)
from followthrough.motivation.forms import ContestForm
from followthrough.motivation.models import Contest, ContestStatus
from followthrough.motivation.showing import lines_for, public_places
from followthrough.motivation.standings import standings
from followthrough.people.lines import today_for
from followthrough.web.decorators import person_required


def _visible_contest(me, pk: int) -> Contest:
    contests = Contest.objects.filter(organisation_id=me.organisation_id, pk=pk)
    contest = contests.select_related("eligible_team").first()
    if contest is None or not rights.can_view_contest(me, contest):
        raise Http404
    contest.organisation = me.organisation  # the same row: not read again
    return contest


@person_required
def contest_list(request):
    me = request.person
    contests = rights.visible_contests(me)
    metrics = metrics_of(me.organisation)
    for contest in contests:
        metric = metrics.get(contest.metric_key)
        contest.metric_name = metric.label if metric is not None else contest.metric_key
    groups = [
        (_("Running and coming up"), [c for c in contests if c.status == ContestStatus.OPEN]),
        (_("Drafts"), [c for c in contests if c.status == ContestStatus.DRAFT]),
        (_("Finished"), [c for c in contests if c.status == ContestStatus.CLOSED]),
    ]
    context = {
        "groups": [(title, items) for title, items in groups if items],
        "can_run": rights.can_run_contests(me),
        "section": "contests",
    }
    return render(request, "motivation/contest_list.html", context)


@person_required(roles=rights.RUNNERS)
@require_http_methods(["GET", "POST"])
def contest_edit(request, pk: int | None = None):
    me = request.person
    contest = None
    if pk is not None:
        contest = _visible_contest(me, pk)
        if not rights.can_change_contest(me, contest):
            raise PermissionDenied
        if contest.is_closed:
            messages.error(request, _("A closed contest keeps its rules and results."))
            return redirect("contest", pk=contest.pk)
    form = ContestForm(request.POST or None, instance=contest, viewer=me)
    if request.method == "POST" and form.is_valid():
        contest = form.save()
        messages.success(request, _("Contest saved."))
        return redirect("contest", pk=contest.pk)
    status = 400 if form.errors else 200
    history = []
    if contest is not None:
        history = describe(history_for(contest).select_related("content_type")[:50])
    context = {"form": form, "contest": contest, "entries": history, "section": "contests"}
    return render(request, "motivation/contest_form.html", context, status=status)


@person_required
def contest_detail(request, pk: int):
    me = request.person
    contest = _visible_contest(me, pk)
    metric = metrics_of(me.organisation).get(contest.metric_key)
    final = frozen(contest) if contest.is_closed else None
    fixes, current, lines, hidden = {}, None, [], 0
    if metric is not None:
        if final is not None:
            current, fixes = final, corrections(contest, final)
        else:
            current = standings(contest, today_for(me.organisation))
        lines, hidden = lines_for(current, me, fixes)
    context = {
        "contest": contest,
        "metric": metric,
        "standings": current,
        "lines": lines,
        "hidden": hidden,
        "public_places": public_places(current) if current else 0,
        "corrected": bool(fixes),
        "can_change": rights.can_change_contest(me, contest),
        "playing": rights.is_playing(me, contest),
        "currency": me.organisation.currency,
        "section": "contests",
    }
    return render(request, "motivation/contest_detail.html", context)


@person_required(roles=rights.RUNNERS)
@require_POST
def contest_status(request, pk: int, action: str):
    me = request.person
    contest = _visible_contest(me, pk)
    if not rights.can_change_contest(me, contest):
        raise PermissionDenied
    try:
        if action == "open":
            open_contest(contest)
            messages.success(request, _("The contest is open: its players see it now."))
        else:
            close_contest(contest)
            messages.success(request, _("The contest is closed and its results are frozen."))
    except NotAllowed:
        messages.error(request, _("The contest's status does not allow this."))
    except engine.UnknownMetric:
        messages.error(
            request, _("The contest's metric no longer exists: its results cannot be frozen.")
        )
    return redirect("contest", pk=contest.pk)
