"""How agreements and ladder steps are named in the audit history, in the reader's language.

Without a title, the history shows an object as it was named when it changed, in the
language of whoever changed it ("Sara Visser: Coach and develop"). These titles are
built from the recorded values when the history is read.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from followthrough.coaching.models import Step
from followthrough.people.models import Person, Team


def _name(memo: dict, model, pk) -> str:
    return memo.get("names", {}).get((model, pk), "") if pk else ""


def ladder_title(values: dict[str, Any], memo: dict) -> str | None:
    """'Sara Visser · Coach and develop'."""
    try:
        label = Step(int(values.get("step"))).label
    except (TypeError, ValueError):
        return None
    name = _name(memo, Person, values.get("rep"))
    return f"{name} · {label}" if name else str(label)


def agreement_title(values: dict[str, Any], memo: dict) -> str | None:
    """'Benelux · version 2', or the rep's name for a rep's own agreement."""
    version = values.get("version")
    if version is None:
        return None
    name = _name(memo, Person, values.get("rep")) or _name(memo, Team, values.get("team"))
    return _("%(name)s · version %(version)s") % {"name": name, "version": version}
