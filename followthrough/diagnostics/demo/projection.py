"""The demo's projection (see diagnostics/demo/__init__.py).

Nothing to seed: the projection and its backtest are computed from the demo's CRM facts
and goals when a page asks (docs/diagnostics.md, "Right time"). The demo's habits it
shows: Mia Schulz's prospecting slip (crm/demo/profiles.py, SLIPPING) projects fewer won
deals in the coming months.
"""

from __future__ import annotations

import datetime as dt

from followthrough.people.models import Organisation


def seed(org: Organisation, today: dt.date) -> None:
    pass
