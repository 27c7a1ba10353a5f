"""Pages of the follow-through: accountability agreements and the escalation ladder."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from followthrough.audit.display import describe
from followthrough.audit.registry import history_for
from followthrough.coaching import agreements, ladder, rights
from followthrough.coaching.forms_agreements import (
    AgreementForm,
    Decision,
    LadderOpenForm,
    LadderReviewForm,
    add_errors,
)
from followthrough.coaching.models import Acknowledgement, Agreement, LadderStep, Step
from followthrough.coaching.starter import starter_text
from followthrough.lib.ids import parse_id
from followthrough.lib.validators import validate_supported_day
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Role, Team, TeamKind
from followthrough.web.decorators import person_required

MANAGING = tuple(rights.MANAGING_ROLES)
# How far back the ladder's usage looks unless the leader chooses.
USAGE_DAYS = 365


# --- Agreements ---------------------------------------------------------------------


@person_required
@require_http_methods(["GET", "POST"])
def agreement(request):
    """The viewer's own agreement with its acknowledgement; for managers, the ones they keep."""
    me = request.person
    if request.method == "POST":
        return _acknowledge(request, me)
    current = agreements.current_for(me)
    earlier = []
    if current is not None:
        scope = {"rep": current.rep} if current.rep_id else {"team": current.team}
        earlier = list(agreements.versions_of(**scope).exclude(pk=current.pk)[:20])
    statuses, rep_agreements = [], []
    if me.role != Role.REP:
        statuses = [
            status
            for status in agreements.team_statuses(me.organisation, agreements.settable_teams(me))
            # A region that holds no rep directly and has no agreement is only in the way.
            if status.covered or status.agreement or status.team.kind != TeamKind.REGION
        ]
        rep_agreements = _rep_agreements(me)
    context = {
        "current": current,
        "earlier": earlier,
        "statuses": statuses,
        "rep_agreements": rep_agreements,
        "can_set": me.role in MANAGING,
    }
    return render(request, "coaching/agreements/agreement.html", context)


def _rep_agreements(viewer: Person) -> list[Agreement]:
    """The latest agreement of each rep of the viewer's who has one of their own."""
    visible = Agreement.objects.filter(agreements.visible_filter(viewer), rep__isnull=False)
    visible = (
        visible.exclude(rep_id=viewer.pk).select_related("rep").order_by("rep__name", "-version")
    )
    latest: dict[int, Agreement] = {}
    for row in visible[:500]:
        latest.setdefault(row.rep_id, row)
    acked = set(
        Acknowledgement.objects.filter(
            agreement_id__in=[a.pk for a in latest.values()]
        ).values_list("agreement_id", flat=True)
    )
    for row in latest.values():
        row.acknowledged = row.pk in acked
    return list(latest.values())


def _acknowledge(request, me: Person):
    target = Agreement.objects.filter(
        organisation_id=me.organisation_id, pk=parse_id(request.POST.get("agreement")) or 0
    ).first()
    if target is None:
        messages.error(request, _("This agreement does not cover you."))
        return redirect("agreement")
    try:
        agreements.acknowledge(target, me)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("agreement")
    messages.success(request, _("Thank you: the agreement is acknowledged."))
    return redirect("agreement")


@person_required
def team_agreement(request, pk: int):
    me = request.person
    team = get_object_or_404(Team, organisation_id=me.organisation_id, pk=pk)
    if not agreements.can_view_team_agreement(me, team):
        raise PermissionDenied
    versions = list(agreements.versions_of(team=team).select_related("created_by"))
    latest = versions[0] if versions else None
    rows = agreements.acknowledgement_rows(latest) if latest else []
    rep_agreements = [row for row in _rep_agreements(me) if row.team_id == team.pk]
    entries = []
    if versions:
        entries = describe(
            history_for(latest, Agreement.objects.filter(team=team, rep__isnull=True))
            .select_related("content_type")
            .order_by("-at")[:50]
        )
    context = {
        "team": team,
        "latest": latest,
        "versions": versions[1:],
        "rows": rows,
        "missing": sum(1 for row in rows if row.acknowledged_at is None),
        "rep_agreements": rep_agreements,
        "can_set": agreements.can_set_team_agreement(me, team),
        "entries": entries,
    }
    return render(request, "coaching/agreements/team_agreement.html", context)


