"""Sending the ledger's messages: claim one, send it, mark it; retried with backoff.

Each message is a Delivery row whose key is unique per recipient and channel, so planning
the same week twice, a retry, or a second worker adds nothing. A worker claims a row by
moving it from pending to sending in one UPDATE that only one worker can win. A claim
that never finished (the worker was killed while the server may already have accepted
the message) is not sent again: it is marked failed for an admin to look at, since a
duplicate digest is worse than a visible gap.
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.utils import timezone

from followthrough.notify.models import Channel, Delivery, Status
from followthrough.people.models import Organisation

# Waits before the second, third... try; after the last one the delivery has failed.
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=10), dt.timedelta(hours=1))
STALE = dt.timedelta(minutes=15)
CHAT_TIMEOUT = 10  # seconds


@dataclass
class Message:
    """What one delivery says: a subject, plain text and HTML (chat gets the text)."""

    subject: str
    text: str
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    to: str = ""  # e-mail address, or the chat webhook's URL


class Permanent(Exception):
    """The receiving end refused the message for good: no retry."""


def plan(rows: Iterable[Delivery]) -> int:
    """Adds the deliveries not in the ledger yet; returns how many were new."""
    rows = list(rows)
    if not rows:
        return 0
    org_id = rows[0].organisation_id
    before = Delivery.objects.filter(organisation_id=org_id).count()
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Delivery.objects.filter(organisation_id=org_id).count() - before


def due(org: Organisation, now: dt.datetime | None = None):
    """The pending deliveries whose time has come."""
    now = now or timezone.now()
    return Delivery.objects.filter(organisation=org, status=Status.PENDING).filter(
        Q(next_try_at__isnull=True) | Q(next_try_at__lte=now)
    )


def give_up_stale(org: Organisation, now: dt.datetime | None = None) -> int:
    """Claims older than STALE belong to a worker that stopped: failed, not resent."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        organisation=org, status=Status.SENDING, claimed_at__lt=now - STALE
    ).update(
        status=Status.FAILED,
        error="The worker stopped while sending: the message may have arrived. "
        "Not sent again, to avoid a duplicate.",
    )


def claim(delivery_id: int, now: dt.datetime | None = None) -> bool:
    """True for the one worker that moved the row from pending to sending."""
    now = now or timezone.now()
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=Status.PENDING)
        .filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=now))
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def _finish(delivery: Delivery, status: str, error: str = "", subject: str = "") -> None:
    now = timezone.now()
    values = {"status": status, "error": error[:2000]}
    if subject:
        values["subject"] = subject[:300]
    if status == Status.SENT:
        values["sent_at"] = now
    Delivery.objects.filter(pk=delivery.pk).update(**values)


def _retry(delivery: Delivery, error: str) -> None:
    attempts = Delivery.objects.values_list("attempts", flat=True).get(pk=delivery.pk)
    if attempts > len(BACKOFF):
        _finish(delivery, Status.FAILED, error)
        return
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Status.PENDING,
        next_try_at=timezone.now() + BACKOFF[attempts - 1],
        error=error[:2000],
    )


def send_email(connection, message: Message) -> None:
    mail = EmailMultiAlternatives(
        message.subject,
        message.text,
        to=[message.to],
        headers=message.headers,
        connection=connection,
    )
    if message.html:
        mail.attach_alternative(message.html, "text/html")
    try:
        mail.send()
    except smtplib.SMTPRecipientsRefused as error:
        raise Permanent(str(error)) from error


def send_chat(message: Message) -> None:
    """Posts Slack-compatible JSON ({"text": ...}) to the team's incoming webhook."""
    body = json.dumps({"text": message.text}).encode()
    request = urllib.request.Request(
        message.to, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=CHAT_TIMEOUT) as response:  # noqa: S310 - an admin's https URL
            response.read()
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500 and error.code != 429:
            raise Permanent(f"HTTP {error.code}") from error
        raise


def send(
    deliveries: Iterable[Delivery],
    render: Callable[[Delivery], Message | None],
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Claims, renders and sends each delivery; returns counts by outcome. `render`
    returns None when there is nothing to say (the delivery is skipped)."""
    counts = {"sent": 0, "skipped": 0, "retry": 0, "failed": 0, "taken": 0}
    connection = None
    try:
        for index, delivery in enumerate(deliveries, 1):
            if progress:
                progress(index)
            if not claim(delivery.pk):
                counts["taken"] += 1  # another worker has it, or had it
                continue
            try:
                message = render(delivery)
                if message is None:
                    _finish(delivery, Status.SKIPPED)
                    counts["skipped"] += 1
                    continue
                if delivery.channel == Channel.CHAT:
                    send_chat(message)
                else:
                    if connection is None:
                        connection = get_connection()
                        connection.open()
                    send_email(connection, message)
            except Permanent as error:
                _finish(delivery, Status.FAILED, str(error))
                counts["failed"] += 1
            except Exception as error:  # noqa: BLE001 - any failure is retried, then shown to admins
                if connection is not None:
                    connection.close()
                    connection = None
                _retry(delivery, f"{type(error).__name__}: {error}")
                counts["retry"] += 1
            else:
                _finish(delivery, Status.SENT, subject=message.subject)
                counts["sent"] += 1
    finally:
        if connection is not None:
            connection.close()
    return counts
