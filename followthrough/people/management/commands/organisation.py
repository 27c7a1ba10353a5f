from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from followthrough.audit.context import acting_as
from followthrough.people.models import Organisation


class Command(BaseCommand):
    help = "Manage organisations: `organisation add NAME --slug S [--timezone TZ] [--if-missing]`, `organisation list`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add")
        add.add_argument("name")
        add.add_argument("--slug", required=True)
        add.add_argument("--timezone", default="UTC")
        add.add_argument("--currency", default="USD")
        add.add_argument("--if-missing", action="store_true")
        sub.add_parser("list")

    def handle(self, *args, action, **options):
        if action == "list":
            for org in Organisation.objects.order_by("slug"):
                self.stdout.write(f"{org.slug}\t{org.name}\t{org.timezone}")
            return
        slug = options["slug"]
        if Organisation.objects.filter(slug=slug).exists():
            if options["if_missing"]:
                return
            raise CommandError(f"an organisation with the short name {slug!r} exists already")
        org = Organisation(
            name=options["name"],
            slug=slug,
            timezone=options["timezone"],
            currency=options["currency"],
        )
        try:
            org.full_clean()
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from None
        with acting_as(name="cli"):
            org.save()
        self.stdout.write(f"Created organisation {org.name} ({org.slug})")
