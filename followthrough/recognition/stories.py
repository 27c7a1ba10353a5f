"""Win and loss stories: a closed deal's owner (or someone above them) writes what worked
and what did not, for the team to learn from; searchable by product, stage and outcome."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from followthrough.crm.choices import Outcome
from followthrough.people.models import Person
from followthrough.recognition import rights
from followthrough.recognition.models import STORY_LENGTH, Story, StoryOutcome


class StoryRefused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def stage_of(deal) -> str:
    """The stage a story is filed under: where a lost deal was lost, else its stage."""
    if deal.outcome == Outcome.LOST:
        change = deal.stage_changes.order_by("-changed_at").first()
        if change is not None and change.from_stage:
            return change.from_stage
    return deal.stage


def write_story(
    author: Person, deal, *, worked: str, did_not_work: str, shared: bool = True
) -> Story:
    """Write (or rewrite) `author`'s story on `deal`, or raise StoryRefused."""
    if not rights.can_write_story(author, deal):
        raise StoryRefused(
            _("Only the owner of a closed deal, or their manager, writes its story."), "deal"
        )
    worked, did_not_work = (worked or "").strip(), (did_not_work or "").strip()
    if not worked and not did_not_work:
        raise StoryRefused(_("Write what worked or what did not, in a few lines."), "worked")
    for name, text in (("worked", worked), ("did_not_work", did_not_work)):
        if len(text) > STORY_LENGTH:
            raise StoryRefused(_("Keep it under %(n)d characters.") % {"n": STORY_LENGTH}, name)
    story, _created = Story.objects.update_or_create(
        deal=deal,
        author=author,
        defaults={
            "organisation_id": author.organisation_id,
            "outcome": StoryOutcome.WON if deal.outcome == Outcome.WON else StoryOutcome.LOST,
            "product_id": deal.product_id,
            "stage": stage_of(deal),
            "worked": worked,
            "did_not_work": did_not_work,
            "shared": shared,
        },
    )
    return story


def search_stories(
    viewer: Person,
    *,
    product: int | None = None,
    stage: str = "",
    outcome: str = "",
    text: str = "",
) -> QuerySet[Story]:
    """Stories `viewer` may read, narrowed by product, stage, outcome and words."""
    from django.db.models import Q

    found = Story.objects.filter(rights.visible_stories_filter(viewer))
    if product:
        found = found.filter(product_id=product)
    if stage:
        found = found.filter(stage__iexact=stage)
    if outcome in StoryOutcome.values:
        found = found.filter(outcome=outcome)
    if text:
        found = found.filter(Q(worked__icontains=text) | Q(did_not_work__icontains=text))
    return found.select_related("author", "deal", "deal__owner", "product")
