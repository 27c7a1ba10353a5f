"""The demo's hygiene history: half a year of weekly scores, as of each past week.

Computed from the deal history (diagnostics/hygiene.py `review_days`): everything but
the next-step rules, which a CRM keeps only as they are today; today's point is the
full check, as the nightly run writes it.
"""

from __future__ import annotations

import datetime as dt

from followthrough.diagnostics import hygiene
from followthrough.people.models import Organisation, Person, Role

WEEKS = 26


def seed(org: Organisation, today: dt.date) -> None:
    people = list(
        Person.objects.filter(organisation=org, role=Role.REP, is_active=True).values_list(
            "pk", flat=True
        )
    )
    days = [today - dt.timedelta(weeks=week) for week in range(WEEKS, 0, -1)]
    hygiene.save_scores(org, hygiene.review_days(org, people, days))
    hygiene.record_scores(org, today)
