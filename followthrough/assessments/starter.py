"""The starter rubric and role scorecard templates shipped with the product.

Texts are English msgids, marked for the catalogues with gettext_noop and translated on
display (see texts.shown): while an organisation keeps a starter text, each reader sees
it in their language; text it writes itself is shown as written. "Building rapport on
a sales call" carries the behaviours of DOMAIN.md P1.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_noop

from followthrough.assessments.models import Competency, Rubric, RubricSection, default_levels
from followthrough.people.models import Organisation

BELOW, MEETS, EXCEEDS = "below", "meets", "exceeds"

# The level labels, for the catalogues (models.default_levels stores them in English).
LEVEL_LABELS = (
    gettext_noop("Below expectations"),
    gettext_noop("Meets expectations"),
    gettext_noop("Exceeds expectations"),
)


@dataclass(frozen=True)
class StarterCompetency:
    name: str
    below: str
    meets: str
    exceeds: str
    metric: str = ""


STARTER_NAME = gettext_noop("Sales skills")
STARTER_DESCRIPTION = gettext_noop(
    "How we sell, step by step: the behaviours that show each competency below, at and "
    "above what we expect. The same standard for everyone in a role."
)

STARTER: tuple[tuple[str, tuple[StarterCompetency, ...]], ...] = (
    (
        gettext_noop("Prospecting"),
        (
            StarterCompetency(
                gettext_noop("Targeting the right accounts"),
                gettext_noop(
                    "Works through lists without checking fit; many conversations with people who cannot buy."
                ),
                gettext_noop(
                    "Qualifies accounts against the ideal customer profile before reaching out."
                ),
                gettext_noop(
                    "Finds trigger events and prioritises accounts most likely to buy now."
                ),
                "meetings_per_100_outbound",
            ),
            StarterCompetency(
                gettext_noop("Consistent outreach"),
                gettext_noop("Prospects in bursts when the pipeline is empty."),
                gettext_noop(
                    "Blocks prospecting time every week and follows a multi-touch sequence."
                ),
                gettext_noop(
                    "Keeps the rhythm in good weeks too and tests new messages deliberately."
                ),
                "deals_created",
            ),
        ),
    ),
    (
        gettext_noop("Discovery"),
        (
            StarterCompetency(
                gettext_noop("Building rapport on a sales call"),
                gettext_noop(
                    "Does not adapt behaviour, no eye contact, misses verbal and non-verbal cues, monotone voice."
                ),
                gettext_noop(
                    "Establishes commonality before the sales discussion, adapts to the prospect's "
                    "personality and style, notices changes in the prospect's attitude and reacts, "
                    "ends with actionable next steps."
                ),
                gettext_noop(
                    "Reads body language and tone, asks questions to surface probable objections."
                ),
                "second_meetings_held",
            ),
            StarterCompetency(
                gettext_noop("Uncovering needs"),
                gettext_noop(
                    "Pitches before understanding the problem; asks mostly closed questions."
                ),
                gettext_noop(
                    "Asks open questions, quantifies the pain and confirms what they heard."
                ),
                gettext_noop("Finds the need behind the stated need and who else it affects."),
                "win_rate",
            ),
        ),
    ),
    (
        gettext_noop("Demo"),
        (
            StarterCompetency(
                gettext_noop("Tailored demonstration"),
                gettext_noop("Shows every feature in the same order to every prospect."),
                gettext_noop(
                    "Shows what answers the needs found in discovery, in the prospect's terms."
                ),
                gettext_noop(
                    "Lets the prospect drive and ties each part to a measurable outcome for them."
                ),
                "win_rate",
            ),
        ),
    ),
    (
        gettext_noop("Negotiation"),
        (
            StarterCompetency(
                gettext_noop("Defending value"),
                gettext_noop(
                    "Offers discounts before being asked; concedes without getting anything back."
                ),
                gettext_noop(
                    "Trades concessions for commitments and keeps the discussion on value."
                ),
                gettext_noop(
                    "Prepares walk-away points and finds terms that are worth more to the buyer than they cost us."
                ),
                "avg_deal_size",
            ),
        ),
    ),
    (
        gettext_noop("Closing"),
        (
            StarterCompetency(
                gettext_noop("Asking for the business"),
                gettext_noop(
                    "Waits for the prospect to decide; deals drift past their close date."
                ),
                gettext_noop("Agrees a mutual plan to a decision date and asks for the order."),
                gettext_noop("Surfaces the last objections early and closes on the agreed date."),
                "win_rate",
            ),
        ),
    ),
    (
        gettext_noop("CRM discipline"),
        (
            StarterCompetency(
                gettext_noop("Keeping the CRM true"),
                gettext_noop(
                    "Logs activities late or in bulk; close dates and stages are out of date."
                ),
                gettext_noop(
                    "Logs every activity the same day; each open deal has a current stage, close date and next step."
                ),
                gettext_noop(
                    "Keeps the forecast honest: moves deals back as soon as they slip and says why."
                ),
                "pipeline_leakage",
            ),
        ),
    ),
)


@transaction.atomic
def create_starter_rubric(org: Organisation) -> Rubric:
    """The starter rubric for `org`, in English msgids (translated on display)."""
    rubric = Rubric.objects.create(
        organisation=org,
        name=STARTER_NAME,
        description=STARTER_DESCRIPTION,
        levels=default_levels(),
        starter=True,
    )
    for step, (section_name, competencies) in enumerate(STARTER):
        section = RubricSection.objects.create(
            organisation=org, rubric=rubric, name=section_name, position=step
        )
        for place, starter in enumerate(competencies):
            Competency.objects.create(
                organisation=org,
                section=section,
                name=starter.name,
                position=place,
                behaviours={BELOW: starter.below, MEETS: starter.meets, EXCEEDS: starter.exceeds},
                metric_key=starter.metric,
            )
    return rubric
