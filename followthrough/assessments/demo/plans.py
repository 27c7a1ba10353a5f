"""The demo organisation's coaching plans: one finished with a visible before/after, one active.

Maya Manager coached Tom de Jong (who e-mails where he should phone) on prospecting
for three months from about four months ago: the re-evaluation on the same checklist
shows both focus competencies up a level, and the plan is closed with its outcome.
Ruben Rep's plan on discovery started six weeks ago and is still running. Baselines
and re-evaluations go through assessing.start/rate/submit like a manager's own; when
the assessments part already made a standing manager assessment, the active plan
starts from it.
"""

from __future__ import annotations

import datetime as dt

from followthrough.assessments import assessing, versions
from followthrough.assessments import plans as logic
from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    FocusArea,
    FocusStatus,
    ScorecardTemplate,
)
from followthrough.assessments.starter import create_starter_rubric
from followthrough.coaching.commitments import close_commitment
from followthrough.coaching.models import CommitmentStatus
from followthrough.lib.periods import PeriodKind, months_after, period_of
from followthrough.people.models import Organisation, Person

MANAGER = "Maya Manager"
FINISHED_REP = "Tom de Jong"
ACTIVE_REP = "Ruben Rep"
FINISHED_DAYS_AGO = 122  # about four months
ACTIVE_DAYS_AGO = 42
# Competency names of the starter rubric each plan works on, with their levels.
FINISHED_FOCUS = {
    "Consistent outreach": ("below", "meets"),
    "Targeting the right accounts": ("below", "exceeds"),
}
ACTIVE_FOCUS = ("Uncovering needs", "Building rapport on a sales call")
EVIDENCE_BEFORE = {
    "Consistent outreach": "Three weeks without a new first meeting; outreach only by e-mail.",
    "Targeting the right accounts": "Half of the calls observed were with companies too small to buy.",
    "Uncovering needs": "Pitched the product in the first five minutes of both calls observed.",
    "Building rapport on a sales call": "Went straight to the agenda; missed the prospect's hesitation.",
}
EVIDENCE_AFTER = {
    "Consistent outreach": "Calls every morning from 9 to 10; eleven first meetings last month.",
    "Targeting the right accounts": "Checks every account against the profile before calling; found two trigger events.",
}


def demo_template(org: Organisation, rep: Person) -> ScorecardTemplate:
    """The rep's template; the starter rubric and a template when the organisation has none."""
    template = versions.template_for(rep)
    if template is None:
        template = ScorecardTemplate.objects.filter(organisation=org, is_current=True).first()
    if template is None:
        rubric = create_starter_rubric(org)
        template = versions.publish(rubric=rubric, name="Account Executive")
    return template


def assess(
    template: ScorecardTemplate,
    rep: Person,
    rater: Person,
    day: dt.date,
    levels: dict[str, str],
    evidence: dict[str, str],
    summary: str = "",
) -> Assessment:
    """A submitted manager assessment: the given levels by competency name, "meets" elsewhere."""
    cycle = period_of(PeriodKind.QUARTER, day)
    assessment = assessing.start(
        rep=rep,
        rater=rater,
        kind=AssessmentKind.MANAGER,
        template=template,
        cycle_start=cycle.start,
        cycle_end=cycle.end,
        summary=summary,
    )
    for competency in template.competencies:
        name = competency["name"]
        assessing.rate(
            assessment, competency["id"], levels.get(name, "meets"), evidence.get(name, "")
        )
    assessing.submit(assessment)
    # Submitted on the day it describes, as it would have been.
    Assessment.objects.filter(pk=assessment.pk).update(
        submitted_at=dt.datetime.combine(day, dt.time(16, 0), tzinfo=dt.UTC)
    )
    assessment.refresh_from_db()
    return assessment


def _ids(template: ScorecardTemplate, names) -> list[int]:
    by_name = {c["name"]: c["id"] for c in template.competencies}
    return [by_name[name] for name in names if name in by_name]


def _focus(rep: Person, template: ScorecardTemplate, names, day: dt.date, *, closes: bool) -> dict:
    """The plan's focus areas on these competencies: the rep's open ones on `day`, then new
    ones within the team's limit. A plan that closes gives its areas up; one still open
    shares the limit with areas picked after it and leaves one slot free today, so a
    manager trying the demo can pick a focus area at once."""
    wanted = _ids(template, names)
    active = FocusArea.objects.filter(rep=rep, status=FocusStatus.ACTIVE)
    then = active.filter(picked_on__lte=day)
    linked = list(then.filter(competency_id__in=wanted).values_list("pk", "competency_id"))
    taken = {competency for _pk, competency in linked}
    later = 0 if closes else active.filter(picked_on__gt=day).count() + 1
    room = max(logic.focus_limit(rep, day) - then.count() - later, 0)
    fresh = [cid for cid in wanted if cid not in taken][:room]
    focus_ids = [pk for pk, _competency in linked]
    if not focus_ids and not fresh:
        focus_ids = list(then.values_list("pk", flat=True)[:1])
    return {"focus_ids": focus_ids, "competency_ids": fresh}


