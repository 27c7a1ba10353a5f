"""Pages of the follow-through: 1:1s and deal reviews, cadences, settings, reviews due, stepped in.

Thin views: the rules are in cadence.py, notes.py, meetings.py, reviews.py and
steppedin.py; every page asks coaching.rights who may see and do what.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.coaching import rights
from followthrough.coaching.agenda import build_agenda
from followthrough.coaching.cadence import current_cadence, end_meeting, move_meeting, set_cadence
from followthrough.coaching.forms_meetings import (
    CadenceForm,
    CoachingSettingsForm,
    DealReviewForm,
    EndForm,
    ItemForm,
    NoteEditForm,
    NoteForm,
    ReflectionForm,
    SteppedInForm,
    WhenForm,
)
from followthrough.coaching.meetings import (
    MeetingQuery,
    create_deal_review,
    meetings_of,
    split_upcoming,
    visible_meetings,
)
from followthrough.coaching.models import (
    AgendaItem,
    Cadence,
    Meeting,
    MeetingKind,
    MeetingNote,
    MeetingStatus,
    NoteKind,
    SteppedIn,
)
from followthrough.coaching.notes import (
    add_item,
    add_note,
    edit_note,
    remove_item,
    save_reflections,
    visible_notes,
)
from followthrough.coaching.questions import questions_of, settings_for_rep, settings_of
from followthrough.coaching.reviews import check_reviews
from followthrough.coaching.steppedin import (
    counts_per_manager,
    record_stepped_in,
    visible_stepped_in,
)
from followthrough.crm.choices import Outcome
from followthrough.crm.models import Deal
from followthrough.lib.ids import parse_id
from followthrough.people import access
from followthrough.people.lines import lines_on, reports_of, today_for
from followthrough.people.models import Person, Team
from followthrough.web.decorators import person_required

PAST_SHOWN = 60
STEPPED_IN_DAYS = 90


def org_time(view):
    """Show times in the organisation's time zone: a 1:1 at 9:00 is at 9:00 on every page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        from followthrough.coaching.cadence import zone_of

        with timezone.override(zone_of(request.person.organisation)):
            return view(request, *args, **kwargs)

    return wrapper


def _meeting_for(request, pk: int) -> Meeting:
    meeting = get_object_or_404(
        visible_meetings(request.person).select_related(
            "rep", "manager", "deal", "organisation", "moved_from"
        ),
        pk=pk,
    )
    return meeting


