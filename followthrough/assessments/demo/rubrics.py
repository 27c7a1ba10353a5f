"""The demo organisation's rubrics and role scorecard templates.

The starter rubric, a template for the account executives and one for the SDRs (the
job titles demo/build.py gives them), then version 2 of the AE template with one weight
changed, so the template's history shows what changed and who published it.
"""

from __future__ import annotations

import datetime as dt

from followthrough.assessments import versions
from followthrough.assessments.models import Competency
from followthrough.assessments.starter import create_starter_rubric
from followthrough.people.models import Organisation, Person, Role

AE_TITLE = "Account Executive"
SDR_TITLE = "Sales Development Rep"
AE_KPIS = [
    {"metric": "deals_won", "weight": "2"},
    {"metric": "revenue_won", "weight": "3"},
    {"metric": "win_rate", "weight": "1"},
    {"metric": "first_meetings_held", "weight": "1"},
]
# Version 2: the win rate counts as much as the deals won.
AE_KPIS_V2 = [{**kpi, "weight": "2"} if kpi["metric"] == "win_rate" else kpi for kpi in AE_KPIS]
SDR_KPIS = [
    {"metric": "first_meetings_held", "weight": "3"},
    {"metric": "leads_converted", "weight": "2"},
    {"metric": "activities", "weight": "1"},
]
# Competencies the AE template weighs double: discovery and closing decide the win rate.
AE_HEAVY = ("Uncovering needs", "Asking for the business")
SDR_HEAVY = ("Targeting the right accounts", "Consistent outreach")


def _weights(org: Organisation, heavy: tuple[str, ...]) -> dict[int, str]:
    return {
        pk: "2"
        for pk in Competency.objects.filter(organisation=org, name__in=heavy).values_list(
            "pk", flat=True
        )
    }


def seed(org: Organisation, today: dt.date) -> None:
    rubric = create_starter_rubric(org)
    admin = Person.objects.filter(organisation=org, role=Role.ADMIN).order_by("pk").first()
    leader = Person.objects.filter(organisation=org, role=Role.LEADER).order_by("pk").first()
    ae = versions.publish(
        rubric=rubric,
        name="Account Executive",
        job_title=AE_TITLE,
        kpis=AE_KPIS,
        competency_weights=_weights(org, AE_HEAVY),
        by=admin,
    )
    versions.publish(
        rubric=rubric,
        name="Sales Development Rep",
        job_title=SDR_TITLE,
        kpis=SDR_KPIS,
        competency_weights=_weights(org, SDR_HEAVY),
        by=admin,
    )
    versions.publish(
        rubric=rubric,
        name="Account Executive",
        job_title=AE_TITLE,
        kpis=AE_KPIS_V2,
        competency_weights=_weights(org, AE_HEAVY),
        family=ae,
        by=leader or admin,
    )
