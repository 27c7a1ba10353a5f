"""Small builders of CRM facts for the metric tests."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from followthrough.crm.models import Account, Activity, Deal, DealStageChange, Lead, Product

_ids = itertools.count(1)


def deal(org, owner, *, created=None, closed=None, outcome="open", amount=None, **extra) -> Deal:
    return Deal.objects.create(
        organisation=org,
        source="test",
        external_id=f"d{next(_ids)}",
        owner=owner,
        created_on=created,
        close_on=closed,
        outcome=outcome,
        amount=Decimal(str(amount)) if amount is not None else None,
        **extra,
    )


def activity(org, owner, day: dt.date, type="call", **extra) -> Activity:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)), dt.UTC)
    return Activity.objects.create(
        organisation=org,
        source="test",
        external_id=f"a{next(_ids)}",
        owner=owner,
        type=type,
        occurred_at=at,
        occurred_on=day,
        **extra,
    )


def account(org, name="Initech", first_won_on=None) -> Account:
    return Account.objects.create(
        organisation=org,
        source="test",
        external_id=f"c{next(_ids)}",
        name=name,
        first_won_on=first_won_on,
    )


def product(org, name="GTX", family="GTX") -> Product:
    return Product.objects.create(
        organisation=org, source="test", external_id=f"p{next(_ids)}", name=name, family=family
    )


def stage_change(org, deal_, to_stage, day: dt.date, from_stage="") -> DealStageChange:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)), dt.UTC)
    return DealStageChange.objects.create(
        organisation=org,
        deal=deal_,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_at=at,
        changed_on=day,
    )


def lead(org, owner, created=None, converted=None) -> Lead:
    return Lead.objects.create(
        organisation=org,
        source="test",
        external_id=f"l{next(_ids)}",
        owner=owner,
        created_on=created,
        converted_on=converted,
    )
