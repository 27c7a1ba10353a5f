"""What an import says about rows it wrote but that deserve a look: its warnings.

Warnings refuse nothing. They are kept with the run (ImportRun.warnings), printed
by the CLI and shown with the run: amounts written in scientific notation or with
more decimals than are stored, won deals closed before they were created, and
rows without an owner (they count in the organisation's totals only).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from followthrough.crm.choices import Outcome
from followthrough.ingest.convert import ROUNDED, SCIENTIFIC
from followthrough.ingest.staging import Stage, quote

SHOWN_ROWS = 10  # rows named per warning; the count is always exact

SAID = {
    SCIENTIFIC: gettext_noop(
        "%(count)s amounts are written in scientific notation and were read as plain "
        "numbers (1e5 is 100000.00): rows %(rows)s"
    ),
    ROUNDED: gettext_noop(
        "%(count)s amounts have more than two decimals and were rounded to cents "
        "(0.001 is 0.00): rows %(rows)s"
    ),
}
WON_BEFORE_CREATED = gettext_noop(
    "%(count)s won deals are closed before they were created; the sales cycle counts them "
    "with a negative length until the dates are corrected: rows %(rows)s"
)
WITHOUT_OWNER = gettext_noop(
    "%(count)s rows have no owner: they count in the organisation's totals only, in no "
    "person's or team's figures"
)
MORE = gettext_noop("%(rows)s and %(more)s more")


def _rows(numbers: list, count: int) -> str:
    shown = ", ".join(str(n) for n in numbers[:SHOWN_ROWS])
    if count > SHOWN_ROWS:
        return MORE % {"rows": shown, "more": f"{count - SHOWN_ROWS:,}"}
    return shown


class Notices:
    """Warnings gathered while a file is read and written."""

    def __init__(self, owner_at: int | None):
        self.owner_at = owner_at  # where a parsed row holds its owner (None: not mapped)
        self.noted: dict[str, list] = {SCIENTIFIC: [0, []], ROUNDED: [0, []]}
        self.without_owner = 0
        self.won_before_created: tuple[int, list[int]] = (0, [])

    def see(self, good: list[tuple], notes: list[tuple]) -> None:
        """A parsed batch: its good rows and the notes on their values."""
        for what, row, _column, _cell in notes:
            counted = self.noted[what]
            counted[0] += 1
            if len(counted[1]) < SHOWN_ROWS:
                counted[1].append(row)
        if self.owner_at is not None:
            at = self.owner_at
            self.without_owner += sum(1 for row in good if row[at] is None)

    def check_deals(self, stage: Stage, org_id: int, source: str) -> None:
        """After the merge of a deals file: its won deals closed before they were created."""
        if stage.kind.name != "deals":
            return
        table = quote(stage.kind.model._meta.db_table)
        rows = stage.fetch(
            f"SELECT s.row_no FROM {{stage}} s JOIN {table} t ON t.organisation_id = %s "
            f"AND t.source = %s AND t.external_id = s.external_id "
            f"WHERE t.outcome = %s AND t.close_on < t.created_on ORDER BY s.row_no",
            [org_id, source, Outcome.WON],
        )
        self.won_before_created = (len(rows), [row for (row,) in rows[:SHOWN_ROWS]])

    def lines(self) -> list[str]:
        said = []
        for what, (count, rows) in self.noted.items():
            if count:
                said.append(SAID[what] % {"count": f"{count:,}", "rows": _rows(rows, count)})
        count, rows = self.won_before_created
        if count:
            said.append(WON_BEFORE_CREATED % {"count": f"{count:,}", "rows": _rows(rows, count)})
        if self.without_owner:
            said.append(WITHOUT_OWNER % {"count": f"{self.without_owner:,}"})
        return said
