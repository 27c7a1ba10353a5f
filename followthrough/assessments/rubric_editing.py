"""Adapting a rubric: sales steps, competencies, levels, and new rubrics.

Plain functions shared by the pages, the API and the demo; each checks the rule it
keeps and refuses with a field-level ValidationError (rights are the caller's job).
Nothing that was rated is ever deleted: a competency is archived, and a level that
ratings on the rubric use cannot be removed, so past assessments keep their meaning.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from followthrough.assessments.models import Competency, Rating, Rubric, RubricSection
from followthrough.assessments.starter import create_starter_rubric
from followthrough.people.models import Organisation

LEVEL_KEY = re.compile(r"^[a-z0-9_-]{1,40}$")
MIN_LEVELS = 2


# --- Rubrics ----------------------------------------------------------------------


@transaction.atomic
def create_rubric(
    org: Organisation, *, name: str, description: str = "", from_starter: bool = False
) -> Rubric:
    """A blank rubric (the default three levels, no sales steps), or a copy of the starter."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the rubric a name.")})
    if from_starter:
        rubric = create_starter_rubric(org)
        rubric.name, rubric.description = name, description or rubric.description
        rubric.save()
        return rubric
    return Rubric.objects.create(organisation=org, name=name, description=description)


def update_rubric(rubric: Rubric, *, name: str, description: str = "") -> Rubric:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the rubric a name.")})
    if (rubric.name, rubric.description) != (name, description):
        rubric.name, rubric.description = name, description
        rubric.save()
    return rubric


# --- Levels -----------------------------------------------------------------------


def parse_levels(text: str) -> list[dict[str, str]]:
    """Levels from lines of "key: label", lowest first (the form's and the docs' notation)."""
    levels = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        key, sep, label = line.partition(":")
        if not sep:
            raise ValidationError({"levels": _("Write each level as “key: label”, one per line.")})
        levels.append({"key": key.strip(), "label": label.strip()})
    return levels


def levels_text(levels: list[dict]) -> str:
    return "\n".join(f"{level['key']}: {level['label']}" for level in levels)


def used_levels(rubric: Rubric) -> set[str]:
    """Level keys that ratings of this rubric's competencies hold."""
    return set(
        Rating.objects.filter(competency__section__rubric=rubric)
        .values_list("level", flat=True)
        .distinct()
    )


def check_levels(levels: list[dict]) -> list[dict[str, str]]:
    """Two or more levels, each with its own key (lower case letters, digits, - or _) and a label."""
    cleaned = []
    for level in levels:
        if not isinstance(level, dict):
            raise ValidationError({"levels": _("Each level needs a key and a label.")})
        key = str(level.get("key") or "").strip()
        label = str(level.get("label") or "").strip()
        if not LEVEL_KEY.match(key):
            raise ValidationError(
                {
                    "levels": _(
                        "A level's key is up to 40 lower-case letters, digits, - or _ (“%(key)s” is not)."
                    )
                    % {"key": key}
                }
            )
        if not label:
            raise ValidationError({"levels": _("Each level needs a label.")})
        cleaned.append({"key": key, "label": label})
    keys = [level["key"] for level in cleaned]
    if len(keys) < MIN_LEVELS:
        raise ValidationError({"levels": _("A rubric needs at least two levels.")})
    if len(set(keys)) != len(keys):
        raise ValidationError({"levels": _("Each level needs its own key.")})
    return cleaned


@transaction.atomic
def set_levels(rubric: Rubric, levels: list[dict]) -> Rubric:
    """Change the levels; refused when it removes a level that ratings on this rubric use."""
    levels = check_levels(levels)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    removed = set(rubric.level_keys) - {level["key"] for level in levels}
    in_use = sorted(removed & used_levels(rubric))
    if in_use:
        raise ValidationError(
            {
                "levels": _(
                    "Ratings on this rubric use the level %(keys)s: keep it (you may rename its label)."
                )
                % {"keys": ", ".join(f"“{key}”" for key in in_use)}
            }
        )
    if rubric.levels != levels:
        rubric.levels = levels
        rubric.save()
    return rubric


# --- Sales steps ------------------------------------------------------------------


def _section_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the sales step.")})
    return name


