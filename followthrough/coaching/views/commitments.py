"""Pages of the follow-through: commitments, self-reports, "I'm stuck" and notifications."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Q, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.audit.display import describe
from followthrough.audit.registry import history_for
from followthrough.coaching import commitments as logic
from followthrough.coaching import notifications as notes
from followthrough.coaching import problems as stuck
from followthrough.coaching import rights, selfreports
from followthrough.coaching.forms_commitments import (
    CloseForm,
    CommitmentForm,
    ProblemForm,
    ResolveForm,
    ReviewForm,
    SelfReportForm,
    with_errors,
)
from followthrough.coaching.models import (
    Commitment,
    CommitmentStatus,
    Meeting,
    Notification,
    Problem,
    ProblemStatus,
    SelfReport,
)
from followthrough.goals.catalog import metrics_of
from followthrough.lib.ids import parse_id
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Role
from followthrough.web.decorators import person_required

PER_PAGE = 50


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _people_choices(viewer: Person, model, field: str) -> list[tuple[int, str]]:
    """The people the viewer sees on a list (one query): for the person filter."""
    ids = model.objects.filter(rights.visible_filter(viewer, field)).values(f"{field}_id")
    return list(
        Person.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name").distinct()
    )


def _metric_names(org) -> dict[str, str]:
    return {key: metric.label for key, metric in metrics_of(org).items()}


# Commitments


@person_required
def commitment_list(request):
    me = request.person
    today = today_for(me.organisation)
    query = logic.CommitmentQuery.from_params(request.GET)
    visible = logic.visible_commitments(me)
    rows = logic.filter_commitments(visible, query, today)
    # Open ones first, the most overdue on top; then the latest closed.
    rows = rows.select_related("owner", "meeting", "goal", "deal").order_by(
        Case(When(status=CommitmentStatus.OPEN, then=0), default=1),
        Case(When(status=CommitmentStatus.OPEN, then=F("due_on"))),
        F("closed_on").desc(nulls_last=True),
        "pk",
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    names = _metric_names(me.organisation)
    for commitment in page:
        commitment.overdue = logic.is_overdue(commitment, today)
        commitment.days_late = (today - commitment.due_on).days if commitment.overdue else 0
        commitment.can_update = rights.can_update_commitment(me, commitment)
        commitment.metric_name = names.get(commitment.metric_key, commitment.metric_key)
        commitment.on_time = logic.kept_on_time(commitment)
    # One query for both counts.
    counts = visible.aggregate(
        open=Count("pk", filter=Q(status=CommitmentStatus.OPEN)),
        overdue=Count("pk", filter=logic.overdue_filter(today)),
    )
    context = {
        "page": page,
        "query": query,
        "today": today,
        "counts": counts,
        "people": _people_choices(me, Commitment, "owner"),
        "statuses": [(logic.OVERDUE, _("Overdue")), *CommitmentStatus.choices],
        "is_me": True,
        "manages": me.role in rights.MANAGING_ROLES,
    }
    return render(request, "coaching/commitments/list.html", context)


def _meeting_from(request, me: Person) -> Meeting | None:
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    if not meeting_id:
        return None
    meeting = Meeting.objects.filter(
        organisation=me.organisation, pk=parse_id(meeting_id) or 0
    ).first()
    if meeting is None:
        raise Http404
    if not rights.in_pair(me, meeting):
        raise PermissionDenied
    return meeting


@person_required
@require_http_methods(["GET", "POST"])
def commitment_new(request):
    me = request.person
    meeting = _meeting_from(request, me)
    initial = {}
    owner_id = parse_id(request.GET.get("owner"))
    if owner_id:
        initial["owner"] = owner_id
    for name in ("deal", "goal", "metric_key"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = CommitmentForm(request.POST or None, viewer=me, meeting=meeting, initial=initial)
    if meeting is not None:
        # From a 1:1: the owner is one of its pair.
        pair = [meeting.manager_id, meeting.rep_id]
        form.fields["owner"].queryset = form.fields["owner"].queryset.filter(pk__in=pair)
    back = _safe_next(request, reverse("commitments"))
    if request.method == "POST" and form.is_valid():
        try:
            commitment = form.save()
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(
                request,
                _("Commitment saved, due %(day)s.") % {"day": commitment.due_on.isoformat()},
            )
            return redirect(back)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "meeting": meeting, "next": back, "commitment": None}
    return render(request, "coaching/commitments/form.html", context, status=status)


def _commitment(request, pk: int) -> Commitment:
    me = request.person
    commitment = get_object_or_404(
        logic.visible_commitments(me).select_related("owner", "meeting"), pk=pk
    )
    if not rights.can_update_commitment(me, commitment):
        raise PermissionDenied
    return commitment


@person_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request, pk: int):
    commitment = _commitment(request, pk)
    form = CommitmentForm(request.POST or None, viewer=request.person, instance=commitment)
    back = _safe_next(request, reverse("commitments"))
    if request.method == "POST" and form.is_valid():
        if form.try_save() is not None:
            messages.success(request, _("Commitment saved."))
            return redirect(back)
    history = describe(history_for(commitment).select_related("content_type")[:50])
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "commitment": commitment, "next": back, "entries": history}
    return render(request, "coaching/commitments/form.html", context, status=status)


@person_required
@require_http_methods(["GET", "POST"])
def commitment_close(request, pk: int):
    me = request.person
    commitment = _commitment(request, pk)
    form = CloseForm(request.POST or None)
    back = _safe_next(request, reverse("commitments"))
    if request.method == "POST" and form.is_valid():
        try:
            logic.close_commitment(
                commitment,
                by=me,
                status=form.cleaned_data["status"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("Commitment closed."))
            return redirect(back)
    today = today_for(me.organisation)
    context = {
        "form": form,
        "commitment": commitment,
        "overdue": logic.is_overdue(commitment, today),
        "next": back,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "coaching/commitments/close.html", context, status=status)


# Self-reports


@person_required
def self_report_list(request):
    me = request.person
    org = me.organisation
    today = today_for(org)
    visible = selfreports.visible_reports(me)
    reps = access.visible_people(me).filter(role=Role.REP, is_active=True)
    selfreports.ensure_due_reports(org, list(reps.values_list("pk", flat=True)), today)
    person = parse_id(request.GET.get("person"))
    rows = visible.filter(period_start__lte=today)
    if person:
        rows = rows.filter(rep_id=person)
    state = request.GET.get("state") or ""
    if state == selfreports.ReportState.MISSED:
        rows = rows.filter(selfreports.missed_filter(today))
    elif state == "to_review":
        rows = rows.filter(submitted_at__isnull=False, reviewed_at__isnull=True)
    rows = rows.select_related("rep__organisation", "reviewed_by").order_by(
        "-period_start", "rep__name"
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for report in page:
        report.state = selfreports.state_of(report, today)
    context = {
        "page": page,
        "today": today,
        "person": person,
        "state": state,
        "people": _people_choices(me, SelfReport, "rep"),
        "missed": visible.filter(selfreports.missed_filter(today)).count(),
        "to_review": visible.filter(submitted_at__isnull=False, reviewed_at__isnull=True)
        .exclude(rep=me)
        .count(),
        "mine": me.role == Role.REP,
    }
    return render(request, "coaching/commitments/self_reports.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def self_report(request, pk: int, start: str):
    me = request.person
    rep = get_object_or_404(Person, pk=pk, organisation=me.organisation)
    if not rights.can_view_coaching(me, rep):
        raise PermissionDenied
    try:
        day = dt.date.fromisoformat(start)
        report = selfreports.report_for(rep, day)
    except (ValueError, ValidationError):
        raise Http404 from None
    today = today_for(me.organisation)
    can_write = rights.can_write_self_report(me, rep) and report.reviewed_at is None
    can_review = rights.can_review_self_report(me, report) and report.submitted_at is not None
    form = review = None
    status = 200
    if can_write:
        form = SelfReportForm(
            request.POST if request.POST.get("action") == "write" else None, instance=report
        )
    if can_review:
        review = ReviewForm(
            request.POST if request.POST.get("action") == "review" else None,
            initial={"manager_comment": report.manager_comment},
        )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "write" and form is not None:
            if form.is_valid():
                try:
                    selfreports.write_self_report(
                        report,
                        by=me,
                        **{
                            name: form.cleaned_data.get(name) or ""
                            for name in selfreports.WRITTEN_FIELDS
                        },
                    )
                except ValidationError as error:
                    with_errors(form, error)
                else:
                    messages.success(request, _("Self-report submitted. Your manager sees it now."))
                    return redirect(request.path)
            status = 400
        elif action == "review" and review is not None:
            if review.is_valid():
                selfreports.review_self_report(
                    report, by=me, comment=review.cleaned_data["manager_comment"]
                )
                messages.success(request, _("Review saved."))
                return redirect(request.path)
            status = 400
        else:
            raise PermissionDenied
    numbers = selfreports.numbers_for(report, me, today)
    for commitment in numbers.commitments:
        commitment.overdue = logic.is_overdue(commitment, today)
        commitment.days_late = (today - commitment.due_on).days if commitment.overdue else 0
        commitment.on_time = logic.kept_on_time(commitment)
    names = _metric_names(me.organisation)
    report.state = selfreports.state_of(report, today)
    context = {
        "report": report,
        "rep": rep,
        "state": report.state,
        "card": numbers.scorecard,
        "commitments": numbers.commitments,
        "form": form,
        "review": review,
        "metric_name": names.get(report.metric_key, report.metric_key),
        "is_me": me.pk == rep.pk,
        "today": today,
    }
    return render(request, "coaching/commitments/self_report.html", context, status=status)


@person_required
def my_self_report(request):
    """The current period's report of the logged-in rep."""
    me = request.person
    if me.role != Role.REP:
        return redirect("self_reports")  # reps write self-reports; managers review them
    report = selfreports.current_report(me)
    return redirect("self_report", me.pk, report.period_start.isoformat())


