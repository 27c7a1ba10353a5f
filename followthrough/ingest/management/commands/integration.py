from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from followthrough.audit.context import acting_as
from followthrough.ingest.integrations import create_integration, revoke_integration
from followthrough.ingest.models import Integration
from followthrough.people.organisations import organisation_from


class Command(BaseCommand):
    help = "Manage integrations (API tokens and webhook secrets): add, list, revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create an integration and print its token once")
        add.add_argument("name")
        add.add_argument("--source", required=True, help="e.g. hubspot, salesforce, pipedrive")
        add.add_argument("--organisation")
        sub.add_parser("list").add_argument("--organisation")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        # Creating and revoking tokens is recorded in the audit history, as made from the CLI.
        with acting_as(name="cli"):
            self._handle(action, options)

    def _handle(self, action, options):
        if action == "revoke":
            integration = Integration.objects.filter(pk=options["id"]).first()
            if integration is None:
                raise CommandError(f"no integration {options['id']}")
            revoke_integration(integration)
            self.stdout.write(f"Integration {options['id']} revoked.")
            return
        org = organisation_from(options.get("organisation"))
        if action == "list":
            for item in Integration.objects.filter(organisation=org):
                state = "active" if item.is_active else "revoked"
                self.stdout.write(
                    f"{item.pk}\t{item.name}\t{item.source}\t{item.token_prefix}…\t{state}"
                )
            return
        new = create_integration(org, options["name"], options["source"])
        item = new.integration
        self.stdout.write(f"Integration {item.pk} ({item.name}) for {org.name}")
        self.stdout.write(f"  API token (shown once): {new.token}")
        self.stdout.write(f"  Webhook URL:    {settings.SITE_URL}/api/v1/webhooks/{item.pk}/")
        self.stdout.write(f"  Webhook secret: {item.webhook_secret}")
