"""Planning and sending one week's digests: the ledger first, then the messages."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from followthrough.lib.periods import Period
from followthrough.metrics.totals import team_members
from followthrough.notify import delivery, digests, preferences
from followthrough.notify.models import Channel, ChatHook, Delivery, Kind, Status
from followthrough.people.models import Organisation, Person


def digest_key(week: Period) -> str:
    return f"digest:{digests.week_key(week)}"


def plan_digests(org: Organisation, week: Period) -> int:
    """One pending delivery per recipient who wants the digest, one per team chat hook."""
    people = digests.recipients(org)
    chosen = preferences.preferences_for(org, [p.pk for p in people])
    key = digest_key(week)
    rows = [
        Delivery(organisation=org, person=p, channel=Channel.EMAIL, kind=Kind.DIGEST, key=key)
        for p in people
        if preferences.wants(chosen[p.pk], Kind.DIGEST)
    ]
    rows += [
        Delivery(
            organisation=org, team_id=hook.team_id, channel=Channel.CHAT, kind=Kind.DIGEST, key=key
        )
        for hook in ChatHook.objects.filter(organisation=org, active=True)
    ]
    return delivery.plan(rows)


def send_digests(
    org: Organisation, week: Period, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Sends the week's pending digests (planned by plan_digests); idempotent."""
    delivery.give_up_stale(org)
    pending = list(
        delivery.due(org).filter(kind=Kind.DIGEST, key=digest_key(week)).select_related("team")
    )
    if not pending:
        return {"sent": 0}
    ids = {d.person_id for d in pending if d.person_id}
    people = [p for p in digests.recipients(org) if p.pk in ids]
    built = digests.build_week(org, week, people)
    chosen = preferences.preferences_for(org, list(ids))
    by_id = {p.pk: p for p in people}

    def render(row: Delivery) -> delivery.Message | None:
        if row.channel == Channel.CHAT:
            return render_chat(built, row)
        person = by_id.get(row.person_id)
        if person is None or not preferences.wants(chosen[row.person_id], Kind.DIGEST):
            return None  # left, or unsubscribed since it was planned
        return render_email(built, person, chosen[row.person_id])

    total = len(pending)
    return delivery.send(pending, render, (lambda i: progress(i, total)) if progress else None)


def _zone(org: Organisation, preference) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(preference.timezone or org.timezone or "UTC")


def render_email(built: digests.Week, person: Person, preference) -> delivery.Message | None:
    part = built.part(person.pk)
    if part is None:
        return None
    with (
        translation.override(preference.language),
        timezone.override(_zone(built.organisation, preference)),
    ):
        context = {
            "week": built,
            "person": person,
            "part": part,
            "role": type(part).__name__,
            "site": settings.SITE_URL,
            "links": _links(),
            "unsubscribe": preferences.unsubscribe_url(person.pk, Kind.DIGEST),
            "currency": built.organisation.currency,
        }
        subject = _("Your week ahead: %(week)s") % {"week": digests.week_key(built.week)}
        text = render_to_string("notify/digest.txt", context)
        html = render_to_string("notify/digest.html", context)
    return delivery.Message(
        subject=subject,
        text=text,
        html=html,
        to=person.email,
        headers=preferences.list_headers(person.pk, Kind.DIGEST),
    )


def render_chat(built: digests.Week, row: Delivery) -> delivery.Message | None:
    """The team's week in a few lines: no personal figures beyond names behind pace."""
    hook = ChatHook.objects.filter(team_id=row.team_id, active=True).first()
    if hook is None:
        return None
    members = team_members(built.organisation, built.as_of, [row.team_id]).get(row.team_id, set())
    reps = sorted(
        (part for pk, part in built.everyone.items() if pk in members),
        key=lambda part: part.person.name,
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {"team": row.team, "week": built, "reps": reps, "site": settings.SITE_URL}
        text = render_to_string("notify/digest_chat.txt", context).strip()
    return delivery.Message(subject=row.team.name, text=text, to=hook.url)


def _links() -> dict[str, str]:
    def url(name: str) -> str:
        return settings.SITE_URL + reverse(name)

    return {
        "home": url("home"),
        "scorecard": url("me"),
        "commitments": url("commitments"),
        "dashboard": url("dashboard"),
        "one_on_ones": url("one_on_ones"),
        "settings": url("notify_settings"),
    }


def failed(org: Organisation):
    return Delivery.objects.filter(organisation=org, status=Status.FAILED)
