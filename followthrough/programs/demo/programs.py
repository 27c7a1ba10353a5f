"""The demo organisation's onboarding program and the two people in it.

The starter 30/60/90-day plan, with the two new hires enrolled by their managers from
their first day (45 and 75 days ago; the generator ramps their activity up over about
ten weeks, so their metric milestones come late or not yet). Their managers checked off the
training due so far; one certification is signed off; the metric milestones complete
themselves from their CRM data, whatever it says, through the same function the pages use.
"""

from __future__ import annotations

import datetime as dt

from followthrough.assessments import versions
from followthrough.assessments.starter import MEETS, create_starter_rubric
from followthrough.people.lines import line_on
from followthrough.people.models import Organisation, Person, Role
from followthrough.programs import enrolments, progress, starter
from followthrough.programs.models import MilestoneKind

NEWCOMERS = 2  # the demo's two new hires (demo.build.STARTED_DAYS_AGO)
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
    """The two most recent starts in a rep role, from their first day (1 query)."""
    reps = Person.objects.filter(
        organisation=org, role=Role.REP, is_active=True, role_since__lte=today
    ).exclude(role_since__isnull=True)
    return [(rep, rep.role_since) for rep in reps.order_by("-role_since", "pk")[:NEWCOMERS]]


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