# "I'm stuck"


@person_required
@require_http_methods(["GET", "POST"])
def problem_new(request):
    me = request.person
    initial = {}
    for name in ("deal", "goal"):
        value = parse_id(request.GET.get(name))
        if value:
            initial[name] = value
    form = ProblemForm(request.POST or None, rep=me, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                stuck.raise_problem(
                    by=me, rep=me, text=data["text"], deal=data.get("deal"), goal=data.get("goal")
                )
            except ValidationError as error:
                with_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Sent to your manager. Raising it early is good practice: it goes on your next 1:1."
                    ),
                )
                return redirect("problems")
        status = 400
    manager = stuck.current_manager(me)
    context = {"form": form, "manager": manager}
    return render(request, "coaching/commitments/problem_form.html", context, status=status)


@person_required
def problem_list(request):
    me = request.person
    problems = stuck.visible_problems(me)
    person = parse_id(request.GET.get("person"))
    if person:
        problems = problems.filter(rep_id=person)
    state = request.GET.get("status") or ""
    if state in ProblemStatus.values:
        problems = problems.filter(status=state)
    problems = problems.select_related("rep__organisation", "manager", "deal", "goal").order_by(
        "status", "-raised_at"
    )
    page = Paginator(problems, PER_PAGE).get_page(request.GET.get("page"))
    quiet = stuck.quiet_since(list(page))
    for problem in page:
        problem.earliness = stuck.earliness(problem, quiet.get(problem.deal_id))
        problem.can_resolve = problem.status == ProblemStatus.OPEN and rights.can_resolve_problem(
            me, problem
        )
    context = {
        "page": page,
        "person": person,
        "status": state,
        "people": _people_choices(me, Problem, "rep"),
        "resolve_form": ResolveForm(),
        "is_me": True,
    }
    return render(request, "coaching/commitments/problems.html", context)


