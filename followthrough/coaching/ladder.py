"""The humane escalation ladder (P9): its rules, and how often managers use each step.

The rules, in plain words:
- Only someone the rep reports to opens a step (rights.can_coach): never for yourself.
- A rep starts at step 1, coach and develop. Steps are not skipped.
- Moving up needs the review of the step before recorded; that step then ends as
  "moved up", and the new step points back to it.
- Entering step 2 shortens the rep's self-report interval by one place (monthly to
  fortnightly, fortnightly to weekly, weekly to daily). The step keeps the shorter
  interval; coaching/intervals.py reads it while the step is open, so ending the step
  restores the agreement's interval without anything to undo.
- Meeting the criteria ends the ladder: the open step closes as "left".
- Nobody is ranked by step: lists of people on the ladder are in name order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from followthrough.coaching import rights
from followthrough.coaching.intervals import interval_for
from followthrough.coaching.models import LadderOutcome, LadderStep, Step
from followthrough.coaching.models.choices import INTERVALS_LONGEST_FIRST
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Role

FIRST_STEP = Step.COACH
LAST_STEP = Step.EXIT


def shorter_interval(interval: str) -> str:
    """The next shorter self-report interval; the shortest stays itself."""
    order = list(INTERVALS_LONGEST_FIRST)
    index = order.index(interval) if interval in order else order.index("weekly")
    return order[min(index + 1, len(order) - 1)]


def open_step_of(rep: Person) -> LadderStep | None:
    return LadderStep.objects.filter(rep=rep, outcome=LadderOutcome.OPEN).first()


def check_opener(by: Person, rep: Person) -> None:
    """Refuse, as an error on the rep field, a step opened for oneself or someone not reporting."""
    if by.pk == rep.pk:
        raise ValidationError({"rep": _("You cannot open a ladder step for yourself.")})
    if not rights.can_coach(by, rep):
        raise ValidationError({"rep": _("This person does not report to you.")})


def check_next_step(rep: Person, step: int, started_on: dt.date) -> LadderStep | None:
    """The open step the new one follows (None: the first); refuses skips and unreviewed steps."""
    current = open_step_of(rep)
    if current is None:
        if step != FIRST_STEP:
            raise ValidationError(
                {"step": _("A rep starts the ladder at step 1, coach and develop.")}
            )
        return None
    if step <= current.step:
        raise ValidationError(
            {"step": _("%(name)s is on step %(step)s already.") % _step_args(rep, current.step)}
        )
    if step != current.step + 1:
        raise ValidationError(
            {
                "step": _("Steps are not skipped: the next step is %(step)s.")
                % {"step": current.step + 1}
            }
        )
    if current.reviewed_on is None or not current.review.strip():
        raise ValidationError(
            {
                "step": _("Record the review of step %(step)s before moving up.")
                % {"step": current.step}
            }
        )
    if started_on < current.reviewed_on:
        raise ValidationError(
            {
                "started_on": _(
                    "The step starts on or after the review of the step before (%(day)s)."
                )
                % {"day": current.reviewed_on.isoformat()}
            }
        )
    return current


def _step_args(rep: Person, step: int) -> dict:
    return {"name": rep.name, "step": step}


@transaction.atomic
def open_step(
    *,
    by: Person,
    rep: Person,
    step: int,
    started_on: dt.date,
    review_on: dt.date,
    plan: str,
    exit_criteria: str,
) -> LadderStep:
    """Open `step` for `rep`: the first, or the next after a reviewed one (which ends moved up)."""
    check_opener(by, rep)
    if review_on < started_on:
        raise ValidationError({"review_on": _("The review date is before the start date.")})
    previous = check_next_step(rep, step, started_on)
    report_interval = ""
    if step == Step.SHORTER_INTERVAL:
        # Read before the new step exists: the interval the rep has now, one place shorter.
        report_interval = shorter_interval(interval_for(rep, today_for(rep.organisation)))
    if previous is not None:
        previous.outcome = LadderOutcome.MOVED_UP
        previous.ended_on = started_on
        previous.save()
    new = LadderStep(
        organisation=rep.organisation,
        rep=rep,
        step=step,
        started_on=started_on,
        review_on=review_on,
        plan=plan,
        exit_criteria=exit_criteria,
        report_interval=report_interval,
        previous=previous,
        opened_by=by,
    )
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError:
        raise ValidationError(
            {"step": _("Someone opened a step for this rep at the same moment: look again.")}
        ) from None
    return new


def check_reviewer(by: Person, step: LadderStep) -> None:
    if not rights.can_coach(by, step.rep):
        raise ValidationError({"rep": _("This person does not report to you.")})
    if step.outcome != LadderOutcome.OPEN:
        raise ValidationError({"review": _("This step has ended; its record stays as it is.")})


def check_review(
    step: LadderStep,
    *,
    by: Person,
    reviewed_on: dt.date,
    review: str,
    next_review_on: dt.date | None = None,
) -> None:
    """Refuse a review record_review would refuse, with the field it is about."""
    check_reviewer(by, step)
    errors = {}
    if reviewed_on < step.started_on:
        errors["reviewed_on"] = _("The review is before the step started.")
    elif reviewed_on > today_for(step.organisation):
        errors["reviewed_on"] = _("A review is recorded once it has happened, not ahead.")
    if not review.strip():
        errors["review"] = _("Write what the review found.")
    if next_review_on is not None and next_review_on <= reviewed_on:
        errors["next_review_on"] = _("The next review comes after this one.")
    if errors:
        raise ValidationError(errors)


def record_review(
    step: LadderStep,
    *,
    by: Person,
    reviewed_on: dt.date,
    review: str,
    next_review_on: dt.date | None = None,
) -> LadderStep:
    """Record the review of an open step; optionally set the date of the next one."""
    check_review(step, by=by, reviewed_on=reviewed_on, review=review, next_review_on=next_review_on)
    step.reviewed_on = reviewed_on
    step.review = review
    if next_review_on is not None:
        step.review_on = next_review_on
    step.save()
    return step


def end_step(step: LadderStep, *, by: Person, outcome: str, ended_on: dt.date) -> LadderStep:
    """End an open, reviewed step: LEFT (the criteria are met) or CLOSED."""
    check_reviewer(by, step)
    if outcome not in (LadderOutcome.LEFT, LadderOutcome.CLOSED):
        raise ValidationError({"outcome": _("Choose how the step ends.")})
    if step.reviewed_on is None or not step.review.strip():
        raise ValidationError({"outcome": _("Record the review of this step before it ends.")})
    if ended_on < step.reviewed_on:
        raise ValidationError({"ended_on": _("The step ends on or after its review.")})
    step.outcome = outcome
    step.ended_on = ended_on
    step.save()
    return step


def leave_ladder(step: LadderStep, *, by: Person, ended_on: dt.date) -> LadderStep:
    """The criteria are met: the rep leaves the ladder, and a shortened interval is restored."""
    return end_step(step, by=by, outcome=LadderOutcome.LEFT, ended_on=ended_on)


# --- Reading the ladder -------------------------------------------------------------


def steps_of(rep: Person) -> QuerySet[LadderStep]:
    """A rep's own steps, newest first: what they see on their ladder page."""
    return (
        LadderStep.objects.filter(rep=rep)
        .select_related("opened_by")
        .order_by("-started_on", "-step")
    )


