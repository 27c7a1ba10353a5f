"""Each person's choices, and the one-click unsubscribe links (RFC 8058) in every message."""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.core import signing
from django.urls import reverse

from followthrough.notify.models import Kind, Preference
from followthrough.people.models import Organisation, Person

SALT = "followthrough.notify.unsubscribe"
# What an unsubscribe link turns off: the digest, or every reminder.
TOPICS = {"digest": "digest", "reminders": "reminders"}


def topic_of(kind: str) -> str:
    return "digest" if kind == Kind.DIGEST else "reminders"


def preference_of(person: Person) -> Preference:
    found = Preference.objects.filter(person=person).first()
    return found or Preference(organisation_id=person.organisation_id, person=person)


def preferences_for(org: Organisation, ids: Collection[int]) -> dict[int, Preference]:
    """Person id -> their preference (unsaved defaults for those who never chose), one query."""
    found = {p.person_id: p for p in Preference.objects.filter(organisation=org, person_id__in=ids)}
    return {pk: found.get(pk) or Preference(organisation_id=org.pk, person_id=pk) for pk in ids}


def wants(preference: Preference, kind: str) -> bool:
    return getattr(preference, topic_of(kind))


def unsubscribe_token(person_id: int, topic: str) -> str:
    return signing.dumps({"p": person_id, "t": topic}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """(person id, topic), or None for a link that was not ours or was altered."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or data.get("t") not in TOPICS
        or not isinstance(data.get("p"), int)
    ):
        return None
    return data["p"], data["t"]


def unsubscribe_url(person_id: int, kind: str) -> str:
    token = unsubscribe_token(person_id, topic_of(kind))
    return settings.SITE_URL + reverse("notify_unsubscribe", args=[token])


def list_headers(person_id: int, kind: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs once."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(person_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe(person: Person, topic: str) -> Preference:
    preference = preference_of(person)
    setattr(preference, TOPICS[topic], False)
    preference.save()
    return preference
