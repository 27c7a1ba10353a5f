"""Pages: onboarding and certification programs, enrolments, the cohort and time to ramp."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.assessments.texts import shown
from followthrough.audit.display import describe
from followthrough.audit.registry import history_for
from followthrough.coaching.forms_commitments import with_errors
from followthrough.coaching.rights import MANAGING_ROLES
from followthrough.goals.catalog import metrics_of
from followthrough.goals.ramp import share_on
from followthrough.goals.targets import settings_for
from followthrough.people.lines import today_for
from followthrough.people.models import Role
from followthrough.programs import charts, enrolments, progress, rights, starter
from followthrough.programs.forms import (
    CertificationForm,
    EnrolForm,
    MilestoneForm,
    ProgramForm,
    TrainingForm,
)
from followthrough.programs.models import (
    Enrolment,
    EnrolmentStatus,
    Milestone,
    MilestoneCompletion,
    MilestoneKind,
    Program,
)
from followthrough.web.decorators import person_required

RAMP_ROLES = (Role.LEADER, Role.ADMIN)


def _program(request, pk: int) -> Program:
    return get_object_or_404(Program, pk=pk, organisation_id=request.person.organisation_id)


def _editor(request) -> None:
    if not rights.can_edit_standards(request.person):
        raise PermissionDenied


def _metric_names(org) -> dict[str, str]:
    return {key: metric.label for key, metric in metrics_of(org).items()}


def phases(milestones) -> list[tuple[int, list]]:
    """Milestones (or steps) grouped 30/60/90 in due order; 0 holds those after day 90."""
    groups: dict[int, list] = {}
    for item in milestones:
        day = item.milestone.due_day if hasattr(item, "milestone") else item.due_day
        groups.setdefault(progress.phase_of(day), []).append(item)
    return sorted(groups.items(), key=lambda pair: pair[0] or 10_000)


# Programs


@person_required
def program_list(request):
    me = request.person
    programs = (
        Program.objects.filter(organisation_id=me.organisation_id)
        .annotate(
            milestone_count=Count("milestones", distinct=True),
            enrolled=Count("enrolments", distinct=True),
        )
        .order_by("-is_active", "name", "pk")
    )
    context = {
        "programs": programs,
        "can_edit": rights.can_edit_standards(me),
        "manages": me.role in MANAGING_ROLES,
        "ramp": me.role in RAMP_ROLES,
        "tab": "programs",
    }
    return render(request, "programs/list.html", context)


@person_required
def program_detail(request, pk: int):
    me = request.person
    program = _program(request, pk)
    milestones = list(
        program.milestones.select_related("template").order_by("due_day", "position", "pk")
    )
    history = []
    if rights.can_edit_standards(me):
        history = describe(history_for(program).select_related("content_type")[:30])
    context = {
        "program": program,
        "phases": phases(milestones),
        "metric_names": _metric_names(me.organisation),
        "can_edit": rights.can_edit_standards(me),
        "manages": me.role in MANAGING_ROLES,
        "entries": history,
        "tab": "programs",
    }
    return render(request, "programs/detail.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def program_new(request):
    _editor(request)
    me = request.person
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = form.save(commit=False)
        program.organisation_id = me.organisation_id
        program.save()
        messages.success(request, _("Program created. Add its milestones."))
        return redirect("program_detail", program.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/program_form.html", {"form": form}, status=status)


@person_required
@require_POST
def program_from_starter(request):
    _editor(request)
    try:
        program = starter.create_starter_program(request.person.organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("program_list")
    messages.success(request, _("The 30/60/90-day plan is ready: adapt it to your team."))
    return redirect("program_detail", program.pk)


def _keep_starter_texts(instance, originals: dict[str, str]) -> None:
    """A starter text saved unchanged stays the msgid, so every reader keeps their language."""
    for name, original in originals.items():
        if getattr(instance, name) == shown(original):
            setattr(instance, name, original)


@person_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk: int):
    _editor(request)
    program = _program(request, pk)
    originals = {"name": program.name, "description": program.description}
    if request.method == "GET" and program.starter:
        # Starter texts are msgids: show them in the editor's language.
        program.name, program.description = shown(program.name), shown(program.description)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        program = form.save(commit=False)
        if program.starter:
            _keep_starter_texts(program, originals)
        program.save()
        messages.success(request, _("Program saved."))
        return redirect("program_detail", program.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "program": program}
    return render(request, "programs/program_form.html", context, status=status)


@person_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk: int, milestone: int | None = None):
    _editor(request)
    me = request.person
    program = _program(request, pk)
    instance = Milestone(program=program, organisation_id=program.organisation_id)
    originals: dict[str, str] = {}
    if milestone is not None:
        instance = get_object_or_404(Milestone, pk=milestone, program=program)
        originals = {"name": instance.name, "definition_of_done": instance.definition_of_done}
        if request.method == "GET" and program.starter:
            instance.name = shown(instance.name)
            instance.definition_of_done = shown(instance.definition_of_done)
    form = MilestoneForm(request.POST or None, instance=instance, org=me.organisation)
    if request.method == "POST" and form.is_valid():
        changed = form.save(commit=False)
        if program.starter:
            _keep_starter_texts(changed, originals)
        try:
            enrolments.save_milestone(changed)
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("Milestone saved."))
            return redirect("program_detail", program.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "program": program, "milestone": instance if milestone else None}
    return render(request, "programs/milestone_form.html", context, status=status)


@person_required
@require_http_methods(["GET", "POST"])
def enrol(request, pk: int):
    me = request.person
    program = _program(request, pk)
    if me.role not in MANAGING_ROLES:
        raise PermissionDenied
    form = EnrolForm(request.POST or None, viewer=me)
    if request.method == "GET":
        chosen = form.fields["person"].queryset.filter(pk=request.GET.get("person") or 0).first()
        if chosen is not None:
            form.initial = {
                "person": chosen.pk,
                "start": chosen.role_since or today_for(me.organisation),
            }
        else:
            form.initial = {"start": today_for(me.organisation)}
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        if not rights.can_enrol(me, person):
            raise PermissionDenied
        try:
            enrolment = enrolments.enrol(
                person=person, program=program, start=form.cleaned_data["start"], by=me
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("%(name)s is enrolled.") % {"name": person.name})
            return redirect("enrolment_detail", enrolment.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "program": program}
    return render(request, "programs/enrol.html", context, status=status)


# Enrolments


def _ramp_share(person, today):
    """The ramp's share of the full target this month, while it is below 100 %."""
    shares = settings_for(person.organisation).ramp_shares
    share = share_on(shares, person.role_since, today) * 100
    return share if share < 100 else None


