"""Giving kudos: a small monthly budget per person, a cap per minute against floods.

The budget counts kudos given since the first of the month in the organisation's time
zone; the flood cap counts the last 60 seconds. Messages are stored as typed and
escaped wherever shown (templates autoescape; the API returns text).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from followthrough.people.models import Person
from followthrough.recognition import rights
from followthrough.recognition.models import MESSAGE_LENGTH, Kudos, RecognitionSettings


class KudosRefused(ValueError):
    """Kudos that cannot be given; `field` names the form field at fault, if one is."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message, self.field, self.code = message, field, code


def settings_for(org) -> RecognitionSettings:
    """The organisation's settings; the defaults (unsaved) when none were set."""
    found = RecognitionSettings.objects.filter(organisation=org).first()
    return found or RecognitionSettings(organisation=org)


def month_start(org, now: dt.datetime) -> dt.datetime:
    """Midnight on the first of `now`'s month, in the organisation's time zone."""
    local = now.astimezone(zoneinfo.ZoneInfo(org.timezone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Budget:
    allowed: int
    given: int

    @property
    def left(self) -> int:
        return max(self.allowed - self.given, 0)


def budget_of(person: Person, now: dt.datetime | None = None) -> Budget:
    now = now or timezone.now()
    org = person.organisation
    given = Kudos.objects.filter(sender=person, created_at__gte=month_start(org, now)).count()
    return Budget(settings_for(org).kudos_per_month, given)


def give_kudos(
    sender: Person,
    recipient: Person,
    message: str,
    *,
    deal=None,
    competency=None,
    now: dt.datetime | None = None,
) -> Kudos:
    """Record kudos from `sender` to `recipient`, or raise KudosRefused saying why."""
    now = now or timezone.now()
    message = (message or "").strip()
    if recipient.organisation_id != sender.organisation_id:
        raise KudosRefused(
            _("You can give kudos only to people in your own organisation."), "recipient"
        )
    if recipient.pk == sender.pk:
        raise KudosRefused(
            _("Kudos are for others: you cannot give kudos to yourself."), "recipient"
        )
    if not rights.can_give_kudos(sender, recipient):
        raise KudosRefused(_("This person is no longer active."), "recipient")
    if not message:
        raise KudosRefused(_("Say what the kudos are for."), "message")
    if len(message) > MESSAGE_LENGTH:
        raise KudosRefused(
            _("Keep the message under %(n)d characters.") % {"n": MESSAGE_LENGTH}, "message"
        )
    if deal is not None and deal.organisation_id != sender.organisation_id:
        raise KudosRefused(_("This deal belongs to another organisation."), "deal")
    if competency is not None and competency.organisation_id != sender.organisation_id:
        raise KudosRefused(_("This competency belongs to another organisation."), "competency")
    settings = settings_for(sender.organisation)
    recent = Kudos.objects.filter(sender=sender, created_at__gt=now - dt.timedelta(minutes=1))
    if recent.count() >= settings.kudos_per_minute:
        raise KudosRefused(
            _("That is a lot of kudos in one minute: wait a moment and try again."),
            code="rate_limited",
        )
    budget = budget_of(sender, now)
    if budget.left <= 0:
        raise KudosRefused(
            _("You have given all %(n)d kudos of this month; your budget renews on the first.")
            % {"n": budget.allowed},
            code="over_budget",
        )
    return Kudos.objects.create(
        organisation_id=sender.organisation_id,
        sender=sender,
        recipient=recipient,
        message=message,
        deal=deal,
        competency=competency,
        created_at=now,
    )
