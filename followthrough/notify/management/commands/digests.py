from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from followthrough.notify import digests, weekly
from followthrough.notify.models import Channel
from followthrough.people.lines import today_for
from followthrough.people.models import Organisation
from followthrough.people.organisations import organisation_from


class Command(BaseCommand):
    help = "Send one week's digests by hand (the schedule sends them every Monday by itself)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser(
            "send", help="plan and send the week's digests; a re-run sends no duplicate"
        )
        send.add_argument("--week", help="ISO week, e.g. 2026-W50 (default: this week)")
        send.add_argument("--organisation", help="one organisation's short name (default: all)")
        send.add_argument(
            "--dry-run", action="store_true", help="print who would get what; send nothing"
        )

    def handle(self, *args, action, week=None, organisation=None, dry_run=False, **options):
        orgs = [organisation_from(organisation)] if organisation else Organisation.objects.all()
        for org in orgs:
            try:
                chosen = digests.parse_week(week) if week else digests.week_of(today_for(org))
            except ValueError as error:
                raise CommandError(str(error)) from error
            label = digests.week_key(chosen)
            if dry_run:
                self._dry_run(org, chosen, label)
                continue
            planned = weekly.plan_digests(org, chosen)
            self.stdout.write(f"{org.slug} {label}: {planned} new digests planned")
            counts = weekly.send_digests(org, chosen, self._progress)
            sys.stderr.write("\n")
            self.stdout.write(
                f"{org.slug} {label}: "
                + ", ".join(f"{n} {what}" for what, n in counts.items() if n)
                if any(counts.values())
                else f"{org.slug} {label}: nothing to send (already sent)"
            )

    def _progress(self, done: int, total: int) -> None:
        sys.stderr.write(f"\r  sending {done}/{total}")
        sys.stderr.flush()

    def _dry_run(self, org, week, label) -> None:
        built = digests.build_week(org, week)
        people = {**built.reps, **built.managers, **built.leaders}
        self.stdout.write(f"{org.slug} {label}: {len(people)} digests would be sent (dry run)")
        for part in sorted(people.values(), key=lambda p: p.person.name):
            self.stdout.write(
                f"  {part.person.name} <{part.person.email}>: {type(part).__name__[:-4].lower()}"
            )
        hooks = weekly.ChatHook.objects.filter(organisation=org, active=True).count()
        if hooks:
            self.stdout.write(f"  and {hooks} team chat channels ({Channel.CHAT.label})")
