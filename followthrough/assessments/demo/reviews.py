"""The demo organisation's reviews: last quarter's, for Maya Manager's team.

Each rep of the team who was there gets a review of the last full quarter, written
and shared by Maya some ten days after it ended; all are acknowledged but Ruben Rep's
(the demo rep login, to try it), and Sara Visser answered with a comment. A rep without a manager assessment in that quarter gets one
first (through assessing, like a manager's own), so every review has ratings.
"""

from __future__ import annotations

import datetime as dt

from followthrough.assessments import assessing
from followthrough.assessments import reviews as logic
from followthrough.assessments.demo.plans import MANAGER, assess, demo_template
from followthrough.assessments.models import Assessment, AssessmentKind, Review
from followthrough.people.lines import lines_on
from followthrough.people.models import Organisation, Person, Role

UNACKNOWLEDGED = "Ruben Rep"  # the demo rep login: left to acknowledge by hand
COMMENTING = "Sara Visser"
COMMENT = (
    "Fair summary. January was hard for me, as you say; I would like help planning "
    "the first weeks of the year before they start."
)
SUMMARIES = {
    "Ruben Rep": "An excellent prospecting quarter: the most first meetings in the team. "
    "Discovery is the next step; our plan on it has started.",
    "Sara Visser": "Solid when you are in rhythm; the weeks without prospecting show in the "
    "pipeline a month later. Let's plan the quiet weeks ahead.",
    "Tom de Jong": "The quarter the phone came back: prospecting is steady and aimed at the "
    "right accounts. Keep the morning block.",
}
DEFAULT_SUMMARY = "A good start. Keep logging every call, and bring one deal to each 1:1."
LEVELS = {
    "Ruben Rep": {"Consistent outreach": "exceeds", "Uncovering needs": "below"},
    "Sara Visser": {"Consistent outreach": "below", "Keeping the CRM true": "exceeds"},
    "Lotte Bakker": {"Building rapport on a sales call": "exceeds"},
}


def seed(org: Organisation, today: dt.date) -> None:
    maya = Person.objects.filter(organisation=org, name=MANAGER).first()
    if maya is None:
        return
    reps = [
        line.person
        for line in lines_on(org, today)
        .filter(
            manager=maya,
            person__role=Role.REP,
            person__is_active=True,
            person__title="Account Executive",
        )
        .select_related("person__organisation")
        .order_by("person__name")
    ]
    if not reps:
        return
    start, end = logic.last_period(reps[0], today)
    reps = [rep for rep in reps if rep.role_since <= end]  # a new hire has no review yet
    rated = set(
        assessing.standing(Assessment.objects.filter(rep__in=reps, kind=AssessmentKind.MANAGER))
        .filter(cycle_start__lte=end, cycle_end__gte=start)
        .values_list("rep_id", flat=True)
    )
    shared_at = dt.datetime.combine(end + dt.timedelta(days=10), dt.time(15, 0), tzinfo=dt.UTC)
    for rep in reps:
        if rep.pk not in rated:
            template = demo_template(org, rep)
            assess(template, rep, maya, min(end, today), LEVELS.get(rep.name, {}), {})
        review = logic.open_review(by=maya, rep=rep, period_start=start, today=today)
        logic.share(review, by=maya, summary=SUMMARIES.get(rep.name, DEFAULT_SUMMARY))
        if rep.name != UNACKNOWLEDGED:
            logic.acknowledge(review, by=rep, comment=COMMENT if rep.name == COMMENTING else "")
        # Shared and read on the days they were, not when the demo was built.
        Review.objects.filter(pk=review.pk).update(
            shared_at=shared_at,
            acknowledged_at=None
            if rep.name == UNACKNOWLEDGED
            else shared_at + dt.timedelta(days=2),
        )
