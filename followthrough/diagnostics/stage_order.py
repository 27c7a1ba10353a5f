"""The order of a pipeline's stages, read from how deals actually move (no setting to keep).

CRMs name their stages freely, so the order is taken from the organisation's stage
moves of the last year: the order that makes the most moves go forward. Stages no deal
ever leaves (Closed Won, Closed Lost) are final and stand outside the order. A move
forward over one or more stages is a skip, unless the team's deals take that path
often (`COMMON_SKIP_SHARE` of the moves out of the stage): a path many deals take is
the process, not a lapse (the demo's buyers skip the demo about one time in eight).
A move to an earlier stage is a regression.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count

from followthrough.crm.models import DealStageChange
from followthrough.people.models import Organisation

# A forward jump that at least this share of the moves out of a stage take is a normal path.
COMMON_SKIP_SHARE = 0.05
# The moves the order is read from: a year, enough for every stage of a living pipeline.
WINDOW_DAYS = 365


@dataclass
class StageOrder:
    """Open stages in order, final stages, and how often each move happens."""

    stages: list[str] = field(default_factory=list)
    final: set[str] = field(default_factory=set)
    moves: dict[tuple[str, str], int] = field(default_factory=dict)

    def position(self, stage: str) -> int | None:
        try:
            return self.stages.index(stage)
        except ValueError:
            return None

    def skipped(self, from_stage: str, to_stage: str) -> list[str]:
        """The stages a forward move jumps over, when deals rarely take that path."""
        start, end = self.position(from_stage), self.position(to_stage)
        if start is None or end is None or end <= start + 1:
            return []
        out = sum(n for (a, b), n in self.moves.items() if a == from_stage and b != from_stage)
        if out and self.moves.get((from_stage, to_stage), 0) >= COMMON_SKIP_SHARE * out:
            return []
        return self.stages[start + 1 : end]

    def is_backwards(self, from_stage: str, to_stage: str) -> bool:
        start, end = self.position(from_stage), self.position(to_stage)
        return start is not None and end is not None and end < start


def stage_order(org: Organisation, today: dt.date) -> StageOrder:
    """The organisation's stage order from its moves of the last year (one query)."""
    rows = (
        DealStageChange.objects.filter(
            organisation=org,
            changed_on__gt=today - dt.timedelta(days=WINDOW_DAYS),
            changed_on__lte=today,
        )
        .values_list("from_stage", "to_stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    return order_from_moves({(a, b): n for a, b, n in rows})


def order_from_moves(moves: dict[tuple[str, str], int]) -> StageOrder:
    """The order that makes most moves go forward (pure: tested without a database).

    Eades' greedy ordering (stages never left go last, stages never entered go first,
    else the one whose moves out most outweigh its moves in), then adjacent swaps while
    they make more moves go forward: exact for the handful of stages a pipeline has.
    """
    stages = {s for pair in moves for s in pair if s}
    leaves = {a for (a, b), n in moves.items() if a and b and a != b and n}
    final = stages - leaves
    rest = stages - final
    weight = {(a, b): n for (a, b), n in moves.items() if a in rest and b in rest and a != b and n}
    front: list[str] = []
    back: list[str] = []
    remaining = set(rest)

    def out(s, remaining):
        return sum(n for (a, b), n in weight.items() if a == s and b in remaining)

    def into(s, remaining):
        return sum(n for (a, b), n in weight.items() if b == s and a in remaining)

    while remaining:
        sinks = sorted(s for s in remaining if out(s, remaining) == 0)
        if sinks:
            back = sinks + back
            remaining -= set(sinks)
            continue
        sources = sorted(s for s in remaining if into(s, remaining) == 0)
        if sources:
            front += sources
            remaining -= set(sources)
            continue
        best = max(sorted(remaining), key=lambda s: out(s, remaining) - into(s, remaining))
        front.append(best)
        remaining.discard(best)
    order = front + back
    improved = True
    while improved:
        improved = False
        for i in range(len(order) - 1):
            a, b = order[i], order[i + 1]
            if weight.get((b, a), 0) > weight.get((a, b), 0):
                order[i], order[i + 1] = b, a
                improved = True
    return StageOrder(order, final, dict(moves))
