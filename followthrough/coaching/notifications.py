"""Notifications in the product: one person's messages, unread first counted.

The text is built when shown, in the reader's language (see `message`); the row
keeps only who did what, a link and an excerpt. E-mail comes with the digests.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from followthrough.coaching.models import Notification, NotificationKind
from followthrough.people.models import Person

EXCERPT_LENGTH = 300


def notify(
    recipient: Person,
    kind: str,
    *,
    actor: Person | None = None,
    url: str = "",
    excerpt: str = "",
) -> Notification:
    return Notification.objects.create(
        organisation_id=recipient.organisation_id,
        recipient=recipient,
        actor=actor,
        kind=kind,
        url=url[:300],
        excerpt=(excerpt or "")[:EXCERPT_LENGTH],
    )


def notifications_for(person: Person) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=person).select_related("actor")


def unread_count(person: Person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def mark_read(notification: Notification, *, by: Person) -> Notification:
    if notification.recipient_id != by.pk:
        raise PermissionDenied("This notification is someone else's.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(person: Person) -> int:
    """Marks every unread notification of `person` read; returns how many."""
    unread = list(Notification.objects.filter(recipient=person, read_at__isnull=True))
    now = timezone.now()
    for notification in unread:
        notification.read_at = now
    Notification.objects.bulk_update(unread, ["read_at"])
    return len(unread)


def message(notification: Notification) -> str:
    """The notification's sentence, in the active language."""
    actor = notification.actor.name if notification.actor else _("Someone")
    texts = {
        NotificationKind.PROBLEM_RAISED: _("%(actor)s is stuck and asks for your help."),
        NotificationKind.COMMITMENT_OVERDUE: _("A commitment of %(actor)s is overdue."),
        NotificationKind.SELF_REPORT_DUE: _("A self-report is due."),
        NotificationKind.SELF_REPORT_SUBMITTED: _("%(actor)s submitted a self-report."),
        NotificationKind.AGREEMENT_CHANGED: _("An agreement changed: please acknowledge it."),
        NotificationKind.MEETING_CHANGED: _("%(actor)s changed a 1:1."),
    }
    text = texts.get(notification.kind, notification.get_kind_display())
    return text % {"actor": actor} if "%(actor)s" in text else text
