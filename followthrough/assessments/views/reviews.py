"""Pages: periodic reviews (the rep and their line read; a rep never sees a draft)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.assessments import reviews as logic
from followthrough.assessments import rights
from followthrough.assessments.forms_plans import (
    AcknowledgeForm,
    CommitmentLineForm,
    ReviewOpenForm,
    SummaryForm,
    with_errors,
)
from followthrough.assessments.models import AssessmentKind, Review, ReviewStatus
from followthrough.assessments.texts import level_label, shown
from followthrough.assessments.views.plans import coachable
from followthrough.coaching.models import CommitmentStatus
from followthrough.lib.ids import parse_id
from followthrough.metrics.labels import format_share, format_value
from followthrough.people.lines import today_for
from followthrough.people.models import Person
from followthrough.web.decorators import person_required

PER_PAGE = 50
STATUS_LABELS = dict(CommitmentStatus.choices)


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _assessment_view(data: dict | None) -> dict | None:
    """An assessment of the record as the reader sees it: texts in their language."""
    if not data:
        return None
    levels = data.get("levels") or []
    return {
        **data,
        "submitted_on": _day(data.get("submitted_on")),
        "competencies": [
            {
                **c,
                "name": shown(c["name"]),
                "section": shown(c.get("section", "")),
                "label": level_label(levels, c["level"]) if c.get("level") else "—",
            }
            for c in data.get("competencies", [])
        ],
    }


def present(record: dict) -> dict:
    """The record (frozen or live) made readable: labels translated, figures formatted."""
    currency = record.get("currency", "")
    kpis = [
        {
            **kpi,
            "name": _(kpi["name"]) if kpi.get("builtin") else kpi["name"],
            "actual_shown": format_value(_decimal(kpi.get("actual")), kpi["unit"], currency),
            "target_shown": format_value(_decimal(kpi.get("target")), kpi["unit"], currency)
            if kpi.get("target") is not None
            else "—",
            "attainment_shown": format_share(_decimal(kpi.get("attainment"))),
        }
        for kpi in record.get("kpis", [])
    ]
    plans = []
    for plan in record.get("plans", []):
        levels = plan.get("levels") or []
        plans.append(
            {
                **plan,
                "start": _day(plan["start"]),
                "reevaluate_on": _day(plan["reevaluate_on"]),
                "competencies": [
                    {
                        **c,
                        "name": shown(c["name"]),
                        "before_label": level_label(levels, c["before"]) if c["before"] else "—",
                        "after_label": level_label(levels, c["after"]) if c["after"] else "—",
                    }
                    for c in plan.get("competencies", [])
                ],
            }
        )
    commitments = record.get("commitments") or {"counts": {}, "items": []}
    return {
        "period_start": _day(record["period"]["start"]),
        "period_end": _day(record["period"]["end"]),
        "assembled_on": _day(record.get("assembled_on")),
        "kpis": kpis,
        "ratings": _assessment_view(record.get("ratings")),
        "self": _assessment_view(record.get("self")),
        "peers": [_assessment_view(p) for p in record.get("peers", [])],
        "observations": record.get("observations", 0),
        "plans": plans,
        "counts": commitments.get("counts", {}),
        "commitments": [
            {
                **item,
                "due_on": _day(item["due_on"]),
                "closed_on": _day(item.get("closed_on")),
                "status_label": STATUS_LABELS.get(item["status"], item["status"]),
            }
            for item in commitments.get("items", [])
        ],
    }


def _review(request, pk: int) -> Review:
    me = request.person
    review = get_object_or_404(
        Review.objects.select_related("rep__organisation", "manager"),
        pk=pk,
        organisation_id=me.organisation_id,
    )
    if not rights.can_view_review(me, review):
        raise PermissionDenied
    return review


@person_required
def review_list(request):
    me = request.person
    rows = logic.reviews_visible(me)
    person = parse_id(request.GET.get("person"))
    if person:
        rows = rows.filter(rep_id=person)
    rows = rows.select_related("rep", "manager").order_by("-period_start", "rep__name", "pk")
    if not person:
        rows = rows.defer("record")  # the history (one person's) is the only reader of it here
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    people = list(
        Person.objects.filter(pk__in=logic.reviews_visible(me).values("rep_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    names, history = [], []
    if person:
        shared = [r for r in rows if r.status != ReviewStatus.DRAFT]
        names, history = logic.history(shared)
        for row in history:
            row["cells"] = [
                level_label(row["scale"], row["levels"][name]) if row["levels"].get(name) else "—"
                for name in names
            ]
        names = [
            (shown(name), [row["cells"][index] for row in history])
            for index, name in enumerate(names)
        ]
    reps = coachable(me) if me.role in rights.MANAGING_ROLES else []
    form = None
    if reps:
        today = today_for(me.organisation)
        start, _end = logic.last_period(me, today)
        form = ReviewOpenForm(initial={"period_start": start}, reps=[(p.pk, p.name) for p in reps])
    context = {
        "page": page,
        "person": person,
        "people": people,
        "names": names,
        "history": history,
        "form": form,
    }
    return render(request, "assessments/reviews/list.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def review_new(request):
    me = request.person
    reps = coachable(me) if me.role in rights.MANAGING_ROLES else []
    if not reps:
        raise PermissionDenied
    today = today_for(me.organisation)
    start, _end = logic.last_period(me, today)
    form = ReviewOpenForm(
        request.POST or None,
        initial={"period_start": start, "rep": parse_id(request.GET.get("rep"))},
        reps=[(p.pk, p.name) for p in reps],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            rep = next(p for p in reps if p.pk == form.cleaned_data["rep"])
            try:
                review = logic.open_review(
                    by=me, rep=rep, period_start=form.cleaned_data["period_start"], today=today
                )
            except ValidationError as error:
                with_errors(form, error)
            else:
                messages.success(request, _("Review opened: it assembles the period as it stands."))
                return redirect("review", review.pk)
        status = 400
    return render(request, "assessments/reviews/new.html", {"form": form}, status=status)


def _context(request, review: Review) -> dict:
    me = request.person
    today = today_for(me.organisation)
    record = present(logic.content(review, today))
    can_write = rights.can_write_review(me, review)
    commitments = list(logic.review_commitments(review))
    return {
        "review": review,
        "record": record,
        "is_draft": review.status == ReviewStatus.DRAFT,
        "can_write": can_write,
        "can_acknowledge": rights.can_acknowledge_review(me, review),
        "is_rep": me.pk == review.rep_id,
        "review_commitments": commitments,
        "kinds": dict(AssessmentKind.choices),
        "today": today,
    }


@person_required
@require_http_methods(["GET", "POST"])
def review_detail(request, pk: int):
    me = request.person
    review = _review(request, pk)
    status = 200
    form = None
    if rights.can_write_review(me, review):
        form = SummaryForm(
            request.POST if request.method == "POST" else None,
            initial={"summary": review.summary},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            summary = form.cleaned_data["summary"]
            try:
                if request.POST.get("action") == "share":
                    logic.share(review, by=me, summary=summary)
                    messages.success(
                        request, _("Review shared with the rep. Its record is now frozen.")
                    )
                else:
                    logic.save_summary(review, by=me, summary=summary)
                    messages.success(request, _("Summary saved."))
            except ValidationError as error:
                with_errors(form, error)
            else:
                return redirect("review", review.pk)
        status = 400
    context = _context(request, review)
    context["form"] = form
    context["ack_form"] = AcknowledgeForm() if context["can_acknowledge"] else None
    context["commitment_form"] = CommitmentLineForm() if context["can_write"] else None
    return render(request, "assessments/reviews/detail.html", context, status=status)


@person_required
def review_print(request, pk: int):
    review = _review(request, pk)
    return render(request, "assessments/reviews/print.html", _context(request, review))


@person_required
@require_POST
def review_acknowledge(request, pk: int):
    me = request.person
    review = _review(request, pk)
    if not rights.can_acknowledge_review(me, review):
        raise PermissionDenied
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        logic.acknowledge(review, by=me, comment=form.cleaned_data["comment"])
        messages.success(request, _("Thank you: your acknowledgement is recorded."))
    return redirect("review", review.pk)


@person_required
@require_POST
def review_commitment(request, pk: int):
    me = request.person
    review = _review(request, pk)
    if not rights.can_write_review(me, review):
        raise PermissionDenied
    form = CommitmentLineForm(request.POST)
    if form.is_valid():
        try:
            logic.add_commitment(review, by=me, **form.cleaned_data)
        except ValidationError as error:
            with_errors(form, error)
    if form.errors:
        errors = [str(e) for field in form.errors.values() for e in field]
        messages.error(request, " ".join(errors))
    else:
        messages.success(request, _("Commitment added to the review."))
    return redirect(reverse("review", args=[review.pk]) + "#review-commitments")