@person_required(roles=MANAGING)
@require_http_methods(["GET", "POST"])
def agreement_edit(request):
    """A new version of a team's or a rep's agreement; the form starts from the current one."""
    me = request.person
    initial: dict = {}
    subject = _subject(me, request.GET)
    if subject is not None:
        initial[subject[0]] = subject[1].pk
        current = agreements.latest(**{subject[0]: subject[1]})
        if current is not None:
            for name in ("expectations", "self_report_interval", "cadence", "missed_goals"):
                initial[name] = getattr(current, name)
    starting = request.GET.get("starter") == "1"
    if starting:
        text = starter_text(get_language())
        initial.update(
            expectations=text.expectations,
            missed_goals=text.missed_goals,
            self_report_interval=text.self_report_interval,
            cadence=text.cadence,
        )
    form = AgreementForm(request.POST or None, viewer=me, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = form.save()
        except ValidationError as error:
            form.add_error("expectations", error.messages)
        else:
            messages.success(
                request,
                _("Version %(version)s saved: the reps it covers are asked to acknowledge it.")
                % {"version": saved.version},
            )
            if saved.rep_id is None:
                return redirect("team_agreement", saved.team_id)
            if saved.team_id and agreements.can_view_team_agreement(me, saved.team):
                return redirect("team_agreement", saved.team_id)
            return redirect("agreement")
    starter_url = "?" + urlencode(
        {**{k: v for k, v in request.GET.items() if k in ("team", "rep")}, "starter": "1"}
    )
    status = 400 if form.errors else 200
    context = {"form": form, "subject": subject, "starter_url": starter_url, "starting": starting}
    return render(request, "coaching/agreements/agreement_form.html", context, status=status)


def _subject(me: Person, params) -> tuple[str, object] | None:
    """The team or rep named in the address, if the viewer may set its agreement."""
    team_id, rep_id = parse_id(params.get("team")), parse_id(params.get("rep"))
    if team_id:
        team = Team.objects.filter(organisation_id=me.organisation_id, pk=team_id).first()
        if team is not None and agreements.can_set_team_agreement(me, team):
            return ("team", team)
    if rep_id:
        rep = Person.objects.filter(organisation_id=me.organisation_id, pk=rep_id).first()
        if rep is not None and agreements.can_set_rep_agreement(me, rep):
            return ("rep", rep)
    return None


# --- The ladder ---------------------------------------------------------------------


@person_required
def ladder_page(request):
    """The rep's own steps; for those above reps, their reports on the ladder by name."""
    me = request.person
    own = list(ladder.steps_of(me))
    context = {
        "own": own,
        "current": next((s for s in own if s.outcome == "open"), None),
        "reports": list(ladder.on_ladder(me)) if me.role != Role.REP else [],
        "can_open": me.role in MANAGING,
        "can_see_usage": ladder.can_see_usage(me),
    }
    return render(request, "coaching/agreements/ladder.html", context)


def _visible_step(me: Person, pk: int) -> LadderStep:
    step = get_object_or_404(
        LadderStep.objects.select_related("rep", "opened_by", "previous"),
        organisation_id=me.organisation_id,
        pk=pk,
    )
    if not rights.can_view_coaching(me, step.rep):
        # A peer does not learn that the step exists.
        raise PermissionDenied
    return step


@person_required
def ladder_step(request, pk: int):
    me = request.person
    step = _visible_step(me, pk)
    chain = []
    node = step.previous
    while node is not None and len(chain) < len(Step):
        chain.append(node)
        node = node.previous
    entries = describe(history_for(step).select_related("content_type").order_by("-at")[:50])
    context = {
        "step": step,
        "chain": chain,
        "can_review": step.outcome == "open" and rights.can_coach(me, step.rep),
        "entries": entries,
        "is_own": step.rep_id == me.pk,
    }
    return render(request, "coaching/agreements/ladder_step.html", context)


@person_required(roles=MANAGING)
@require_http_methods(["GET", "POST"])
def ladder_open(request):
    me = request.person
    initial = {}
    rep_id = parse_id(request.GET.get("rep"))
    if rep_id:
        initial["rep"] = rep_id
        rep = Person.objects.filter(organisation_id=me.organisation_id, pk=rep_id).first()
        current = ladder.open_step_of(rep) if rep is not None else None
        initial["step"] = current.step + 1 if current and current.step < Step.EXIT else 1
    if request.GET.get("step") in {str(step) for step in Step.values}:
        initial["step"] = int(request.GET["step"])
    form = LadderOpenForm(request.POST or None, viewer=me, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            step = form.save()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The step is open. The rep sees it and its plan."))
            return redirect("ladder_step", step.pk)
    status = 400 if form.errors else 200
    return render(request, "coaching/agreements/ladder_open.html", {"form": form}, status=status)


@person_required(roles=MANAGING)
@require_http_methods(["GET", "POST"])
def ladder_review(request, pk: int):
    me = request.person
    step = _visible_step(me, pk)
    if not rights.can_coach(me, step.rep):
        raise PermissionDenied
    if step.outcome != "open":
        messages.error(request, _("This step has ended; its record stays as it is."))
        return redirect("ladder_step", step.pk)
    form = LadderReviewForm(request.POST or None, viewer=me, step=step)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            add_errors(form, error)
        else:
            if form.cleaned_data["decision"] == Decision.MOVE_UP:
                messages.success(request, _("Review recorded. Now write the next step's plan."))
                query = urlencode({"rep": step.rep_id, "step": step.step + 1})
                return redirect(f"{reverse('ladder_open')}?{query}")
            messages.success(request, _("Review recorded."))
            return redirect("ladder_step", step.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "step": step}
    return render(request, "coaching/agreements/ladder_review.html", context, status=status)


class UsageForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_supported_day],
    )
    end = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_supported_day],
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", gettext_lazy("The end date is before the start date."))
        return data


@person_required(roles=(Role.LEADER, Role.ADMIN))
def ladder_usage(request):
    """How often each manager below the viewer opened each step: counts, in name order."""
    me = request.person
    today = today_for(me.organisation)
    form = UsageForm(request.GET or None)
    start, end = today - dt.timedelta(days=USAGE_DAYS), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    if not form.is_bound:
        form = UsageForm(initial={"start": start, "end": end})
    rows = ladder.usage(me, start, end) if not form.errors else []
    totals = [sum(row.counts[i] for row in rows) for i in range(len(Step))]
    context = {
        "form": form,
        "rows": rows,
        "steps": Step.choices,
        "totals": totals,
        "grand_total": sum(totals),
        "start": start,
        "end": end,
        "sees_all": access.visible_person_ids(me) is None,
    }
    return render(request, "coaching/agreements/ladder_usage.html", context)
