"""The demo's three rights: the region's thresholds (the defaults, set once at the top so
every team inherits them) and the leader's product-mix target.

The demo sells services on about 6 % of won deals (cross-sells of the Services family).
The leader asks for at least 10 %: with the default tolerance of 10 points nobody is
flagged (a rep is watched below 0 %), and each rep's page shows their share against the
target; a leader who tightens the tolerance to 5 points sees who sells no services at all.
A 20 % target would flag nearly every rep for a mix none of them is set up to sell.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from followthrough.diagnostics.models import DiagnosticSettings, MixDimension, MixTarget
from followthrough.people.models import Organisation, Person, Role, Team

REGION = "Europe"
SERVICES = "Services"
SERVICES_SHARE = Decimal(10)


def seed(org: Organisation, today: dt.date) -> None:
    region = Team.objects.filter(organisation=org, name=REGION, parent__isnull=True).first()
    if region is None:
        return
    leader = Person.objects.filter(organisation=org, role=Role.LEADER).order_by("pk").first()
    DiagnosticSettings.objects.get_or_create(organisation=org, team=region)
    MixTarget.objects.get_or_create(
        organisation=org,
        team=region,
        dimension=MixDimension.PRODUCT_FAMILY,
        value=SERVICES,
        defaults={
            "share": SERVICES_SHARE,
            "note": "Grow services beyond today's 6 % of won deals",
            "set_by": leader,
        },
    )
