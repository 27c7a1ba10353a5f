"""How agreements and ladder steps are named in the audit history, in the reader's language.

Without a title, the history shows an object as it was named when it changed, in the
language of whoever changed it ("Sara Visser: Coach and develop"). These titles are
built from the recorded values when the history is read.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from followthrough.audit.registry import register
from followthrough.coaching.models import Agreement, LadderStep, Step
from followthrough.people.models import Person, Team

# Fields without a verbose name are labelled in the history through the catalogue.
FIELD_LABELS = (
    gettext_noop("previous"),
    gettext_noop("opened by"),
    gettext_noop("created by"),
    gettext_noop("agreement"),
    # Not an agreement's, but also without a verbose name: a meeting's cadence.
    gettext_noop("cadence"),
)


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


def register_titles() -> None:
    """Add the titles to the audit registration (registrations.py registers the models)."""
    register(LadderStep, title=ladder_title)
    register(Agreement, title=agreement_title)
