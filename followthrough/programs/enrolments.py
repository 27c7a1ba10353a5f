"""Enrolling people in programs and completing their milestones by hand.

Each operation checks the rules itself (rights are the caller's job), so the pages,
the API and the demo share one path. Training is checked off with evidence; a
certification is a rubric-based certification assessment that passes when every
competency is rated at least at the middle level of the template's scale (PASS_RULE).
Metric milestones are never completed here: see progress.sync_metric_milestones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followthrough.assessments import assessing
from followthrough.assessments.models import Assessment, AssessmentKind
from followthrough.goals.catalog import metrics_of
from followthrough.lib.periods import supported
from followthrough.metrics.choices import Measure
from followthrough.people.models import Person
from followthrough.programs.models import (
    Enrolment,
    EnrolmentStatus,
    Milestone,
    MilestoneCompletion,
    MilestoneKind,
    Program,
)

# The certification rule: passed when every competency of the template is rated at
# least at the middle level of its scale ("meets expectations" on the usual three
# levels); one competency below it fails the certification. With an even number of
# levels the lower of the two middle ones counts.
PASS_RULE = "every_rating_at_least_middle"
LATEST_DUE_DAY = 730  # two years: a program longer than that is not an onboarding plan


def passing_index(levels: list[dict]) -> int:
    """The position on the scale a certification needs on every competency."""
    return (len(levels) - 1) // 2


def passes(levels: list[dict], ratings: Mapping[int, str], competency_ids: list[int]) -> bool:
    """PASS_RULE: every competency rated, each at least at the middle level."""
    keys = [level["key"] for level in levels]
    needed = passing_index(levels)
    for competency_id in competency_ids:
        level = ratings.get(competency_id)
        if level not in keys or keys.index(level) < needed:
            return False
    return True


# Milestones


def metric_milestone_choices(org) -> list[tuple[str, str]]:
    """Metrics a milestone can count from the start: counts and sums of facts (they only grow)."""
    found = [
        (key, metric.label)
        for key, metric in metrics_of(org).items()
        if str(metric.kind) in ("count", "sum") and metric.measure != Measure.ACCOUNTS
    ]
    return sorted(found, key=lambda pair: pair[1].lower())


def check_milestone(milestone: Milestone) -> None:
    """A milestone's own rules, as field-level errors."""
    errors: dict[str, str] = {}
    if milestone.due_day is None or milestone.due_day < 0:
        errors["due_day"] = _("A milestone cannot be due before the start: give 0 days or more.")
    elif milestone.due_day > LATEST_DUE_DAY:
        errors["due_day"] = _("Give at most %(days)d days after the start.") % {
            "days": LATEST_DUE_DAY
        }
    if milestone.kind == MilestoneKind.METRIC:
        keys = {key for key, _label in metric_milestone_choices(milestone.program.organisation)}
        if milestone.metric_key not in keys:
            errors["metric_key"] = _("Choose a count or sum metric of the catalogue.")
        if milestone.target is None or milestone.target <= 0:
            errors["target"] = _("A metric milestone needs a target above zero.")
    else:
        milestone.metric_key, milestone.target = "", None
    if milestone.kind == MilestoneKind.CERTIFICATION:
        template = milestone.template
        if template is None or template.organisation_id != milestone.organisation_id:
            errors["template"] = _("Choose the scorecard template the certification is passed on.")
    else:
        milestone.template = None
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_milestone(milestone: Milestone) -> Milestone:
    milestone.organisation_id = milestone.program.organisation_id
    check_milestone(milestone)
    milestone.save()
    return milestone


# Enrolments


@transaction.atomic
def enrol(*, person: Person, program: Program, start: dt.date, by: Person | None) -> Enrolment:
    """Put `person` in `program` from `start`; refused twice over, or for an empty program."""
    if program.organisation_id != person.organisation_id:
        raise ValidationError({"program": _("Choose a program of this organisation.")})
    if not person.is_active:
        raise ValidationError({"person": _("Only active people are enrolled.")})
    if not program.is_active:
        raise ValidationError({"program": _("This program is closed for enrolment.")})
    if not program.milestones.exists():
        raise ValidationError({"program": _("This program has no milestones yet.")})
    if start is None or not supported(start):
        raise ValidationError({"start": _("Give a start date in the supported range.")})
    existing = Enrolment.objects.select_for_update().filter(
        person=person, program=program, status=EnrolmentStatus.ACTIVE
    )
    if existing.exists():
        raise ValidationError(
            {"person": _("%(name)s is already enrolled in this program.") % {"name": person.name}}
        )
    return Enrolment.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        program=program,
        start=start,
        enrolled_by=by,
    )


