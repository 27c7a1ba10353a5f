"""Panels below the numbers on a rep's scorecard, registered by the apps above scorecards.

Scorecards knows nothing of the apps that add panels (assessments adds the ratings
half): an app calls `register_panel(key, order, builder, template)` when it is ready.
A builder takes (viewer, person, period) and returns the template's context, or None
to leave the panel out (nothing to show, or nothing the viewer may see). A builder
costs a constant number of queries, whatever the person's history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from followthrough.lib.periods import Period
from followthrough.people.models import Person

Builder = Callable[[Person, Person, Period], "dict[str, Any] | None"]


@dataclass(frozen=True)
class PanelSpec:
    """A registered panel: its key, place (lower first), builder and template."""

    key: str
    order: int
    builder: Builder
    template: str


@dataclass(frozen=True)
class Panel:
    """A panel ready to render: its template and the builder's context."""

    key: str
    template: str
    context: dict[str, Any]


_panels: dict[str, PanelSpec] = {}


def register_panel(key: str, order: int, builder: Builder, template: str) -> None:
    """Add (or replace) a panel of the rep scorecard."""
    _panels[key] = PanelSpec(key, order, builder, template)


def registered_panels() -> list[PanelSpec]:
    return sorted(_panels.values(), key=lambda spec: (spec.order, spec.key))


def build_panels(viewer: Person, person: Person, period: Period) -> list[Panel]:
    """The panels to show `viewer` on `person`'s scorecard for `period`, in order."""
    panels = []
    for spec in registered_panels():
        context = spec.builder(viewer, person, period)
        if context is not None:
            panels.append(Panel(spec.key, spec.template, context))
    return panels
