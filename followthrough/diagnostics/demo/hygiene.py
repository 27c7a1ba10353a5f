"""The demo's hygiene history: half a year of weekly scores, as of each past week.

Computed from the deal history (diagnostics/hygiene.py `review_days`): everything but
the next-step rules, which a CRM keeps only as they are today; today's point is the
full check, as the nightly run writes it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min

from followthrough.crm.models import Activity
from followthrough.diagnostics import hygiene
from followthrough.diagnostics.models import DiagnosticSettings
from followthrough.people.models import Organisation, Person, Role

WEEKS = 26
STALE_DAYS = DiagnosticSettings._meta.get_field("stale_days").default


def seed(org: Organisation, today: dt.date) -> None:
    people = list(
        Person.objects.filter(organisation=org, role=Role.REP, is_active=True).values_list(
            "pk", flat=True
        )
    )
    # Only weeks the data can judge: from three weeks after its first activity (before
    # that, every deal already open would look stale).
    first = Activity.objects.filter(organisation=org).aggregate(first=Min("occurred_on"))["first"]
    days = [today - dt.timedelta(weeks=week) for week in range(WEEKS, 0, -1)]
    days = [day for day in days if first and day >= first + dt.timedelta(days=STALE_DAYS)]
    if days:
        hygiene.save_scores(org, hygiene.review_days(org, people, days))
    hygiene.record_scores(org, today)