def _check_open(enrolment: Enrolment, milestone: Milestone, kind: str) -> None:
    if milestone.program_id != enrolment.program_id:
        raise ValidationError({"milestone": _("This milestone is not in the person's program.")})
    if milestone.kind != kind:
        raise ValidationError({"milestone": _("This milestone is not completed this way.")})
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ValidationError(_("This enrolment was withdrawn."))
    if MilestoneCompletion.objects.filter(enrolment=enrolment, milestone=milestone).exists():
        raise ValidationError({"milestone": _("This milestone is already done.")})


def _check_day(enrolment: Enrolment, day: dt.date, today: dt.date) -> None:
    if day < enrolment.start:
        raise ValidationError({"done_on": _("It cannot be done before the start date.")})
    if day > today:
        raise ValidationError({"done_on": _("It cannot be done in the future.")})


@transaction.atomic
def complete_training(
    enrolment: Enrolment,
    milestone: Milestone,
    *,
    by: Person,
    evidence: str,
    done_on: dt.date,
    today: dt.date,
) -> MilestoneCompletion:
    """Check a training milestone off, with the evidence that it is done."""
    _check_open(enrolment, milestone, MilestoneKind.TRAINING)
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("Say what shows it is done.")})
    _check_day(enrolment, done_on, today)
    completion = MilestoneCompletion.objects.create(
        organisation_id=enrolment.organisation_id,
        enrolment=enrolment,
        milestone=milestone,
        done_on=done_on,
        evidence=evidence.strip(),
        signed_off_by=by,
    )
    finish_if_complete(enrolment)
    return completion


@dataclass(frozen=True)
class CertificationResult:
    assessment: Assessment
    passed: bool
    completion: MilestoneCompletion | None


@transaction.atomic
def certify(
    enrolment: Enrolment,
    milestone: Milestone,
    *,
    by: Person,
    ratings: Mapping[int, tuple[str, str]],
    today: dt.date,
    summary: str = "",
) -> CertificationResult:
    """A manager's rubric-based sign-off: a submitted certification assessment, passed or not.

    `ratings` maps each competency id of the milestone's template to (level, evidence).
    A failed certification stays on record (the assessment); the milestone stays open.
    """
    _check_open(enrolment, milestone, MilestoneKind.CERTIFICATION)
    template = milestone.template
    assessment = assessing.start(
        rep=enrolment.person,
        rater=by,
        kind=AssessmentKind.CERTIFICATION,
        template=template,
        cycle_start=min(enrolment.start, today),
        cycle_end=today,
        summary=summary,
    )
    for competency_id, (level, evidence) in ratings.items():
        assessing.rate(assessment, competency_id, level, evidence)
    assessing.submit(assessment)
    ids = [c["id"] for c in template.competencies]
    passed = passes(template.levels, {k: level for k, (level, _e) in ratings.items()}, ids)
    completion = None
    if passed:
        completion = MilestoneCompletion.objects.create(
            organisation_id=enrolment.organisation_id,
            enrolment=enrolment,
            milestone=milestone,
            done_on=today,
            evidence=summary.strip(),
            signed_off_by=by,
            assessment=assessment,
        )
        finish_if_complete(enrolment)
    return CertificationResult(assessment, passed, completion)


def finish_if_complete(enrolment: Enrolment) -> None:
    """Every milestone done: the enrolment is completed on the day of the last one."""
    total = Milestone.objects.filter(program_id=enrolment.program_id).count()
    done = list(
        MilestoneCompletion.objects.filter(enrolment=enrolment).values_list("done_on", flat=True)
    )
    if total and len(done) >= total and enrolment.status == EnrolmentStatus.ACTIVE:
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_on = max(done)
        enrolment.save()


@transaction.atomic
def withdraw(enrolment: Enrolment) -> Enrolment:
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise ValidationError(_("Only an enrolment in progress is withdrawn."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save()
    return enrolment
