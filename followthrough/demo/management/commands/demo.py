"""followthrough demo [--reps N] [--months M] [--seed S] [--if-empty]"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from followthrough.demo.build import (
    DEFAULT_MONTHS,
    DEFAULT_REPS,
    DEFAULT_SEED,
    DEMO_SLUG,
    MAX_REPS,
    MIN_REPS,
    build_demo,
    demo_exists,
    logins,
)
from followthrough.ingest.demo import DemoImportError
from followthrough.ingest.models import ImportRun
from followthrough.lib.progressbar import ProgressBar
from followthrough.people.models import Organisation
from followthrough.wallboard.demo import demo_url


class Command(BaseCommand):
    help = (
        "Create the demo organisation (people, teams, roles and logins) with a year of "
        "accounts, deals, deal history, activities and leads, and print its logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing but print the logins when the demo organisation exists",
        )
        parser.add_argument(
            "--reps", type=int, default=DEFAULT_REPS, help=f"{MIN_REPS} to {MAX_REPS} reps"
        )
        parser.add_argument(
            "--months", type=int, default=DEFAULT_MONTHS, help="months of data, ending today"
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="the same seed builds the same data"
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="build as if today were this day (YYYY-MM-DD); default: today",
        )
        parser.add_argument("--no-progress", action="store_true", help="print no progress")

    def handle(self, *args, if_empty, reps, months, seed, today, no_progress, **options):
        if demo_exists():
            if not if_empty:
                self.stderr.write("The demo organisation exists already; nothing changed.")
        else:
            if not MIN_REPS <= reps <= MAX_REPS:
                raise CommandError(f"--reps must be between {MIN_REPS} and {MAX_REPS}")
            if not 1 <= months <= 36:
                raise CommandError("--months must be between 1 and 36")
            if today is not None and today > dt.date.today():
                raise CommandError("--today must not be in the future: activities cannot be")
            started = time.monotonic()
            show = not no_progress
            bars: dict[str, ProgressBar] = {}

            def say(message: str) -> None:
                if show:
                    self.stderr.write(message)

            def progress(kind: str, run: ImportRun) -> None:
                if not show:
                    return
                if kind not in bars:
                    for bar in bars.values():
                        bar.close()
                    bars[kind] = ProgressBar(f"  {kind}", stream=self.stderr._out)
                bars[kind].update(run.bytes_read, run.bytes_total, run.rows_read, run.status)

            try:
                build_demo(today, reps=reps, months=months, seed=seed, say=say, progress=progress)
            except DemoImportError as error:
                raise CommandError(f"{error}; nothing was written") from None
            for bar in bars.values():
                bar.close()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created the demo organisation Northwind Demo "
                    f"({reps} reps, {months} months, seed {seed}) "
                    f"in {time.monotonic() - started:.1f} s."
                )
            )
        self.stdout.write("Demo logins (password for all: %s):" % logins()[0].password)
        for login in logins():
            self.stdout.write(f"  {login.role:<8} {login.email:<42} ({login.name})")
        wall = demo_url(Organisation.objects.filter(slug=DEMO_SLUG).first())
        if wall:
            self.stdout.write(f"Wallboard (TV, no login): {wall}")
