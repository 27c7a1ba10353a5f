"""followthrough diagnose [--organisation SLUG] [--day YYYY-MM-DD] [--no-progress]

The whole organisation's early warnings now (what the nightly job does), with progress.
"""

from __future__ import annotations

import argparse
import datetime as dt

from django.core.management.base import BaseCommand

from followthrough.diagnostics.diagnose import run_now
from followthrough.lib.progressbar import ProgressBar
from followthrough.people.models import Organisation
from followthrough.people.organisations import organisation_from


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-31") from None


class Command(BaseCommand):
    help = (
        "Run the early warnings (three rights, projection, hygiene, integrity) for an organisation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", metavar="SLUG")
        parser.add_argument(
            "--day", type=_date, metavar="YYYY-MM-DD", help="as of (default: today)"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *, organisation, day, no_progress, **_):
        orgs = [organisation_from(organisation)] if organisation else Organisation.objects.all()
        for org in orgs:
            bar = None if no_progress else ProgressBar(f"{org.slug}: diagnosis", self.stderr)

            def progress(name: str, done: int, total: int, bar=bar) -> None:
                if bar is not None:
                    bar.update(done, total, done, name)

            run = run_now(org, day, progress)
            if bar is not None:
                bar.update(run.total, run.total, run.total, "done")
                bar.close()
            s = run.summary
            rights = s["rights"]
            self.stdout.write(
                f"{org.slug}: {s['people']:,} reps as of {run.day} in {s['seconds']} s; "
                f"needs help: right thing {rights['thing'].get('help', 0)}, "
                f"right way {rights['way'].get('help', 0)}, right time {rights['time'].get('help', 0)}; "
                f"hygiene issues {s['hygiene_issues']:,} ({s['people_with_hygiene_issues']} people); "
                f"integrity signals {s['integrity_signals']:,} ({s['people_with_integrity_signals']} people flagged)"
            )
