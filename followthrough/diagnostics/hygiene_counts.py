"""The hygiene rules of hygiene.py counted in the database: one statement for everyone.

The nightly run keeps only counts per person (open deals, deals clean, deals per rule),
so rather than bring 150,000 open deals into Python and judge each one it asks the
database for the counts. The thresholds differ by team and the team by person, so each
person's limits come as dates in a VALUES list joined on the owner: "last touched on
or before", "created on or before" (hygiene.stale_since and hygiene.too_old_since, the
same dates the deal-by-deal rules compare with).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from followthrough.crm.choices import Outcome
from followthrough.crm.models import Activity, Deal, DealStageChange

# No deal was created this early: the limit of a person whose team has no cycle to judge by.
NEVER = dt.date.min


@dataclass(frozen=True)
class Limits:
    """One person's thresholds as of the day, as dates."""

    stale_since: dt.date
    too_old_since: dt.date | None


# The rules a deal breaks, as bits of one number: the database groups the deals by owner
# and this number, so each rule's expression is computed once per deal (a sum per rule
# over the deals would repeat each expression, subqueries and all, once per sum).
STALE, CLOSE_PAST, NO_NEXT_STEP, NEXT_STEP_PAST, STAGE_SKIPPED, OPEN_TOO_LONG = (
    1,
    2,
    4,
    8,
    16,
    32,
)
NEXT_STEP = NO_NEXT_STEP | NEXT_STEP_PAST


@dataclass(frozen=True)
class Group:
    """An owner's open deals that break the same rules: how many, and their skips."""

    owner_id: int
    broken: int  # the bits of the rules broken
    deals: int
    skips: int  # the stage moves skipping a stage among them

    def breaks(self, rule: int) -> bool:
        return bool(self.broken & rule)


def count_issues(
    org_id: int,
    limits: dict[int, Limits],
    day: dt.date,
    skips: list[tuple[str, str]],
    whitespace: str,
) -> list[Group]:
    """The open deals of the people in `limits`, grouped by owner and rules broken (one query)."""
    if not limits:
        return []
    ops, qn = connection.ops, connection.ops.quote_name
    deal, activity, move = (qn(model._meta.db_table) for model in (Deal, Activity, DealStageChange))
    on = ops.adapt_datefield_value(day)
    people = ", ".join(["(%s, %s, %s)"] * len(limits))
    people_params = []
    for owner, mine in limits.items():
        people_params += [
            owner,
            ops.adapt_datefield_value(mine.stale_since),
            ops.adapt_datefield_value(mine.too_old_since or NEVER),
        ]
    trim = "btrim" if connection.vendor == "postgresql" else "trim"
    # Stale: nothing on the deal after `stale_since`, and created by then (or, created on
    # an unknown day, with some activity by then). Each activity subquery appears once, and
    # deals created since are judged without one.
    touched_after = (
        f"EXISTS (SELECT 1 FROM {activity} a WHERE a.deal_id = d.id AND "  # noqa: S608
        f"a.organisation_id = %s AND a.occurred_on > lim.stale_since AND a.occurred_on <= %s)"
    )
    touched_by = (
        f"EXISTS (SELECT 1 FROM {activity} a WHERE a.deal_id = d.id AND "  # noqa: S608
        f"a.organisation_id = %s AND a.occurred_on <= lim.stale_since)"
    )
    if skips:
        pairs = " OR ".join(["(from_stage = %s AND to_stage = %s)"] * len(skips))
        skipped = (
            f"LEFT JOIN (SELECT deal_id, COUNT(*) AS n FROM {move} "  # noqa: S608
            f"WHERE organisation_id = %s AND changed_on <= %s AND ({pairs}) "
            f"GROUP BY deal_id) s ON s.deal_id = d.id"
        )
        skip_params = [org_id, on, *(stage for pair in skips for stage in pair)]
        moves = "COALESCE(s.n, 0)"
    else:  # no move the team's deals rarely make
        skipped, skip_params, moves = "", [], "0"
    # Only table names, fixed fragments and placeholders are interpolated.
    sql = f"""
        SELECT d.owner_id,
            CASE WHEN d.created_on > lim.stale_since THEN 0
                WHEN {touched_after} THEN 0
                WHEN d.created_on IS NOT NULL THEN {STALE}
                WHEN {touched_by} THEN {STALE}
                ELSE 0 END
            + CASE WHEN d.close_on < %s THEN {CLOSE_PAST} ELSE 0 END
            + CASE WHEN d.source NOT IN (
                    SELECT source FROM {deal} WHERE organisation_id = %s
                    AND outcome = %s AND next_step <> '')
                THEN 0
                WHEN {trim}(d.next_step, %s) = '' THEN {NO_NEXT_STEP}
                WHEN d.next_step_on < %s THEN {NEXT_STEP_PAST}
                ELSE 0 END
            + CASE WHEN {moves} > 0 THEN {STAGE_SKIPPED} ELSE 0 END
            + CASE WHEN d.created_on <= lim.too_old_since THEN {OPEN_TOO_LONG} ELSE 0 END
            AS broken,
            COUNT(*), SUM({moves})
        FROM {deal} d
        JOIN (
            SELECT v.column1 AS owner_id, v.column2 AS stale_since,
                v.column3 AS too_old_since
            FROM (VALUES {people}) v
        ) lim ON lim.owner_id = d.owner_id
        {skipped}
        WHERE d.organisation_id = %s AND d.outcome = %s
        GROUP BY d.owner_id, broken
    """  # noqa: S608
    params = [
        org_id,
        on,
        org_id,
        on,
        org_id,
        Outcome.OPEN,
        whitespace,
        on,
        *people_params,
        *skip_params,
        org_id,
        Outcome.OPEN,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Group(*row) for row in cursor.fetchall()]
