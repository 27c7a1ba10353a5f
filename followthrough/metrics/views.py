"""Metric definition pages for admins: the list and the add/edit form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from followthrough.metrics.engine import describe
from followthrough.metrics.forms import MetricForm
from followthrough.metrics.models import Metric
from followthrough.people.models import Role
from followthrough.web.decorators import person_required

ADMIN_ONLY = (Role.ADMIN,)


@person_required(roles=ADMIN_ONLY)
def definitions(request):
    metrics = Metric.objects.filter(organisation=request.person.organisation).select_related(
        "numerator", "denominator"
    )
    rows = [(metric, describe(metric)) for metric in metrics]
    return render(request, "metrics/definitions.html", {"rows": rows})


@person_required(roles=ADMIN_ONLY)
def definition_edit(request, key: str | None = None):
    org = request.person.organisation
    metric = get_object_or_404(Metric, organisation=org, key=key) if key else None
    form = MetricForm(request.POST or None, instance=metric, organisation=org)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Metric %(name)s saved.") % {"name": saved.name})
        return redirect("metric_definitions")
    return render(request, "metrics/definition_form.html", {"form": form, "metric": metric})
