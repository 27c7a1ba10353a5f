"""The demo organisation's onboarding program and the two people in it.

The starter 30/60/90-day plan, with two people enrolled by their managers: the new hire
(the most recent start in a role: the generator ramps their activity up over ten weeks)
from their first day, and the rep who most recently moved into a team, from the day of
the move (onboarding onto the new team's way of selling). Their managers checked off the
training due so far; one certification is signed off; the metric milestones complete
themselves from their CRM data, whatever it says, through the same function the pages use.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from followthrough.assessments import versions
from followthrough.assessments.starter import MEETS, create_starter_rubric
from followthrough.people.lines import line_on
from followthrough.people.models import Organisation, Person, ReportingLine, Role
from followthrough.programs import enrolments, progress, starter
from followthrough.programs.models import MilestoneKind

EVIDENCE = {
    0: "Walked me through a practice deal with next step and close date; call and e-mail logged.",
    1: "Gave the ten-minute pitch in our 1:1 and handled the pricing and integration questions.",
    2: "Shadowed five calls with the team; notes shared in the team channel.",
}


def _template(org: Organisation):
    found = starter.certification_template(org)
    if found is not None:
        return found
    # The rubrics part normally publishes the templates; alone, the programs need one.
    admin = Person.objects.filter(organisation=org, role=Role.ADMIN).first()
    rubric = create_starter_rubric(org)
    return versions.publish(rubric=rubric, name="Account executive", by=admin)


def newcomers(org: Organisation, today: dt.date) -> list[tuple[Person, dt.date]]:
    """The most recent start in a rep role, and the most recent move into a team (2 queries)."""
    reps = Person.objects.filter(organisation=org, role=Role.REP, is_active=True)
    hire = reps.exclude(role_since__isnull=True).order_by("-role_since", "pk").first()
    found = [(hire, hire.role_since)] if hire else []
    moved = (
        ReportingLine.objects.filter(organisation=org, person__in=reps, valid_from__lte=today)
        .exclude(person=hire)
        .exclude(valid_from=F("person__role_since"))  # their first line: not a move
        .select_related("person")
        .order_by("-valid_from", "pk")
        .first()
    )
    if moved is not None:
        found.append((moved.person, moved.valid_from))
    return found


def seed(org: Organisation, today: dt.date) -> None:
    _template(org)
    program = starter.create_starter_program(org)
    milestones = list(program.milestones.order_by("due_day", "position", "pk"))
    rows = []
    for person, start in newcomers(org, today):
        line = line_on(person, today)
        manager = line.manager if line else None
        enrolment = enrolments.enrol(person=person, program=program, start=start, by=manager)
        rows.append((enrolment, manager))
        trainings = [m for m in milestones if m.kind == MilestoneKind.TRAINING]
        for index, milestone in enumerate(trainings):
            due = progress.due_date(start, milestone)
            if due < today - dt.timedelta(days=3):
                enrolments.complete_training(
                    enrolment,
                    milestone,
                    by=manager,
                    evidence=EVIDENCE.get(index, "Done."),
                    done_on=due - dt.timedelta(days=1 + index),
                    today=today,
                )
    # One certification signed off: the product certification of the one who started first.
    enrolment, manager = min(rows, key=lambda pair: pair[0].start)
    product = next(m for m in milestones if m.kind == MilestoneKind.CERTIFICATION)
    ratings = {
        c["id"]: (MEETS, "Seen in the certification demo.") for c in product.template.competencies
    }
    enrolments.certify(
        enrolment,
        product,
        by=manager,
        ratings=ratings,
        today=today,
        summary="Confident product demo; keeps the prospect's problem at the centre.",
    )
    progress.sync_metric_milestones(org, [e for e, _m in rows], today)