def _errors_to(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _coached_reps(viewer: Person) -> list[Person]:
    """The people the viewer coaches, directly first (one query, plus the viewer's reports)."""
    if viewer.role not in rights.MANAGING_ROLES:
        return []
    people = access.visible_people(viewer).exclude(pk=viewer.pk).filter(is_active=True)
    return [p for p in people.order_by("name") if rights.can_coach(viewer, p)]


@person_required
@org_time
def one_on_ones(request):
    """A person's 1:1s and deal reviews: upcoming, then past with how each ended."""
    me = request.person
    person = me
    chosen = parse_id(request.GET.get("person", ""))
    if chosen is not None and chosen != me.pk:
        person = get_object_or_404(Person, pk=chosen, organisation_id=me.organisation_id)
        if not rights.can_view_coaching(me, person):
            raise PermissionDenied(_("You may not see this person's 1:1s."))
    meetings = meetings_of(person)
    query = MeetingQuery.from_params(request.GET)
    meetings = MeetingQuery(kind=query.kind, status=query.status).apply(meetings)
    upcoming, past = split_upcoming(meetings, me.organisation)
    pairs = []
    if person.pk == me.pk:
        reps = _coached_reps(me)
        direct = set(
            lines_on(me.organisation, today_for(me.organisation))
            .filter(manager=me)
            .values_list("person_id", flat=True)
        )
        cadences = {
            c.rep_id: c
            for c in Cadence.objects.filter(rep__in=reps, ends_on__isnull=True).order_by(
                "starts_on"
            )
        }
        pairs = [(rep, cadences.get(rep.pk)) for rep in reps if rep.pk in direct]
    own_cadence = current_cadence(person)
    team = None
    if me.role in rights.MANAGING_ROLES:
        line = me.reporting_lines.filter(valid_to__isnull=True).select_related("team").first()
        team = line.team if line else None
    context = {
        "person": person,
        "is_me": person.pk == me.pk,
        "upcoming": list(upcoming[:20]),
        "past": list(past[:PAST_SHOWN]),
        "pairs": pairs,
        "own_cadence": own_cadence,
        "query": query,
        "kinds": MeetingKind.choices,
        "statuses": MeetingStatus.choices,
        "team": team,
        "coaches": me.role in rights.MANAGING_ROLES,
    }
    return render(request, "coaching/meetings/list.html", context)


def _meeting_context(request, meeting: Meeting, **forms) -> dict:
    me = request.person
    settings = settings_for_rep(meeting.rep)
    notes = visible_notes(me, meeting)
    reflections = [n for n in notes if n.kind == NoteKind.REFLECTION]
    answers = {n.question: n.text for n in reflections}
    questions = questions_of(settings)
    # Questions answered under an earlier wording still show, after the current ones.
    asked = questions + [q for q in answers if q not in questions]
    is_rep, is_manager = me.pk == meeting.rep_id, me.pk == meeting.manager_id
    open_ = meeting.status == MeetingStatus.SCHEDULED
    writable = meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.HELD)
    context = {
        "meeting": meeting,
        "agenda": build_agenda(meeting, viewer=me),
        "reflections": [(q, answers.get(q, "")) for q in asked],
        "feedback": [n for n in notes if n.kind == NoteKind.FEEDBACK],
        "private": [n for n in notes if n.kind == NoteKind.PRIVATE],
        "is_rep": is_rep,
        "is_manager": is_manager,
        "in_pair": is_rep or is_manager,
        "is_open": open_,
        "writable": writable,
        "has_reflected": bool(reflections),
        "reflection_form": forms.get("reflection_form")
        or ReflectionForm(questions=asked, answers=answers),
        "feedback_form": forms.get("feedback_form")
        or NoteForm(initial={"kind": NoteKind.FEEDBACK}, prefix="feedback"),
        "private_form": forms.get("private_form")
        or NoteForm(initial={"kind": NoteKind.PRIVATE}, prefix="private"),
        "item_form": forms.get("item_form") or ItemForm(),
        "stepped_form": forms.get("stepped_form"),
        "commitments": list(meeting.commitments.select_related("owner").order_by("due_on", "pk")),
        "moved_to": Meeting.objects.filter(moved_from=meeting).first(),
        "stepped_in": list(
            SteppedIn.objects.filter(deal_id=meeting.deal_id).select_related("manager")
        )
        if meeting.deal_id and (is_manager or not is_rep)
        else [],
    }
    if is_manager and context["stepped_form"] is None:
        deals = _stepped_in_deals(meeting)
        if deals:
            context["stepped_form"] = SteppedInForm(
                deals=deals,
                initial={"deal": meeting.deal_id, "on": today_for(meeting.organisation)},
                prefix="stepped",
            )
    return context


def _stepped_in_deals(meeting: Meeting) -> list[Deal]:
    deals = Deal.objects.filter(organisation_id=meeting.organisation_id, owner_id=meeting.rep_id)
    if meeting.deal_id:
        deals = deals.filter(pk=meeting.deal_id)
    else:
        recent = today_for(meeting.organisation) - dt.timedelta(days=STEPPED_IN_DAYS)
        deals = deals.exclude(outcome=Outcome.LOST).exclude(
            outcome=Outcome.WON, close_on__lt=recent
        )
    return list(deals.order_by("name", "pk")[:200])


def _render_meeting(request, meeting: Meeting, status: int = 200, **forms):
    return render(
        request,
        "coaching/meetings/detail.html",
        _meeting_context(request, meeting, **forms),
        status=status,
    )


@person_required
@org_time
def meeting(request, pk: int):
    """THE page of the product: the agenda from data, then the notes in the coaching order."""
    return _render_meeting(request, _meeting_for(request, pk))


