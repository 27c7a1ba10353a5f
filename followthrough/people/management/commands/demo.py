from __future__ import annotations

from django.core.management.base import BaseCommand

from followthrough.people.demo import build_demo, demo_exists, logins


class Command(BaseCommand):
    help = "Create the demo organisation (people, teams, roles and logins) and print its logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing but print the logins when the demo organisation exists",
        )

    def handle(self, *args, if_empty, **options):
        if demo_exists():
            if not if_empty:
                self.stderr.write("The demo organisation exists already; nothing changed.")
        else:
            build_demo()
            self.stdout.write(self.style.SUCCESS("Created the demo organisation Northwind Demo."))
        self.stdout.write("Demo logins (password for all: %s):" % logins()[0].password)
        for login in logins():
            self.stdout.write(f"  {login.role:<8} {login.email:<42} ({login.name})")