@person_required
@require_POST
def problem_resolve(request, pk: int):
    me = request.person
    problem = get_object_or_404(stuck.visible_problems(me), pk=pk)
    if not rights.can_resolve_problem(me, problem):
        raise PermissionDenied
    form = ResolveForm(request.POST)
    if form.is_valid():
        stuck.resolve_problem(problem, by=me, resolution=form.cleaned_data["resolution"])
        messages.success(request, _("Marked resolved."))
    else:
        messages.error(request, _("Say how it was resolved."))
    return redirect(reverse("problems") + f"#problem-{problem.pk}")


# Notifications


@person_required
@require_http_methods(["GET", "POST"])
def notification_list(request):
    me = request.person
    if request.method == "POST":
        count = notes.mark_all_read(me)
        if count:
            messages.success(request, _("All marked read."))
        return redirect("notifications")
    page = Paginator(notes.notifications_for(me), PER_PAGE).get_page(request.GET.get("page"))
    for notification in page:
        notification.message = notes.message(notification)
    context = {"page": page, "unread": notes.unread_count(me)}
    return render(request, "coaching/commitments/notifications.html", context)


@person_required
@require_POST
def notification_read(request, pk: int):
    me = request.person
    notification = get_object_or_404(Notification, pk=pk, recipient=me)
    notes.mark_read(notification, by=me)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications")