def add_section(rubric: Rubric, name: str) -> RubricSection:
    last = rubric.sections.aggregate(last=Max("position"))["last"]
    return RubricSection.objects.create(
        organisation_id=rubric.organisation_id,
        rubric=rubric,
        name=_section_name(name),
        position=0 if last is None else last + 1,
    )


def rename_section(section: RubricSection, name: str) -> RubricSection:
    name = _section_name(name)
    if section.name != name:
        section.name = name
        section.save()
    return section


@transaction.atomic
def move_section(section: RubricSection, step: int) -> None:
    """Move a sales step up (-1) or down (+1); positions are renumbered 0..n-1."""
    sections = list(
        RubricSection.objects.select_for_update()
        .filter(rubric_id=section.rubric_id)
        .order_by("position", "pk")
    )
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    target = index + step
    if not 0 <= target < len(sections):
        return
    sections[index], sections[target] = sections[target], sections[index]
    for position, row in enumerate(sections):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


@transaction.atomic
def delete_section(section: RubricSection) -> None:
    """Only an empty sales step goes; one holding competencies is refused, clearly."""
    if section.competencies.exists():
        raise ValidationError(
            {"section": _("Move or archive this step's competencies first; it still holds some.")}
        )
    section.delete()


# --- Competencies -----------------------------------------------------------------


def _clean_competency(
    rubric: Rubric, section: RubricSection, name: str, behaviours: dict, metric_key: str, catalog
) -> tuple[str, dict, str]:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Name the competency.")
    if section.rubric_id != rubric.pk:
        errors["section"] = _("Choose a sales step of this rubric.")
    if not isinstance(behaviours, dict):
        errors["behaviours"] = _("Give the behaviours per level.")
        behaviours = {}
    unknown = set(behaviours) - set(rubric.level_keys)
    if unknown:
        errors["behaviours"] = _("These are not levels of the rubric: %(keys)s.") % {
            "keys": ", ".join(sorted(unknown))
        }
    metric_key = (metric_key or "").strip()
    if metric_key and metric_key not in catalog:
        errors["metric_key"] = _("Choose a metric of the catalogue.")
    if errors:
        raise ValidationError(errors)
    cleaned = {key: str(behaviours.get(key) or "").strip() for key in rubric.level_keys}
    return name, cleaned, metric_key


def add_competency(
    section: RubricSection, *, name: str, behaviours: dict, metric_key: str = "", catalog=()
) -> Competency:
    rubric = section.rubric
    name, behaviours, metric_key = _clean_competency(
        rubric, section, name, behaviours, metric_key, catalog
    )
    last = section.competencies.aggregate(last=Max("position"))["last"]
    return Competency.objects.create(
        organisation_id=section.organisation_id,
        section=section,
        name=name,
        position=0 if last is None else last + 1,
        behaviours=behaviours,
        metric_key=metric_key,
    )


def edit_competency(
    competency: Competency,
    *,
    section: RubricSection,
    name: str,
    behaviours: dict,
    metric_key: str = "",
    catalog=(),
) -> Competency:
    """Name, sales step, behaviours and metric. Published template versions keep their copy."""
    rubric = competency.section.rubric
    name, behaviours, metric_key = _clean_competency(
        rubric, section, name, behaviours, metric_key, catalog
    )
    # Behaviours of levels no longer on the rubric are kept: an old rating may read them.
    kept = {k: v for k, v in competency.behaviours.items() if k not in rubric.level_keys}
    changed = (
        competency.section_id != section.pk
        or competency.name != name
        or competency.behaviours != {**kept, **behaviours}
        or competency.metric_key != metric_key
    )
    if changed:
        competency.section = section
        competency.name = name
        competency.behaviours = {**kept, **behaviours}
        competency.metric_key = metric_key
        competency.save()
    return competency


def archive_competency(competency: Competency, archived: bool = True) -> Competency:
    """Out of use (or back): kept with its ratings; the next template version leaves it out."""
    if competency.is_active == archived:
        competency.is_active = not archived
        competency.save()
    return competency


def delete_competency(competency: Competency) -> None:
    """Only a competency nobody rated goes; a rated one is archived instead (PROTECT)."""
    try:
        with transaction.atomic():
            competency.delete()
    except ProtectedError:
        raise ValidationError(
            {"competency": _("This competency has ratings, so it stays: archive it instead.")}
        ) from None
