"""Helpers for import tests: write a file, import it, read back what is stored."""

from __future__ import annotations

import tempfile
from pathlib import Path

from followthrough.crm.models import Account, Deal, DealChange, DealStageChange
from followthrough.ingest.importer import Options, import_file, start_run
from followthrough.ingest.mapping import load_mapping, parse_mapping
from followthrough.ingest.models import ImportRun
from followthrough.people.models import Organisation

DEALS_MAPPING = {
    "kind": "deals",
    "source": "crm",
    "columns": {
        "external_id": "Deal ID",
        "name": "Deal Name",
        "amount": "Amount",
        "created_on": "Created",
        "close_on": "Close Date",
        "stage": "Stage",
    },
    "fields": {
        "owner": {"column": "Owner", "match": "email"},
        "account": {"column": "Account", "match": "name"},
        "outcome": {
            "column": "Stage",
            "map": {"Discovery": "open", "Proposal": "open", "Won": "won", "Lost": "lost"},
        },
    },
}
DEALS_HEADER = "Deal ID,Deal Name,Owner,Account,Amount,Created,Close Date,Stage"


def write(tmp: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp / name
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def import_path(
    org: Organisation,
    path: Path,
    mapping: dict | Path | str,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    max_bytes: int | None = None,
    parallel_from: int | None = None,
    merge_every: int | None = None,
) -> ImportRun:
    parsed = (
        parse_mapping(mapping, name="test.toml")
        if isinstance(mapping, dict)
        else load_mapping(mapping)
    )
    options = Options(skip_invalid=skip_invalid, dry_run=dry_run, max_bytes=max_bytes)
    if parallel_from is not None:
        options.parallel_from = parallel_from
    if merge_every is not None:
        options.merge_every = merge_every
    run = start_run(org, parsed, path.name, options)
    return import_file(run, path, parsed, options)


def import_text(
    org: Organisation,
    content: str | bytes,
    mapping: dict | Path | str = DEALS_MAPPING,
    *,
    name: str = "deals.csv",
    encoding: str = "utf-8",
    **options,
) -> ImportRun:
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), name, content, encoding)
        return import_path(org, path, mapping, **options)


def stored(org: Organisation) -> list[tuple]:
    """Everything an import could change, to compare before and after."""
    deals = list(
        Deal.objects.filter(organisation=org)
        .order_by("pk")
        .values_list(
            "pk",
            "external_id",
            "name",
            "owner_id",
            "account_id",
            "amount",
            "created_on",
            "close_on",
            "stage",
            "outcome",
            "imported_at",
        )
    )
    accounts = list(Account.objects.filter(organisation=org).order_by("pk").values_list())
    moves = list(DealStageChange.objects.filter(organisation=org).values_list())
    changes = list(DealChange.objects.filter(organisation=org).values_list())
    return [deals, accounts, moves, changes]


def problems(run: ImportRun) -> list[tuple]:
    return list(run.rejected_rows.values_list("file_name", "row", "column", "value", "reason"))