def _back(meeting: Meeting, anchor: str = ""):
    return redirect(reverse("meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


@person_required
@require_POST
@org_time
def meeting_reflect(request, pk: int):
    meeting = _meeting_for(request, pk)
    if request.person.pk != meeting.rep_id:
        raise PermissionDenied(_("The rep answers the reflective questions."))
    context = _meeting_context(request, meeting)
    form = ReflectionForm(
        request.POST,
        questions=[q for q, _a in context["reflections"]],
        answers={},
    )
    if form.is_valid():
        try:
            save_reflections(request.person, meeting, form.answers())
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("Your answers are saved."))
            return _back(meeting, "reflection")
    return _render_meeting(request, meeting, 400, reflection_form=form)


@person_required
@require_POST
@org_time
def meeting_note(request, pk: int):
    meeting = _meeting_for(request, pk)
    prefix = "private" if request.POST.get("private-kind") == NoteKind.PRIVATE else "feedback"
    form = NoteForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            add_note(request.person, meeting, form.cleaned_data["kind"], form.cleaned_data["text"])
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("Note saved."))
            return _back(meeting, "feedback" if prefix == "feedback" else "private")
    if not rights.in_pair(request.person, meeting):
        raise PermissionDenied(_("Only the meeting's manager and rep write in it."))
    return _render_meeting(request, meeting, 400, **{f"{prefix}_form": form})


@person_required
@require_http_methods(["GET", "POST"])
@org_time
def meeting_note_edit(request, pk: int):
    note = get_object_or_404(
        MeetingNote.objects.select_related("meeting", "meeting__rep", "meeting__manager"),
        pk=pk,
        organisation_id=request.person.organisation_id,
    )
    meeting = note.meeting
    if not rights.can_view_meeting(request.person, meeting) or (
        note.kind == NoteKind.PRIVATE and not rights.can_view_private_note(request.person, note)
    ):
        raise PermissionDenied(_("You may not see this note."))
    if not rights.can_edit_note(request.person, note):
        raise PermissionDenied(_("Each person edits only their own notes."))
    form = NoteEditForm(request.POST or None, initial={"text": note.text})
    if request.method == "POST" and form.is_valid():
        try:
            edit_note(request.person, note, form.cleaned_data["text"])
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("Note saved."))
            return _back(meeting)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coaching/meetings/note_edit.html",
        {"form": form, "note": note, "meeting": meeting},
        status=status,
    )


