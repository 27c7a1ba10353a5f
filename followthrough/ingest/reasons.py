"""What an import says (rejection reasons, run messages, warnings), shown in the reader's language.

An import writes its reasons in English: they are data, the same in the rejected-rows
CSV, the API and the command line whoever runs it. The web shows them translated:
each text is matched against the templates below (the English the import writes, with
its values as placeholders), and the template's translation is filled with the
same values. A text no template knows is shown as it is.
"""

from __future__ import annotations

import functools
import re

from django.utils.translation import gettext, gettext_noop

# Placeholders whose values are themselves texts to translate.
NESTED = {"reason", "message", "label", "rows"}

TEMPLATES = [
    # Cells (convert.py, rows.py)
    gettext_noop("longer than %(limit)s characters (%(length)s)"),
    gettext_noop("not a whole number"),
    gettext_noop("must not be negative"),
    gettext_noop("too large"),
    gettext_noop("not a duration in the format %(format)s"),
    gettext_noop("not a number (use digits and a decimal point, e.g. 1234.50)"),
    gettext_noop("not a number"),
    gettext_noop("not a date in the format %(format)s"),
    gettext_noop("not a real date"),
    gettext_noop("not a date (expected YYYY-MM-DD)"),
    gettext_noop("not a date and time in the format %(format)s"),
    gettext_noop("not a real date and time"),
    gettext_noop("not a date and time (expected YYYY-MM-DD HH:MM)"),
    gettext_noop("not yes or no"),
    gettext_noop("more than one %(label)s matches %(key)s; use an external id"),
    gettext_noop("unknown %(label)s %(key)s"),
    gettext_noop("in the future"),
    gettext_noop("required, but empty"),
    gettext_noop("unknown value; the mapping knows: %(values)s"),
    gettext_noop("unknown value; expected one of %(values)s"),
    # What references name (convert.Lookup)
    gettext_noop("person"),
    gettext_noop("team"),
    gettext_noop("account"),
    gettext_noop("product"),
    gettext_noop("deal"),
    # Files and rows (importer.py, readers.py)
    gettext_noop("the file has a header but no rows below it"),
    gettext_noop(
        "a record this file refers to was deleted while it was imported: nothing was written; "
        "import the file again"
    ),
    gettext_noop(
        "another import of the same source stored some of these rows while this one ran: "
        "nothing was written; import the file again"
    ),
    gettext_noop("the same external id as row %(row)s"),
    gettext_noop("column not found in the header; the header has: %(columns)s"),
    gettext_noop(
        "column not found in the header (one column only: is the delimiter right?); "
        "the header has: %(columns)s"
    ),
    gettext_noop("this column appears more than once in the header"),
    gettext_noop("column not in the mapping"),
    gettext_noop("the file is %(size)s bytes, over the limit of %(limit)s bytes"),
    gettext_noop("the file is empty"),
    gettext_noop("this is a ZIP or XLSX file, not CSV: save it as .xlsx or export it as CSV"),
    gettext_noop("the file is named .xlsx but is not an Excel workbook"),
    gettext_noop("this is a binary file, not a CSV text file"),
    gettext_noop("unknown encoding %(encoding)s"),
    gettext_noop("the first row (the header) is empty"),
    gettext_noop(
        "the text is not valid %(encoding)s: set encoding in the mapping (e.g. 'latin-1')"
    ),
    gettext_noop("a field is larger than %(limit)s characters (an unclosed quote?)"),
    gettext_noop("a quote opened here is never closed"),
    gettext_noop("malformed CSV: %(error)s"),
    gettext_noop("this workbook cannot be opened: %(error)s"),
    gettext_noop("the first sheet is empty"),
    # A run's message (importer.finish, running.py)
    gettext_noop("%(file)s, row %(row)s, column %(column)s: %(reason)s"),
    gettext_noop("%(file)s, column %(column)s: %(reason)s"),
    gettext_noop("%(count)s rows skipped; the others were written"),
    gettext_noop("dry run: nothing written"),
    gettext_noop("%(message)s; dry run: nothing written"),
    gettext_noop(
        "the import's process ended before the import did (it was stopped or killed): "
        "nothing was written"
    ),
    gettext_noop("the import stopped (%(error)s): nothing was written"),
    # Warnings (importer.py, notices.py)
    gettext_noop("Columns not in the mapping, ignored: %(columns)s"),
    gettext_noop(
        "%(count)s amounts are written in scientific notation and were read as plain "
        "numbers (1e5 is 100000.00): rows %(rows)s"
    ),
    gettext_noop(
        "%(count)s amounts have more than two decimals and were rounded to cents "
        "(0.001 is 0.00): rows %(rows)s"
    ),
    gettext_noop(
        "%(count)s won deals are closed before they were created; the sales cycle counts them "
        "with a negative length until the dates are corrected: rows %(rows)s"
    ),
    gettext_noop(
        "%(count)s rows have no owner: they count in the organisation's totals only, in no "
        "person's or team's figures"
    ),
    gettext_noop("%(rows)s and %(more)s more"),
]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _pattern(template: str) -> re.Pattern:
    parts, end = [], 0
    for found in PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[end : found.start()]))
        parts.append(f"(?P<{found.group(1)}>.*?)")
        end = found.end()
    parts.append(re.escape(template[end:]))
    return re.compile("".join(parts), re.DOTALL)


PLAIN = {template for template in TEMPLATES if "%(" not in template}
# The most specific first: "unknown value; ..." before "unknown %(label)s %(key)s".
PATTERNS = sorted(
    ((template, _pattern(template)) for template in TEMPLATES if "%(" in template),
    key=lambda pair: -len(PLACEHOLDER.sub("", pair[0])),
)


@functools.lru_cache(maxsize=4096)
def _match(text: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """(template, its values) of an English text (remembered: reasons repeat)."""
    if text in PLAIN:
        return text, ()
    for template, pattern in PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return template, tuple(found.groupdict().items())
    return None


def translate(text: str) -> str:
    """`text`, written by an import in English, in the active language."""
    found = _match(text)
    if found is None:
        return text
    template, values = found
    if not values:
        return gettext(template)
    params = {name: translate(value) if name in NESTED else value for name, value in values}
    try:
        return gettext(template) % params
    except (KeyError, ValueError, TypeError):
        return text  # a translation whose placeholders do not fit: the English, not an error