def on_ladder(viewer: Person) -> QuerySet[LadderStep]:
    """Open steps of the people `viewer` acts for, in name order: never ranked by step."""
    ids = access.visible_person_ids(viewer)
    steps = LadderStep.objects.filter(
        organisation_id=viewer.organisation_id, outcome=LadderOutcome.OPEN
    ).exclude(rep_id=viewer.pk)
    if ids is not None:
        steps = steps.filter(rep_id__in=ids)
    return steps.select_related("rep").order_by("rep__name", "rep_id")


def can_see_usage(viewer: Person | None) -> bool:
    return viewer is not None and viewer.role in (Role.LEADER, Role.ADMIN)


@dataclass
class UsageRow:
    """One manager: how many steps of each kind they opened in the period."""

    manager: Person
    counts: list[int] = field(default_factory=lambda: [0] * len(Step))

    @property
    def total(self) -> int:
        return sum(self.counts)


def usage(viewer: Person, start: dt.date, end: dt.date) -> list[UsageRow]:
    """Per manager below `viewer` (everyone for an admin) and per step: steps opened in
    [start, end]. Two queries whatever the number of managers; rows in name order."""
    managers = Person.objects.filter(
        organisation_id=viewer.organisation_id, role=Role.MANAGER
    ).order_by("name", "pk")
    ids = access.visible_person_ids(viewer)
    if ids is not None:
        managers = managers.filter(pk__in=ids - {viewer.pk})
    rows = {person.pk: UsageRow(person) for person in managers}
    counts = (
        LadderStep.objects.filter(
            organisation_id=viewer.organisation_id,
            opened_by_id__in=list(rows),
            started_on__gte=start,
            started_on__lte=end,
        )
        .values("opened_by_id", "step")
        .annotate(n=Count("pk"))
    )
    for row in counts:
        rows[row["opened_by_id"]].counts[row["step"] - 1] = row["n"]
    return list(rows.values())