@person_required
@require_POST
@org_time
def meeting_item(request, pk: int):
    meeting = _meeting_for(request, pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            add_item(request.person, meeting, form.cleaned_data["text"])
        except ValidationError as error:
            _errors_to(form, error)
        else:
            return _back(meeting, "items")
    if not rights.in_pair(request.person, meeting):
        raise PermissionDenied(_("Only the meeting's manager and rep add to its agenda."))
    return _render_meeting(request, meeting, 400, item_form=form)


@person_required
@require_POST
@org_time
def meeting_item_delete(request, pk: int):
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting"),
        pk=pk,
        organisation_id=request.person.organisation_id,
    )
    if not rights.can_view_meeting(request.person, item.meeting):
        raise PermissionDenied
    try:
        remove_item(request.person, item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(item.meeting, "items")


@person_required
@require_http_methods(["GET", "POST"])
@org_time
def meeting_move(request, pk: int):
    meeting = _meeting_for(request, pk)
    if not rights.in_pair(request.person, meeting):
        raise PermissionDenied(_("Only the meeting's manager and rep change it."))
    org = meeting.organisation
    local = timezone.localtime(meeting.scheduled_at, _zone(org))
    form = WhenForm(
        request.POST or None,
        initial={
            "day": local.date(),
            "time": local.time(),
            "duration_minutes": meeting.duration_minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            moved = move_meeting(
                request.person,
                meeting,
                form.when(org),
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("Meeting moved."))
            return _back(moved)
    refused = meeting.status != MeetingStatus.SCHEDULED
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coaching/meetings/move.html",
        {"form": form, "meeting": meeting, "refused": refused},
        status=status,
    )


def _zone(org):
    from followthrough.coaching.cadence import zone_of

    return zone_of(org)


@person_required
@require_http_methods(["GET", "POST"])
@org_time
def meeting_end(request, pk: int):
    meeting = _meeting_for(request, pk)
    if not rights.in_pair(request.person, meeting):
        raise PermissionDenied(_("Only the meeting's manager and rep change it."))
    form = EndForm(request.POST or None, initial={"status": MeetingStatus.HELD})
    if request.method == "POST" and form.is_valid():
        try:
            end_meeting(
                request.person,
                meeting,
                form.cleaned_data["status"],
                missed_by=form.cleaned_data.get("missed_by", ""),
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("Meeting ended."))
            return _back(meeting)
    refused = meeting.status != MeetingStatus.SCHEDULED
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coaching/meetings/end.html",
        {"form": form, "meeting": meeting, "refused": refused},
        status=status,
    )


@person_required
@require_POST
@org_time
def meeting_stepped_in(request, pk: int):
    meeting = _meeting_for(request, pk)
    if request.person.pk != meeting.manager_id:
        raise PermissionDenied(_("The meeting's manager records stepping in."))
    form = SteppedInForm(request.POST, deals=_stepped_in_deals(meeting), prefix="stepped")
    if form.is_valid():
        try:
            record_stepped_in(
                request.person,
                form.cleaned_data["deal"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("Recorded: you stepped in on this deal."))
            return _back(meeting, "stepped-in")
    return _render_meeting(request, meeting, 400, stepped_form=form)


@person_required
@require_http_methods(["GET", "POST"])
@org_time
def cadence_edit(request, pk: int):
    """Create or change the 1:1 cadence of a rep and their manager."""
    me = request.person
    rep = get_object_or_404(Person, pk=pk, organisation_id=me.organisation_id)
    if not rights.can_view_coaching(me, rep):
        raise PermissionDenied(_("You may not see this person's 1:1s."))
    if not rights.can_coach(me, rep):
        raise PermissionDenied(_("Only someone who coaches this rep sets their 1:1 cadence."))
    current = current_cadence(rep)
    form = CadenceForm(request.POST or None, instance=current or Cadence(time=dt.time(9, 0)))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_cadence(
                me,
                rep,
                frequency=data["frequency"],
                weekday=data["weekday"],
                time=data["time"],
                duration_minutes=data["duration_minutes"],
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("Cadence saved; the next 1:1s follow it."))
            return redirect(_next_or(request, reverse("one_on_ones")))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "coaching/meetings/cadence.html",
        {"form": form, "rep": rep, "cadence": current},
        status=status,
    )


def _next_or(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@person_required(roles=rights.MANAGING_ROLES)
@require_http_methods(["GET", "POST"])
@org_time
def deal_review_new(request):
    """Schedule a review of one open deal with its owner."""
    me = request.person
    reports = reports_of(me)
    deals = list(
        Deal.objects.filter(
            organisation_id=me.organisation_id, outcome=Outcome.OPEN, owner_id__in=reports
        )
        .select_related("owner")
        .order_by("owner__name", "name", "pk")[:500]
    )
    tomorrow = today_for(me.organisation) + dt.timedelta(days=1)
    initial = {"day": tomorrow, "time": dt.time(10, 0), "duration_minutes": 30}
    chosen = parse_id(request.GET.get("deal", ""))
    if chosen is not None:
        initial["deal"] = chosen
    form = DealReviewForm(request.POST or None, deals=deals, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = create_deal_review(
                me,
                form.cleaned_data["deal"],
                form.when(me.organisation),
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("Deal review scheduled."))
            return _back(review)
    status = 400 if request.method == "POST" else 200
    return render(request, "coaching/meetings/review_new.html", {"form": form}, status=status)


def _team_for(request, pk: int) -> Team:
    team = get_object_or_404(Team, pk=pk, organisation_id=request.person.organisation_id)
    if request.person.role not in rights.MANAGING_ROLES or not access.can_view_team(
        request.person, team
    ):
        raise PermissionDenied(_("You may not see this team's coaching."))
    return team


@person_required
@org_time
def deal_reviews_due(request, pk: int):
    """The team's open deals not reviewed within its promise."""
    team = _team_for(request, pk)
    check = check_reviews(team)
    return render(request, "coaching/meetings/reviews_due.html", {"team": team, "check": check})


@person_required
@require_http_methods(["GET", "POST"])
@org_time
def coaching_settings(request, pk: int):
    """The team's reflective questions, deal-review promise and stale days."""
    team = _team_for(request, pk)
    instance = settings_of(team)
    form = CoachingSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("coaching_settings", pk=team.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "coaching/meetings/settings.html", {"form": form, "team": team}, status=status
    )


@person_required(roles=rights.MANAGING_ROLES)
@org_time
def stepped_in(request):
    """How often each manager in view stepped in on their reps' deals, and the records."""
    me = request.person
    today = today_for(me.organisation)
    start = today - dt.timedelta(days=STEPPED_IN_DAYS)
    counts = counts_per_manager(me, start, today)
    records = (
        visible_stepped_in(me)
        .filter(on__gte=start)
        .select_related("manager", "rep", "deal")
        .order_by("manager__name", "-on", "-pk")[:300]
    )
    return render(
        request,
        "coaching/meetings/stepped_in.html",
        {"counts": counts, "records": records, "start": start, "today": today},
    )
