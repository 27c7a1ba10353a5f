"""Spreadsheet text cells: never run as a formula, always storable in an XLSX file."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from followthrough.lib.cells import FORMULA_STARTS, safe_text, storable_text

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


def test_every_formula_prefix_gets_an_apostrophe():
    assert FORMULA_STARTS == tuple(PREFIXES)
    for prefix in PREFIXES:
        assert safe_text(prefix + "SUM(A1)") == "'" + prefix + "SUM(A1)"
    assert safe_text("Rita") == "Rita"
    assert safe_text("") == ""
    # Only a leading character counts: "Anne-Marie" and "a=b" are names, not formulas.
    assert safe_text("Anne-Marie") == "Anne-Marie"


def test_a_control_character_cannot_hide_a_formula():
    assert safe_text("\x07=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_text("Al\x07pha\x1b") == "Alpha"
    # Tab, line feed and carriage return are legal XML and are kept.
    assert storable_text("a\tb\nc\rd") == "a\tb\nc\rd"


@settings(deadline=None, max_examples=60)  # saving a workbook takes a while
@given(st.text())
def test_any_text_comes_out_safe_and_storable_and_otherwise_unchanged(text):
    cell = safe_text(text)
    assert not cell.startswith(FORMULA_STARTS)
    unguarded = cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell
    assert unguarded == storable_text(text)
    # openpyxl refuses a whole workbook over one illegal character: this one saves.
    book = Workbook()
    book.active.append([cell])
    out = io.BytesIO()
    book.save(out)
    assert load_workbook(out).active["A1"].data_type != "f"