@person_required
def my_onboarding(request):
    me = request.person
    org = me.organisation
    today = today_for(org)
    rows = list(
        Enrolment.objects.filter(person=me)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("program", "person")
        .order_by("-start", "pk")
    )
    progress.sync_metric_milestones(org, rows, today)
    context = {
        "cards": [(p, phases(p.steps)) for p in progress.progress_of(rows, today)],
        "today": today,
        "ramp_share": _ramp_share(me, today) if me.role_since else None,
        "metric_names": _metric_names(org),
        "mine": True,
        "tab": "mine",
    }
    return render(request, "programs/mine.html", context)


def _enrolment(request, pk: int) -> Enrolment:
    me = request.person
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("person__organisation", "program"),
        pk=pk,
        organisation_id=me.organisation_id,
    )
    if not rights.can_view_enrolment(me, enrolment):
        raise PermissionDenied
    return enrolment


@person_required
def enrolment_detail(request, pk: int):
    me = request.person
    enrolment = _enrolment(request, pk)
    org = me.organisation
    today = today_for(org)
    progress.sync_metric_milestones(org, [enrolment], today)
    state = progress.progress_of([enrolment], today)[0]
    for step in state.steps:
        step.can_complete = (
            not step.is_done
            and enrolment.status == EnrolmentStatus.ACTIVE
            and step.milestone.kind != MilestoneKind.METRIC
            and rights.can_complete(me, enrolment, step.milestone.kind)
        )
    context = {
        "progress": state,
        "enrolment": enrolment,
        "phases": phases(state.steps),
        "today": today,
        "ramp_share": _ramp_share(enrolment.person, today) if enrolment.person.role_since else None,
        "metric_names": _metric_names(org),
        "mine": enrolment.person_id == me.pk,
        "can_withdraw": rights.can_enrol(me, enrolment.person)
        and enrolment.status == EnrolmentStatus.ACTIVE,
        "entries": describe(history_for(enrolment).select_related("content_type")[:30]),
    }
    return render(request, "programs/enrolment.html", context)


def _open_step(request, pk: int, milestone: int, kind: str):
    enrolment = _enrolment(request, pk)
    step = get_object_or_404(Milestone, pk=milestone, program_id=enrolment.program_id, kind=kind)
    if not rights.can_complete(request.person, enrolment, kind):
        raise PermissionDenied
    return enrolment, step


