"""Role scorecard templates as a reader sees them: what changed between versions, and who uses them.

`changes` compares two frozen versions (pure, no database); `applies_to` counts the
active reps each current template measures, in one query (a template applies to
everyone with its job title; the one without a title to every rep whose title has no
template of its own, as versions.template_for chooses).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from followthrough.assessments.models import ScorecardTemplate
from followthrough.assessments.texts import shown
from followthrough.people.models import Organisation, Person, Role


@dataclass(frozen=True)
class Change:
    """One difference between a version and the one before it, in words."""

    kind: str  # added, removed, renamed, weight, setting
    text: str


def _weight(value) -> str:
    return str(value) if value not in (None, "") else "–"


def changes(
    before: ScorecardTemplate | None, after: ScorecardTemplate, metric_names=None
) -> list[Change]:
    """KPIs and competencies added, removed, renamed or re-weighted from `before` to `after`."""
    names = metric_names or {}
    if before is None:
        return [Change("added", _("First version."))]
    found: list[Change] = []
    if before.name != after.name:
        found.append(
            Change(
                "setting",
                _("Renamed from “%(old)s” to “%(new)s”.") % {"old": before.name, "new": after.name},
            )
        )
    if before.job_title != after.job_title:
        found.append(
            Change(
                "setting",
                _("Job title “%(old)s” became “%(new)s”.")
                % {
                    "old": before.job_title or _("everyone else"),
                    "new": after.job_title or _("everyone else"),
                },
            )
        )
    if before.rubric_id != after.rubric_id:
        found.append(Change("setting", _("Uses another rubric.")))
    old_kpis = {k["metric"]: k for k in before.kpis}
    new_kpis = {k["metric"]: k for k in after.kpis}
    for key in new_kpis.keys() - old_kpis.keys():
        found.append(Change("added", _("KPI added: %(name)s.") % {"name": names.get(key, key)}))
    for key in old_kpis.keys() - new_kpis.keys():
        found.append(Change("removed", _("KPI removed: %(name)s.") % {"name": names.get(key, key)}))
    for key in new_kpis.keys() & old_kpis.keys():
        old, new = _weight(old_kpis[key].get("weight")), _weight(new_kpis[key].get("weight"))
        if old != new:
            found.append(
                Change(
                    "weight",
                    _("Weight of %(name)s: %(old)s → %(new)s.")
                    % {"name": names.get(key, key), "old": old, "new": new},
                )
            )
    old_comps = {c["id"]: c for c in before.competencies}
    new_comps = {c["id"]: c for c in after.competencies}
    for cid in [c["id"] for c in after.competencies if c["id"] not in old_comps]:
        found.append(
            Change(
                "added", _("Competency added: %(name)s.") % {"name": shown(new_comps[cid]["name"])}
            )
        )
    for cid in [c["id"] for c in before.competencies if c["id"] not in new_comps]:
        found.append(
            Change(
                "removed",
                _("Competency removed: %(name)s.") % {"name": shown(old_comps[cid]["name"])},
            )
        )
    for c in after.competencies:
        old = old_comps.get(c["id"])
        if old is None:
            continue
        if old["name"] != c["name"]:
            found.append(
                Change(
                    "renamed",
                    _("Competency renamed: “%(old)s” → “%(new)s”.")
                    % {"old": shown(old["name"]), "new": shown(c["name"])},
                )
            )
        if _weight(old.get("weight")) != _weight(c.get("weight")):
            found.append(
                Change(
                    "weight",
                    _("Weight of %(name)s: %(old)s → %(new)s.")
                    % {
                        "name": shown(c["name"]),
                        "old": _weight(old.get("weight")),
                        "new": _weight(c.get("weight")),
                    },
                )
            )
        elif old.get("behaviours") != c.get("behaviours"):
            found.append(
                Change(
                    "renamed", _("Behaviours of %(name)s rewritten.") % {"name": shown(c["name"])}
                )
            )
    if [level["key"] for level in before.levels] != [level["key"] for level in after.levels]:
        found.append(Change("setting", _("The levels changed.")))
    if not found:
        found.append(Change("setting", _("Published again without changes.")))
    return found


def applies_to(org: Organisation, templates: list[ScorecardTemplate]) -> dict[int, int]:
    """Current template id -> how many active reps it measures (one query)."""
    by_title = Counter(
        dict(
            Person.objects.filter(organisation=org, is_active=True, role=Role.REP)
            .values_list("title")
            .annotate(n=Count("pk"))
            .values_list("title", "n")
        )
    )
    titled = {t.job_title for t in templates if t.is_current and t.job_title}
    counts = {}
    for template in templates:
        if not template.is_current:
            counts[template.pk] = 0
        elif template.job_title:
            counts[template.pk] = by_title.get(template.job_title, 0)
        else:
            counts[template.pk] = sum(n for title, n in by_title.items() if title not in titled)
    return counts


def job_titles(org: Organisation) -> list[str]:
    """The titles people hold, for the template form's suggestions."""
    return list(
        Person.objects.filter(organisation=org)
        .exclude(title="")
        .values_list("title", flat=True)
        .distinct()
        .order_by("title")
    )
