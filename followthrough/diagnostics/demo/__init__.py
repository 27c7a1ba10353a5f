"""The demo's early warnings: thresholds and a mix target, hiring assumptions, and a
first nightly run (with half a year of hygiene history)."""

from __future__ import annotations

import datetime as dt

from followthrough.diagnostics.demo import hiring, hygiene, projection, rights
from followthrough.people.models import Organisation


def seed_diagnostics(org: Organisation, today: dt.date) -> None:
    for part in (rights, projection, hygiene, hiring):
        part.seed(org, today)
