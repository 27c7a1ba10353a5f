"""Pages: onboarding and certification programs and enrolments."""

from __future__ import annotations
