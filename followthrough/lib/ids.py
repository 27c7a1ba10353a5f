"""Ids read from addresses and query strings.

A filter such as ?person=12 names a row by its id. Text that is not a plain
number, or a number no id column can hold (a 64-bit signed integer), names no
row: it must match nothing, not reach the database, which refuses it with an
error (SQLite: OverflowError; PostgreSQL: out of range for type bigint).
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


def parse_id(text: str | None) -> int | None:
    """The id `text` names, or None when it names none the database could hold."""
    # isdigit() alone accepts "²" and other digits int() refuses: ASCII only.
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
