"""The starter rubric and role scorecard templates shipped with the product.

Texts are English msgids, marked for the catalogues with gettext_noop and translated on
display (see texts.shown): while an organisation keeps a starter text, each reader sees
it in their language; text it writes itself is shown as written. "Building rapport on
a sales call" carries the behaviours of DOMAIN.md P1.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_noop as N_

from followthrough.assessments.models import Competency, Rubric, RubricSection, default_levels
from followthrough.people.models import Organisation

BELOW, MEETS, EXCEEDS = "below", "meets", "exceeds"

# The level labels, for the catalogues (models.default_levels stores them in English).
LEVEL_LABELS = (N_("Below expectations"), N_("Meets expectations"), N_("Exceeds expectations"))


@dataclass(frozen=True)
class StarterCompetency:
    name: str
    below: str
    meets: str
    exceeds: str
    metric: str = ""


STARTER_NAME = N_("Sales skills")
STARTER_DESCRIPTION = N_(
    "How we sell, step by step: the behaviours that show each competency below, at and "
    "above what we expect. The same standard for everyone in a role."
)

STARTER: tuple[tuple[str, tuple[StarterCompetency, ...]], ...] = (
    (
        N_("Prospecting"),
        (
            StarterCompetency(
                N_("Targeting the right accounts"),
                N_(
                    "Works through lists without checking fit; many conversations with people who cannot buy."
                ),
                N_("Qualifies accounts against the ideal customer profile before reaching out."),
                N_("Finds trigger events and prioritises accounts most likely to buy now."),
                "meetings_per_100_outbound",
            ),
            StarterCompetency(
                N_("Consistent outreach"),
                N_("Prospects in bursts when the pipeline is empty."),
                N_("Blocks prospecting time every week and follows a multi-touch sequence."),
                N_("Keeps the rhythm in good weeks too and tests new messages deliberately."),
                "deals_created",
            ),
        ),
    ),
    (
        N_("Discovery"),
        (
            StarterCompetency(
                N_("Building rapport on a sales call"),
                N_(
                    "Does not adapt behaviour, no eye contact, misses verbal and non-verbal cues, monotone voice."
                ),
                N_(
                    "Establishes commonality before the sales discussion, adapts to the prospect's "
                    "personality and style, notices changes in the prospect's attitude and reacts, "
                    "ends with actionable next steps."
                ),
                N_("Reads body language and tone, asks questions to surface probable objections."),
                "second_meetings_held",
            ),
            StarterCompetency(
                N_("Uncovering needs"),
                N_("Pitches before understanding the problem; asks mostly closed questions."),
                N_("Asks open questions, quantifies the pain and confirms what they heard."),
                N_("Finds the need behind the stated need and who else it affects."),
                "win_rate",
            ),
        ),
    ),
    (
        N_("Demo"),
        (
            StarterCompetency(
                N_("Tailored demonstration"),
                N_("Shows every feature in the same order to every prospect."),
                N_("Shows what answers the needs found in discovery, in the prospect's terms."),
                N_("Lets the prospect drive and ties each part to a measurable outcome for them."),
                "win_rate",
            ),
        ),
    ),
    (
        N_("Negotiation"),
        (
            StarterCompetency(
                N_("Defending value"),
                N_("Offers discounts before being asked; concedes without getting anything back."),
                N_("Trades concessions for commitments and keeps the discussion on value."),
                N_(
                    "Prepares walk-away points and finds terms that are worth more to the buyer than they cost us."
                ),
                "avg_deal_size",
            ),
        ),
    ),
    (
        N_("Closing"),
        (
            StarterCompetency(
                N_("Asking for the business"),
                N_("Waits for the prospect to decide; deals drift past their close date."),
                N_("Agrees a mutual plan to a decision date and asks for the order."),
                N_("Surfaces the last objections early and closes on the agreed date."),
                "win_rate",
            ),
        ),
    ),
    (
        N_("CRM discipline"),
        (
            StarterCompetency(
                N_("Keeping the CRM true"),
                N_("Logs activities late or in bulk; close dates and stages are out of date."),
                N_(
                    "Logs every activity the same day; each open deal has a current stage, close date and next step."
                ),
                N_(
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