def seed(org: Organisation, today: dt.date) -> None:
    people = {
        p.name: p
        for p in Person.objects.filter(
            organisation=org, name__in=[MANAGER, FINISHED_REP, ACTIVE_REP]
        )
    }
    if len(people) < 3:
        return
    maya, tom, ruben = people[MANAGER], people[FINISHED_REP], people[ACTIVE_REP]
    template = demo_template(org, tom)

    # Finished: four months ago, re-evaluated a month ago, both focus areas up.
    start = today - dt.timedelta(days=FINISHED_DAYS_AGO)
    before = {name: levels[0] for name, levels in FINISHED_FOCUS.items()}
    baseline = assess(
        template,
        tom,
        maya,
        start,
        before,
        EVIDENCE_BEFORE,
        "Prospecting is where Tom loses ground.",
    )
    plan = logic.create_plan(
        by=maya,
        rep=tom,
        baseline=baseline,
        goal="Phone first: a steady prospecting rhythm with accounts that fit",
        start=start,
        reevaluate_on=months_after(start, 3),
        **_focus(tom, template, FINISHED_FOCUS, start, closes=True),
        commitments=[
            logic.NewCommitment(
                "Block 9 to 10 every morning for calls, no e-mail", start + dt.timedelta(days=14)
            ),
            logic.NewCommitment(
                "Check ten target accounts against the profile each week",
                start + dt.timedelta(days=45),
            ),
            logic.NewCommitment(
                "Book eight first meetings from calls this month", start + dt.timedelta(days=75)
            ),
        ],
        today=start,
    )
    evidence = ("The calendar shows the block every day.", "Shared the weekly list in our 1:1s.")
    for index, link in enumerate(
        plan.links.select_related("commitment__owner__organisation").order_by("pk")
    ):
        commitment = link.commitment
        if index < len(evidence):
            close_commitment(
                commitment,
                by=maya,
                status=CommitmentStatus.DONE,
                evidence=evidence[index],
                today=commitment.due_on,
            )
        else:
            close_commitment(
                commitment, by=maya, status=CommitmentStatus.MISSED, today=commitment.due_on
            )
    after_day = plan.reevaluate_on
    after = logic.reevaluate(plan, by=maya, today=after_day)
    levels = {name: levels[1] for name, levels in FINISHED_FOCUS.items()}
    for competency in template.competencies:
        name = competency["name"]
        assessing.rate(
            after, competency["id"], levels.get(name, "meets"), EVIDENCE_AFTER.get(name, "")
        )
    assessing.submit(after)
    Assessment.objects.filter(pk=after.pk).update(
        submitted_at=dt.datetime.combine(after_day, dt.time(16, 0), tzinfo=dt.UTC)
    )
    plan.refresh_from_db()
    logic.close_plan(
        plan,
        by=maya,
        outcome="Both focus areas up a level: Tom phones every morning and picks his accounts. "
        "Eight first meetings missed by two; next: discovery.",
        today=after_day,
    )

    # Active: six weeks in, on discovery.
    start = today - dt.timedelta(days=ACTIVE_DAYS_AGO)
    baseline = logic.baselines_for(ruben).filter(kind=AssessmentKind.MANAGER).first()
    if baseline is None or not set(_ids(baseline.template, ACTIVE_FOCUS)):
        before = dict.fromkeys(ACTIVE_FOCUS, "below")
        baseline = assess(
            template,
            ruben,
            maya,
            start,
            before,
            EVIDENCE_BEFORE,
            "Strong prospector; discovery next.",
        )
    logic.create_plan(
        by=maya,
        rep=ruben,
        baseline=baseline,
        goal="Understand the need before pitching: open questions, then the demo",
        start=start,
        reevaluate_on=months_after(start, 3),
        **_focus(ruben, baseline.template, ACTIVE_FOCUS, start, closes=False),
        commitments=[
            logic.NewCommitment(
                "Ask five open questions before showing anything", start + dt.timedelta(days=21)
            ),
            logic.NewCommitment(
                "Record two discovery calls and review them with Maya",
                start + dt.timedelta(days=70),
            ),
        ],
        today=start,
    )
    first = ruben.commitments.filter(plan_link__isnull=False).order_by("due_on").first()
    close_commitment(
        first,
        by=maya,
        status=CommitmentStatus.DONE,
        evidence="Heard it on two calls.",
        today=first.due_on,
    )
