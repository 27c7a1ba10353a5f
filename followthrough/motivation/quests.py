"""Quests: a person proposes a target for themself; their manager approves or declines.

Progress comes from the metric engine like every figure: one computation for
all the quests on a page, whatever their people and periods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from followthrough.lib.periods import Period
from followthrough.metrics import engine
from followthrough.motivation.figures import reached
from followthrough.motivation.models import Quest, QuestStatus
from followthrough.people.lines import today_for
from followthrough.people.models import Person


class AlreadyDecided(ValueError):
    """A quest that is no longer waiting for a decision."""


@transaction.atomic
def decide(quest: Quest, by: Person, *, approve: bool, note: str = "") -> Quest:
    """Approve or decline a proposed quest (rights.can_decide_quest says who may)."""
    if quest.status != QuestStatus.PROPOSED:
        raise AlreadyDecided(quest.status)
    quest.status = QuestStatus.APPROVED if approve else QuestStatus.DECLINED
    quest.decided_by = by
    quest.decided_at = timezone.now()
    quest.decision_note = note[:500]
    quest.save()
    return quest


@dataclass(frozen=True)
class Progress:
    """A quest's figure so far against its target."""

    value: Decimal | None
    target: Decimal
    done: bool

    @property
    def share(self) -> Decimal | None:
        if self.value is None or not self.target:
            return None
        return min(self.value / self.target, Decimal(1))


def progress(quests: Sequence[Quest]) -> dict[int, Progress]:
    """Quest id -> progress up to today: one engine computation for them all."""
    quests = list(quests)
    if not quests:
        return {}
    org = quests[0].person.organisation
    today = today_for(org)
    catalog = engine.get_metrics(org)
    known = [q for q in quests if q.metric_key in catalog]
    runs = {q.pk: Period(q.start, max(q.start, min(q.end, today))) for q in known}
    keys = sorted({q.metric_key for q in known})
    if not keys:
        return {}
    results = engine.compute(org, keys, sorted(set(runs.values())), {q.person_id for q in known})
    found = {}
    for quest in known:
        metric = catalog[quest.metric_key]
        value = None
        if today >= quest.start:
            value = results.get(quest.person_id, quest.metric_key, runs[quest.pk]).value
        done = reached(value, quest.target, metric.higher_is_better)
        found[quest.pk] = Progress(value, quest.target, done)
    return found
