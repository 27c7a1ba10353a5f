"""Month and week rules, as pure functions over figures already computed.

record_months: a rep's month is a record when deals won or revenue won in it is above
every earlier month of their history (at least MIN_HISTORY months in role before it,
and a best month above zero: beating an empty history is no record).
most_improved: in each team, the rep whose revenue won in the month rose most over
their own baseline (the mean of the BASELINE months before), in per cent of it.
streaks: a run of at least N consecutive completed weeks in which the rep met the
week's share of every goal they have.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from followthrough.lib.periods import Period

MIN_HISTORY = 3  # fewer earlier months say too little to call a month a record
BASELINE = 3  # months averaged for "most improved", as the scorecard's baseline
RECORD_KEYS = ("deals_won", "revenue_won")
IMPROVED_KEY = "revenue_won"

Figure = Callable[[int, str, Period], Decimal | None]


@dataclass(frozen=True)
class Found:
    """A rule met: who, on which occasion, since when, and why (for the evidence)."""

    person_id: int
    occasion: str
    on: object
    evidence: dict


def _num(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal(0)


def _text(value: Decimal) -> str:
    """A figure as evidence text, the same on every database (PostgreSQL's numerics
    carry their scale: 3.00 where SQLite gives 3)."""
    return format(value.normalize(), "f")


def record_months(
    people: Mapping[int, object],
    months: Sequence[Period],
    evaluate: Sequence[Period],
    figure: Figure,
) -> list[Found]:
    """`people`: id -> role_since (or None); `months`: every month, oldest first."""
    found = []
    for month in evaluate:
        earlier = [m for m in months if m.end < month.start]
        for pid, since in people.items():
            history = [m for m in earlier if since is None or m.start >= since]
            if len(history) < MIN_HISTORY:
                continue
            beaten = {}
            for key in RECORD_KEYS:
                now = _num(figure(pid, key, month))
                best = max(_num(figure(pid, key, m)) for m in history)
                # Beating an empty history is no record: the rep must have won before.
                if best > 0 and now > best:
                    beaten[key] = {"value": _text(now), "previous_best": _text(best)}
            if beaten:
                found.append(Found(pid, month.key, month.end, {"month": month.key, **beaten}))
    return found


def most_improved(
    teams: Mapping[int, Sequence[int]],
    months: Sequence[Period],
    evaluate: Sequence[Period],
    figure: Figure,
) -> list[Found]:
    """`teams`: team id -> rep ids in it at the month's end (two or more to compare)."""
    found = []
    for month in evaluate:
        before = [m for m in months if m.end < month.start][-BASELINE:]
        if len(before) < BASELINE:
            continue
        for team_id, members in teams.items():
            if len(members) < 2:
                continue
            gains = {}
            for pid in members:
                base = sum((_num(figure(pid, IMPROVED_KEY, m)) for m in before), Decimal(0))
                base /= BASELINE
                now = _num(figure(pid, IMPROVED_KEY, month))
                if base > 0 and now > base:
                    gains[pid] = ((now - base) / base * 100, base, now)
            if not gains:
                continue
            top = max(g[0] for g in gains.values())
            for pid, (gain, base, now) in gains.items():
                if gain == top:  # a tie honours both
                    evidence = {
                        "month": month.key,
                        "team": team_id,
                        "baseline": str(base.quantize(Decimal("0.01"))),
                        "value": _text(now),
                        "gain_percent": str(gain.quantize(Decimal("0.1"))),
                    }
                    found.append(Found(pid, month.key, month.end, evidence))
    return found


def streaks(
    on_pace: Mapping[int, Sequence[bool]], weeks: Sequence[Period], length: int
) -> list[Found]:
    """One award per run of `length` or more weeks on pace, on the week the run reached it.

    A run already going in the window's first week may have begun earlier and been
    awarded then: it is left alone, so a sliding window never awards a streak twice.
    """
    found = []
    for pid, flags in on_pace.items():
        run = 0
        for index, ok in enumerate(flags):
            run = run + 1 if ok else 0
            if run == length and index + 1 - length > 0:
                start, reached = weeks[index + 1 - length], weeks[index]
                evidence = {"weeks": length, "from": start.key, "to": reached.key}
                found.append(Found(pid, reached.key, reached.end, evidence))
    return found


def week_flags(
    people: Sequence[int],
    weeks: Sequence[Period],
    goal_keys: Callable[[int], Sequence[str]],
    figure: Figure,
    target: Callable[[int, str, Period], Decimal | None],
) -> dict[int, list[bool]]:
    """Person -> for each week, whether every goal's weekly target was met."""
    flags: dict[int, list[bool]] = defaultdict(list)
    for pid in people:
        keys = goal_keys(pid)
        for week in weeks:
            ok = bool(keys)
            for key in keys:
                goal = target(pid, key, week)
                if goal is None or _num(figure(pid, key, week)) < goal:
                    ok = False
                    break
            flags[pid].append(ok)
    return dict(flags)
