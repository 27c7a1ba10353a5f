"""A progress bar for the terminal; one line per 10 % when output is not a terminal."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    def __init__(self, label: str, stream=None, width: int = 30):
        self.label, self.stream, self.width = label, stream or sys.stderr, width
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.last_decile = -1

    def update(self, done: int, total: int, rows: int, status: str = "") -> None:
        fraction = min(done / total, 1.0) if total else 0.0
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = rows / elapsed
        if self.tty:
            filled = int(self.width * fraction)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(
                f"\r{self.label} [{bar}] {fraction:4.0%} {rows:,} rows {rate:,.0f}/s {status:<8}"
            )
            self.stream.flush()
            return
        decile = int(fraction * 10)
        if decile > self.last_decile:
            self.last_decile = decile
            self.stream.write(
                f"{self.label}: {fraction:.0%} ({rows:,} rows, {rate:,.0f}/s) {status}\n"
            )

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
