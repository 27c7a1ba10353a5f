"""The starter 30/60/90-day onboarding plan shipped with the product.

Texts are English msgids, marked for the catalogues with gettext_noop and translated on
display (see assessments.texts.shown): while an organisation keeps a starter text, each
reader sees it in their language; text it writes itself is shown as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from followthrough.assessments.models import ScorecardTemplate
from followthrough.people.models import Organisation
from followthrough.programs.models import Milestone, MilestoneKind, Program

TRAINING, CERTIFICATION, METRIC = MilestoneKind.values


@dataclass(frozen=True)
class StarterMilestone:
    day: int
    kind: str
    name: str
    done_when: str
    metric: str = ""
    target: Decimal | None = None


STARTER_NAME = gettext_noop("30/60/90-day onboarding plan")
STARTER_DESCRIPTION = gettext_noop(
    "A new account executive's first quarter: learn the tools and the product in the first "
    "30 days, hold first meetings and pass the certifications by day 60, build their own "
    "pipeline to full ramp by day 90."
)

STARTER: tuple[StarterMilestone, ...] = (
    StarterMilestone(
        7,
        TRAINING,
        gettext_noop("CRM and tools training"),
        gettext_noop(
            "Logged in to the CRM and the phone system, created a practice deal with a next "
            "step and a close date, and logged a call and an e-mail on it."
        ),
    ),
    StarterMilestone(
        14,
        TRAINING,
        gettext_noop("Product training"),
        gettext_noop(
            "Finished the product course and gave the ten-minute product pitch to the "
            "manager, answering the five most common questions."
        ),
    ),
    StarterMilestone(
        21,
        TRAINING,
        gettext_noop("Shadowed five sales calls"),
        gettext_noop(
            "Joined five calls of experienced colleagues and wrote down, for each, one thing "
            "to copy."
        ),
    ),
    StarterMilestone(
        30,
        METRIC,
        gettext_noop("First 10 first meetings held"),
        gettext_noop(
            "Ten first meetings with prospects held and logged in the CRM since the start."
        ),
        "first_meetings_held",
        Decimal(10),
    ),
    StarterMilestone(
        30,
        CERTIFICATION,
        gettext_noop("Product certification"),
        gettext_noop(
            "Demonstrates the product to the manager as to a prospect; every competency of "
            "the scorecard rated at least at the middle level."
        ),
    ),
    StarterMilestone(
        60,
        CERTIFICATION,
        gettext_noop("Discovery call certification"),
        gettext_noop(
            "A real discovery call observed by the manager: needs uncovered, next step agreed; "
            "every competency rated at least at the middle level."
        ),
    ),
    StarterMilestone(
        60,
        METRIC,
        gettext_noop("First deal won"),
        gettext_noop("The first deal of their own closed as won in the CRM."),
        "deals_won",
        Decimal(1),
    ),
    StarterMilestone(
        90,
        METRIC,
        gettext_noop("At full ramp: own pipeline created"),
        gettext_noop("New deals they created since the start add up to 250,000 in pipeline."),
        "pipeline_created",
        Decimal(250_000),
    ),
)


def certification_template(org: Organisation) -> ScorecardTemplate | None:
    """The template certifications are passed on: the organisation's current default one."""
    current = ScorecardTemplate.objects.filter(organisation=org, is_current=True)
    return current.filter(job_title="").order_by("pk").first() or current.order_by("pk").first()


@transaction.atomic
def create_starter_program(org: Organisation) -> Program:
    """The 30/60/90-day plan for `org`, in English msgids (translated on display)."""
    template = certification_template(org)
    if template is None:
        raise ValidationError(
            _("Publish a scorecard template first: certifications are passed on one.")
        )
    program = Program.objects.create(
        organisation=org, name=STARTER_NAME, description=STARTER_DESCRIPTION, starter=True
    )
    for place, step in enumerate(STARTER):
        Milestone.objects.create(
            organisation=org,
            program=program,
            name=step.name,
            definition_of_done=step.done_when,
            kind=step.kind,
            due_day=step.day,
            metric_key=step.metric,
            target=step.target,
            template=template if step.kind == CERTIFICATION else None,
            position=place,
        )
    return program
