"""Pages: the organisation's diagnosis runs, with a live one's progress (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from followthrough.diagnostics import diagnose, rights
from followthrough.diagnostics.models import Run
from followthrough.web.decorators import person_required

SHOWN = 20


def _admin(request) -> None:
    if not rights.can_run(request.person):
        raise PermissionDenied


@person_required
@require_http_methods(["GET", "POST"])
def runs_page(request):
    _admin(request)
    org = request.person.organisation
    if request.method == "POST":
        run = diagnose.request_run(org, by=request.person)
        messages.success(request, _("The run is queued; this page follows its progress."))
        return redirect(f"{request.path}#run-{run.pk}")
    diagnose.abandon_stalled(org)
    runs = list(Run.objects.filter(organisation=org).select_related("requested_by")[:SHOWN])
    live = next((run for run in runs if run.status in ("queued", "running")), None)
    return render(
        request,
        "diagnostics/runs.html",
        {"section": "runs", "runs": runs, "live": live, "steps": diagnose.STEPS},
    )


@person_required
@require_GET
def run_status(request, pk: int):
    """The part of the runs page that htmx polls while a run goes on."""
    _admin(request)
    run = get_object_or_404(Run, pk=pk, organisation_id=request.person.organisation_id)
    return render(request, "diagnostics/runs.html#live", {"live": run, "steps": diagnose.STEPS})
