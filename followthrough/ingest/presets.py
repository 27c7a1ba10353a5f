"""Mapping presets shipped with Followthrough, found by name (e.g. `hubspot-deals`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

PRESETS_DIR = Path(__file__).resolve().parent / "presets"
# A sample file per kind, with columns named after the fields (see template_preset).
SAMPLES_DIR = PRESETS_DIR / "samples"
TEMPLATE_PREFIX = "template-"


def available() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.toml"))


def resolve(name_or_path: str) -> Path:
    """A mapping file path, or the preset of that name."""
    path = Path(name_or_path)
    if path.exists() or path.suffix == ".toml":
        return path
    preset = PRESETS_DIR / f"{name_or_path}.toml"
    return preset if preset.exists() else path


def template_preset(kind: str) -> str:
    """The preset that reads the template file of `kind` (its columns are the field names)."""
    return f"{TEMPLATE_PREFIX}{kind}"


def sample(kind: str) -> Path:
    """The template file of `kind`: a header and a few example rows."""
    return SAMPLES_DIR / f"{kind}-template.csv"


def by_kind() -> dict[str, list[str]]:
    """The shipped presets, under the kind of import each one is for."""
    found: dict[str, list[str]] = {}
    for name in available():
        try:
            kind = tomllib.loads(resolve(name).read_text(encoding="utf-8")).get("kind")
        except (OSError, tomllib.TOMLDecodeError):
            continue
        found.setdefault(str(kind), []).append(name)
    return found
