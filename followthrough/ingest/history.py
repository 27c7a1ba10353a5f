"""What changed on deals between imports, and the links settled after a merge."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection

from followthrough.crm.choices import ChangedField
from followthrough.crm.models import Account, Deal, DealChange, DealStageChange
from followthrough.ingest.staging import Stage, quote

TRACKED = {
    "close_on": ChangedField.CLOSE_DATE,
    "amount": ChangedField.AMOUNT,
    "owner_id": ChangedField.OWNER,
}


def _text(value, column: str = "") -> str:
    """A stored value as history text, the same on SQLite and PostgreSQL."""
    if value is None:
        return ""
    if column.endswith("_id"):
        return str(value)
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def record_deal_changes(
    stage: Stage, org_id: int, source: str, now: dt.datetime, tz
) -> dt.date | None:
    """Before a merge: keep stage moves and close-date, amount and owner changes.

    Returns the day of the stage moves it recorded (None if none): their rollups are due.
    """
    columns = [c for c in ("stage", *TRACKED) if c in stage.columns]
    if not columns:
        return None
    pairs = ", ".join(f"t.{quote(c)}, s.{quote(c)}" for c in columns)
    differs = " OR ".join(f"t.{quote(c)} IS DISTINCT FROM s.{quote(c)}" for c in columns)
    # CROSS JOIN keeps the stage as the outer loop on SQLite, so each staged row finds its
    # deal by the unique index (left to itself it may scan the stage once per deal).
    rows = stage.fetch(
        f"SELECT t.id, {pairs} FROM {{stage}} s CROSS JOIN {quote(Deal._meta.db_table)} t "
        f"WHERE t.organisation_id = %s AND t.source = %s AND t.external_id = s.external_id "
        f"AND ({differs})",
        [org_id, source],
    )
    today = now.astimezone(tz).date()
    moves, changes = [], []
    for row in rows:
        deal_id, values = row[0], row[1:]
        for index, column in enumerate(columns):
            old, new = _text(values[2 * index], column), _text(values[2 * index + 1], column)
            if old == new:
                continue
            if column == "stage":
                moves.append(
                    DealStageChange(
                        organisation_id=org_id,
                        deal_id=deal_id,
                        from_stage=old,
                        to_stage=new,
                        changed_at=now,
                        changed_on=today,
                    )
                )
            else:
                changes.append(
                    DealChange(
                        organisation_id=org_id,
                        deal_id=deal_id,
                        field=TRACKED[column],
                        old_value=old,
                        new_value=new,
                        changed_at=now,
                    )
                )
    DealStageChange.objects.bulk_create(moves, batch_size=1000, ignore_conflicts=True)
    DealChange.objects.bulk_create(changes, batch_size=1000)
    return today if moves else None


def after_merge(stage: Stage, org_id: int, source: str, self_refs: set[str]) -> None:
    """Settle references within the file, and what deals tell about accounts."""
    if stage.kind.model is Account and "parent" in self_refs and _parents_to_settle(stage):
        table = quote(Account._meta.db_table)
        stage.execute(
            f"UPDATE {table} SET parent_id = (SELECT p.id FROM {table} p "
            f"JOIN {{stage}} s ON s.parent = p.external_id WHERE p.organisation_id = %s "
            f"AND p.source = %s AND s.external_id = {table}.external_id) "
            f"WHERE organisation_id = %s AND source = %s AND external_id IN "
            f"(SELECT external_id FROM {{stage}})",
            [org_id, source, org_id, source],
        )
    if stage.kind.model in (Account, Deal):
        update_first_wins(org_id)


def _parents_to_settle(stage: Stage) -> bool:
    """Whether the file maps parents at all and names one (or may clear one).

    The settling UPDATE is slow on PostgreSQL for large files, so it is skipped
    when it cannot change anything.
    """
    if "parent" not in stage.columns:
        return False
    named = stage.fetch("SELECT 1 FROM {stage} WHERE parent IS NOT NULL AND parent <> '' LIMIT 1")
    if named:
        return True
    table = quote(Account._meta.db_table)
    return bool(
        stage.fetch(
            f"SELECT 1 FROM {table} t JOIN {{stage}} s ON s.external_id = t.external_id "
            f"WHERE t.parent_id IS NOT NULL LIMIT 1"
        )
    )


def update_first_wins(org_id: int) -> None:
    """Each account's first won deal: a win on that day is a new logo."""
    accounts = quote(Account._meta.db_table)
    deals = quote(Deal._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {accounts} SET first_won_on = (SELECT MIN(d.close_on) FROM {deals} d "
            f"WHERE d.account_id = {accounts}.id AND d.outcome = 'won') WHERE organisation_id = %s",
            [org_id],
        )


def merge_stage_history(stage: Stage, org, tz) -> tuple[int, int, int]:
    """Stage history rows (snapshots) become stage moves and close-date/amount changes.

    Rows are taken per deal in time order. A row whose stage differs from the
    one before it is a stage move; close date and amount differing from the
    previous row are changes. Rows already recorded are left as they are.
    """
    has = set(stage.columns)
    wanted = ["deal_id", "to_stage", "changed_at", "changed_on"]
    wanted += [c for c in ("from_stage", "close_on", "amount") if c in has]
    rows = stage.fetch(
        f"SELECT {', '.join(quote(c) for c in wanted)} FROM {{stage}} ORDER BY deal_id, changed_at, row_no"
    )
    deal_ids = sorted({row[0] for row in rows})
    existing_moves = set()
    last_stage: dict[int, list[tuple[dt.datetime, str]]] = defaultdict(list)
    existing_changes = set()
    for start in range(0, len(deal_ids), 500):
        chunk = deal_ids[start : start + 500]
        for deal_id, to_stage, at in DealStageChange.objects.filter(deal_id__in=chunk).values_list(
            "deal_id", "to_stage", "changed_at"
        ):
            existing_moves.add((deal_id, to_stage, at))
            last_stage[deal_id].append((at, to_stage))
        for deal_id, field, at in DealChange.objects.filter(deal_id__in=chunk).values_list(
            "deal_id", "field", "changed_at"
        ):
            existing_changes.add((deal_id, field, at))
    from django.utils.dateparse import parse_date, parse_datetime

    def as_datetime(value):
        if isinstance(value, str):
            value = parse_datetime(value)
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value

    def as_date(value):
        return parse_date(value) if isinstance(value, str) else value

    moves, changes = [], []
    created = unchanged = 0
    previous: dict[int, dict] = {}
    for row in rows:
        record = dict(zip(wanted, row, strict=True))
        deal_id = record["deal_id"]
        at = as_datetime(record["changed_at"])
        prev = previous.get(deal_id)
        if prev is None:
            earlier = [stage_name for when, stage_name in sorted(last_stage[deal_id]) if when < at]
            prev = {"to_stage": earlier[-1] if earlier else ""}
        made = 0
        from_stage = record.get("from_stage") or prev.get("to_stage", "")
        if record["to_stage"] != prev.get("to_stage") or record.get("from_stage"):
            key = (deal_id, record["to_stage"], at)
            if key not in existing_moves:
                existing_moves.add(key)
                moves.append(
                    DealStageChange(
                        organisation=org,
                        deal_id=deal_id,
                        from_stage=from_stage if from_stage != record["to_stage"] else "",
                        to_stage=record["to_stage"],
                        changed_at=at,
                        changed_on=as_date(record["changed_on"]),
                    )
                )
                made += 1
        for column, field in (
            ("close_on", ChangedField.CLOSE_DATE),
            ("amount", ChangedField.AMOUNT),
        ):
            if column not in record or column not in prev:
                continue
            old, new = (
                _text(as_date(prev[column]) if column == "close_on" else prev[column]),
                _text(as_date(record[column]) if column == "close_on" else record[column]),
            )
            if old and new and old != new and (deal_id, field, at) not in existing_changes:
                existing_changes.add((deal_id, field, at))
                changes.append(
                    DealChange(
                        organisation=org,
                        deal_id=deal_id,
                        field=field,
                        old_value=old,
                        new_value=new,
                        changed_at=at,
                    )
                )
                made += 1
        previous[deal_id] = record
        if made:
            created += 1
        else:
            unchanged += 1
    DealStageChange.objects.bulk_create(moves, batch_size=1000, ignore_conflicts=True)
    DealChange.objects.bulk_create(changes, batch_size=1000)
    return created, 0, unchanged
