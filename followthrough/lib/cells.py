"""Text cells for files people open in a spreadsheet (CSV and XLSX exports).

A cell that starts with = + - @ (or a tab or carriage return) is run as a formula
by Excel, LibreOffice and Google Sheets: such text gets a leading apostrophe.
Control characters other than tab, line feed and carriage return cannot be
stored in an XLSX file (XML 1.0 forbids them; openpyxl refuses the whole file)
and mean nothing in a name, so they are dropped, before the formula check, so a
name hiding "=" behind one is still caught.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def storable_text(value: str) -> str:
    """`value` without the characters an XLSX file cannot hold."""
    return ILLEGAL_CHARACTERS.sub("", value)


def formula_safe(value: str) -> str:
    """`value`, shown as text by a spreadsheet, never run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_text(value: str) -> str:
    """Text a spreadsheet can store and shows as text, never runs."""
    return formula_safe(storable_text(value))