def _already_done(request, enrolment: Enrolment, step: Milestone) -> bool:
    if MilestoneCompletion.objects.filter(enrolment=enrolment, milestone=step).exists():
        messages.info(request, _("This milestone is already done."))
        return True
    return False


@person_required
@require_http_methods(["GET", "POST"])
def training_done(request, pk: int, milestone: int):
    me = request.person
    enrolment, step = _open_step(request, pk, milestone, MilestoneKind.TRAINING)
    if _already_done(request, enrolment, step):
        return redirect("enrolment_detail", enrolment.pk)
    today = today_for(me.organisation)
    form = TrainingForm(request.POST or None, initial={"done_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            enrolments.complete_training(
                enrolment,
                step,
                by=me,
                evidence=form.cleaned_data["evidence"],
                done_on=form.cleaned_data["done_on"],
                today=today,
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("Checked off."))
            return redirect("enrolment_detail", enrolment.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "enrolment": enrolment,
        "milestone": step,
        "due": progress.due_date(enrolment.start, step),
    }
    return render(request, "programs/training_done.html", context, status=status)


@person_required
@require_http_methods(["GET", "POST"])
def certify(request, pk: int, milestone: int):
    me = request.person
    enrolment, step = _open_step(request, pk, milestone, MilestoneKind.CERTIFICATION)
    if step.template is None:
        raise Http404
    if _already_done(request, enrolment, step):
        return redirect("enrolment_detail", enrolment.pk)
    today = today_for(me.organisation)
    form = CertificationForm(request.POST or None, template=step.template)
    if request.method == "POST" and form.is_valid():
        try:
            result = enrolments.certify(
                enrolment,
                step,
                by=me,
                ratings=form.ratings(),
                today=today,
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            if result.passed:
                messages.success(request, _("Certification passed and signed off."))
            else:
                messages.warning(
                    request,
                    _(
                        "Not passed yet: every competency needs at least the middle level. "
                        "The ratings are kept; certify again when ready."
                    ),
                )
            return redirect("enrolment_detail", enrolment.pk)
    middle = step.template.levels[enrolments.passing_index(step.template.levels)]
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "enrolment": enrolment,
        "milestone": step,
        "due": progress.due_date(enrolment.start, step),
        "middle": shown(middle["label"]),
    }
    return render(request, "programs/certify.html", context, status=status)


@person_required
@require_POST
def enrolment_withdraw(request, pk: int):
    enrolment = _enrolment(request, pk)
    if not rights.can_enrol(request.person, enrolment.person):
        raise PermissionDenied
    try:
        enrolments.withdraw(enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Withdrawn from the program."))
    return redirect("enrolment_detail", enrolment.pk)


# The cohort and time to ramp


@person_required
def cohort(request):
    me = request.person
    if me.role not in MANAGING_ROLES:
        raise PermissionDenied
    org = me.organisation
    today = today_for(org)
    rows = list(
        progress.visible_enrolments(me)
        .exclude(person=me)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person", "program")
        .order_by("program__name", "program_id", "-start", "person__name")
    )
    progress.sync_metric_milestones(org, rows, today)
    grids: dict[int, dict] = {}
    for state in progress.progress_of(rows, today):
        program = state.enrolment.program
        grid = grids.setdefault(
            program.pk,
            {"program": program, "milestones": [s.milestone for s in state.steps], "rows": []},
        )
        grid["rows"].append(state)
    context = {
        "grids": list(grids.values()),
        "today": today,
        "ramp": me.role in RAMP_ROLES,
        "tab": "cohort",
    }
    return render(request, "programs/cohort.html", context)


@person_required(roles=RAMP_ROLES)
def ramp(request):
    me = request.person
    org = me.organisation
    today = today_for(org)
    programs = list(Program.objects.filter(organisation=org).order_by("name"))
    chosen = next((p for p in programs if str(p.pk) == request.GET.get("program")), None)
    if chosen is None and programs:
        chosen = programs[0]
    visible = progress.visible_enrolments(me).exclude(person=me)
    scope = list(visible.exclude(status=EnrolmentStatus.WITHDRAWN))
    progress.sync_metric_milestones(org, scope, today)
    cohorts = []
    if chosen is not None:
        cohorts = progress.time_to_ramp(
            org,
            person_ids=visible.values_list("person_id", flat=True),
            program_id=chosen.pk,
            today=today,
        )
    context = {
        "programs": programs,
        "chosen": chosen,
        "cohorts": cohorts,
        "chart": charts.ramp_chart(cohorts),
        "today": today,
        "tab": "ramp",
    }
    return render(request, "programs/ramp.html", context)
