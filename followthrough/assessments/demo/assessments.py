"""The demo organisation's assessments, ratings and focus areas.

Last quarter every account executive wrote a self-assessment and their manager
assessed them; Sara Visser reviewed Ruben Rep at Maya's request (anonymous to
Ruben); managers observed a few real calls and deals. The two managers rate
differently: Maya in line with each rep's win rate, Otto generously (mostly
"exceeds" whatever the results), so calibration has someone to flag. Several reps
work on two or three focus areas picked from last quarter's assessment. This
quarter has begun: self-assessments asked for, a few manager assessments and an
observation. Ruben's manager assessment this quarter is left for Maya to write.
Everything goes through the functions the pages use, so the audit has it all.
"""

from __future__ import annotations

import datetime as dt

from followthrough.assessments import assessing, checklist, focus, versions
from followthrough.assessments.models import Assessment, AssessmentKind, Rubric, ScorecardTemplate
from followthrough.assessments.starter import create_starter_rubric
from followthrough.crm.choices import ActivityType
from followthrough.crm.models import Activity
from followthrough.lib.periods import Period
from followthrough.metrics import engine
from followthrough.people.lines import lines_on
from followthrough.people.models import Organisation, Person, Role

IN_LINE = "Maya Manager"
GENEROUS = "Otto Keller"
PEER_REVIEW = ("Ruben Rep", "Sara Visser")  # (rep, peer)
NOT_YET = "Ruben Rep"  # Maya assesses him this quarter in the guide's walk-through
FOCUS_REPS = {"Ruben Rep": 1, "Sara Visser": 3, "Tom de Jong": 2, "Lena Fischer": 2}
LEVELS = ("below", "meets", "exceeds")
TITLE = "Account Executive"


def ensure_template(org: Organisation) -> None:
    """The starter rubric and a template, unless the rubrics part made them already."""
    if ScorecardTemplate.objects.filter(organisation=org).exists():
        return
    rubric = Rubric.objects.filter(organisation=org).first() or create_starter_rubric(org)
    versions.publish(rubric=rubric, name="Account executive")


def _level(base: int, index: int) -> str:
    # A rep is not equally good at everything: one step either way on some competencies.
    wobble = (0, 0, 1, 0, -1)[index % 5]
    return LEVELS[max(0, min(2, base + wobble))]


def _rate(assessment: Assessment, levels: list[str], evidence: str) -> Assessment:
    for c, level in zip(assessment.template.competencies, levels, strict=True):
        assessing.rate(assessment, c["id"], level, evidence)
    return assessing.submit(assessment)


def seed(org: Organisation, today: dt.date) -> None:
    ensure_template(org)
    current = checklist.cycle_of(org, today)
    last = checklist.previous_cycle(current, org)
    people = {p.pk: p for p in Person.objects.filter(organisation=org, is_active=True)}
    managers = dict(lines_on(org, today).values_list("person_id", "manager_id"))
    reps = sorted(
        (
            p
            for p in people.values()
            if p.role == Role.REP and p.title == TITLE and managers.get(p.pk) in people
        ),
        key=lambda p: p.name,
    )
    if not reps:
        return
    # One set-based query: last quarter's win rate of every rep, for the in-line manager.
    rates = engine.compute(org, ["win_rate"], [last], [p.pk for p in reps])
    won = {p.pk: rates.get(p.pk, "win_rate", last).value for p in reps}
    ranked = sorted(v for v in won.values() if v is not None)

    def standing(rep: Person) -> int:
        value = won.get(rep.pk)
        if value is None or not ranked:
            return 1
        share = ranked.index(value) / max(1, len(ranked) - 1)
        return 0 if share < 0.34 else (2 if share > 0.66 else 1)

    by_name = {p.name: p for p in reps}
    picked_from: dict[int, Assessment] = {}
    for rep in reps:
        boss = people[managers[rep.pk]]
        template = versions.template_for(rep)
        count = len(template.competencies)
        generous = boss.name == GENEROUS
        base = standing(rep)
        manager_levels = [
            "meets" if generous and i % 8 == 7 else ("exceeds" if generous else _level(base, i))
            for i in range(count)
        ]
        # Reps rate themselves a little higher than their manager does.
        self_levels = [_level(min(2, base + (i % 2)), i) for i in range(count)]
        asked = checklist.ask_self_assessment(by=boss, rep=rep, cycle=last)
        _rate(asked, self_levels, "How I see my last quarter.")
        made = checklist.start_assessment(by=boss, rep=rep, kind=AssessmentKind.MANAGER, cycle=last)
        made.summary = "A solid quarter; keep the pipeline reviews going."
        made.private_note = "Talk about the next step in their career at the review."
        made.save()
        picked_from[rep.pk] = _rate(made, manager_levels, "Seen in deal reviews and on calls.")

    rep, peer = (by_name.get(name) for name in PEER_REVIEW)
    if rep is not None and peer is not None:
        boss = people[managers[rep.pk]]
        [review] = checklist.request_peer_reviews(by=boss, rep=rep, peers=[peer], cycle=last)
        count = len(review.template.competencies)
        _rate(review, [_level(1, i + 1) for i in range(count)], "Heard on our shared accounts.")

    _observations(org, reps, people, managers, last, current, today)
    _this_quarter(reps, people, managers, current, standing)
    _focus_areas(by_name, people, managers, picked_from, today)


