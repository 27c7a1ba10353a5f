"""Mapping presets shipped with Followthrough, found by name (e.g. `hubspot-deals`)."""

from __future__ import annotations

from pathlib import Path

PRESETS_DIR = Path(__file__).resolve().parent / "presets"


def available() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.toml"))


def resolve(name_or_path: str) -> Path:
    """A mapping file path, or the preset of that name."""
    path = Path(name_or_path)
    if path.exists() or path.suffix == ".toml":
        return path
    preset = PRESETS_DIR / f"{name_or_path}.toml"
    return preset if preset.exists() else path
