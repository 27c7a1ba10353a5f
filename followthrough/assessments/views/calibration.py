"""Pages: calibration across managers."""

from __future__ import annotations