def _observations(org, reps, people, managers, last: Period, current: Period, today) -> None:
    """A few observed calls and demos, each linked to the rep's real activity and its deal."""
    chosen = reps[:4]
    calls = {}
    for activity in (
        Activity.objects.filter(
            organisation=org,
            owner_id__in=[r.pk for r in chosen],
            type__in=(ActivityType.CALL, ActivityType.MEETING, ActivityType.DEMO),
            occurred_on__range=(last.start, today),
            deal__isnull=False,
        )
        .order_by("owner_id", "-occurred_on", "-pk")
        .only("pk", "owner_id", "occurred_on", "deal_id")
    ):
        calls.setdefault(activity.owner_id, activity)
    for index, rep in enumerate(chosen):
        activity = calls.get(rep.pk)
        if activity is None:
            continue
        boss = people[managers[rep.pk]]
        cycle = current if activity.occurred_on >= current.start else last
        observed = checklist.start_assessment(
            by=boss,
            rep=rep,
            kind=AssessmentKind.OBSERVATION,
            cycle=cycle,
            observed_on=activity.occurred_on,
            deal=activity.deal,
            activity=activity,
        )
        count = len(observed.template.competencies)
        levels = [_level(1 + (index % 2) - (i % 3 == 0), i) for i in range(count)]
        _rate(observed, levels, "Observed on the call.")


def _this_quarter(reps, people, managers, current: Period, standing) -> None:
    """Self-assessments asked for; a couple of manager assessments already in."""
    done = 0
    for rep in reps:
        if rep.name == NOT_YET:
            continue
        boss = people[managers[rep.pk]]
        asked = checklist.ask_self_assessment(by=boss, rep=rep, cycle=current)
        if done < 2:
            count = len(asked.template.competencies)
            _rate(asked, [_level(standing(rep), i) for i in range(count)], "This quarter so far.")
            made = checklist.start_assessment(
                by=boss, rep=rep, kind=AssessmentKind.MANAGER, cycle=current
            )
            _rate(made, [_level(standing(rep), i + 2) for i in range(count)], "Deal reviews.")
            done += 1


def _focus_areas(by_name, people, managers, picked_from, today) -> None:
    """Two or three focus areas each, the lowest-rated competencies first."""
    order = {level: rank for rank, level in enumerate(LEVELS)}
    for name, count in FOCUS_REPS.items():
        rep = by_name.get(name)
        if rep is None or rep.pk not in picked_from:
            continue
        assessment = picked_from[rep.pk]
        ratings = sorted(assessment.ratings.all(), key=lambda r: (order[r.level], r.pk))
        boss = people[managers[rep.pk]]
        for rating in ratings[:count]:
            focus.pick(
                by=boss,
                assessment=assessment,
                competency_id=rating.competency_id,
                note="Practise it on two calls a week; we look at one together in the 1:1.",
                on=today - dt.timedelta(days=20),
            )
