"""The demo's digests: four weeks already sent, one that failed, and people who chose.

Sara Visser reads in Dutch, Jonas Weber in Chinese from Shanghai, Lotte Bakker turned
reminders off; the admins' deliveries page shows the last four Mondays' digests and
one refused address. This week's digests are not sent: `followthrough digests send`
(or the Monday schedule) sends them.
"""

from __future__ import annotations

import datetime as dt

from followthrough.notify import digests, weekly
from followthrough.notify.models import Channel, Delivery, Kind, Preference, Status
from followthrough.people.models import Organisation

WEEKS = 4
CHOICES = {
    "Sara Visser": {"language": "nl"},
    "Jonas Weber": {"language": "zh-hans", "timezone": "Asia/Shanghai"},
    "Lotte Bakker": {"reminders": False},
}
REFUSED = "Tom de Jong"
REFUSED_ERROR = "SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable"


def seed(org: Organisation, today: dt.date) -> int:
    people = {p.name: p for p in digests.recipients(org)}
    Preference.objects.bulk_create(
        [
            Preference(organisation=org, person=people[name], **choice)
            for name, choice in CHOICES.items()
            if name in people
        ]
    )
    this_week = digests.week_of(today)
    rows = []
    for back in range(1, WEEKS + 1):
        week = digests.week_of(this_week.start - dt.timedelta(days=7 * back))
        monday = dt.datetime.combine(week.start, dt.time(7, 5), tzinfo=dt.UTC)
        subject = f"Your week ahead: {digests.week_key(week)}"
        for person in people.values():
            failed = back == 2 and person.name == REFUSED
            rows.append(
                Delivery(
                    organisation=org,
                    person=person,
                    channel=Channel.EMAIL,
                    kind=Kind.DIGEST,
                    key=weekly.digest_key(week),
                    subject=subject,
                    status=Status.FAILED if failed else Status.SENT,
                    attempts=1,
                    error=REFUSED_ERROR if failed else "",
                    claimed_at=monday,
                    sent_at=None if failed else monday,
                )
            )
    made = Delivery.objects.bulk_create(rows)
    # The ledger's creation time is the Monday each was sent (auto_now_add set it to now).
    for row in made:
        row.created_at = row.claimed_at
    Delivery.objects.bulk_update(made, ["created_at"], batch_size=500)
    return len(made)
