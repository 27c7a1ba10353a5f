from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followthrough.audit.context import acting_as
from followthrough.people.models import AccessToken, Person, RevokeReason
from followthrough.people.organisations import organisation_from
from followthrough.people.tokens import DEFAULT_DAYS, MAX_DAYS, create_token, revoke_token


class Command(BaseCommand):
    help = "Manage personal access tokens for the API: create, list, revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token for a person and print it once")
        create.add_argument("--person", required=True, help="the person's e-mail address")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help=f"1 to {MAX_DAYS} (default 90)"
        )
        create.add_argument("--organisation", help="when the address is in several")
        listing = sub.add_parser("list").add_mutually_exclusive_group()
        listing.add_argument("--person", help="one person's tokens, by e-mail address")
        listing.add_argument("--organisation")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        # Creating and revoking tokens is recorded in the audit history, as made from the CLI.
        with acting_as(name="cli"):
            getattr(self, f"_{action}")(options)

    def _person(self, email: str, organisation: str | None = None) -> Person:
        people = Person.objects.filter(email__iexact=email.strip())
        if organisation:
            people = people.filter(organisation=organisation_from(organisation))
        found = list(people.select_related("organisation")[:2])
        if not found:
            raise CommandError(f"no person with the e-mail address {email!r}")
        if len(found) > 1:
            raise CommandError(f"{email!r} is in several organisations: add --organisation SLUG")
        return found[0]

    def _create(self, options) -> None:
        person = self._person(options["person"], options.get("organisation"))
        if not person.is_active or person.user is None or not person.user.is_active:
            raise CommandError(f"{person.name} cannot log in: a token would not work")
        try:
            new = create_token(person, options["name"], options["days"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        token = new.token
        self.stdout.write(f"Token {token.pk} ({token.name}) for {person.name}, {person.email}")
        self.stdout.write(f"  Expires: {token.expires_at:%Y-%m-%d %H:%M} UTC")
        self.stdout.write(f"  Token (shown once): {new.plaintext}")

    def _list(self, options) -> None:
        if options.get("person"):
            tokens = AccessToken.objects.filter(person=self._person(options["person"]))
        else:
            org = organisation_from(options.get("organisation"))
            tokens = AccessToken.objects.filter(organisation=org)
        now = timezone.now()
        for token in tokens.select_related("person"):
            last = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk}\t{token.person.email}\t{token.name}\t{token.token_prefix}…\t"
                f"expires {token.expires_at:%Y-%m-%d}\tlast used {last}\t{token.status(now)}"
            )

    def _revoke(self, options) -> None:
        token = AccessToken.objects.filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"no token {options['id']}")
        if revoke_token(token, RevokeReason.BY_ADMIN):
            self.stdout.write(f"Token {token.pk} ({token.name}) revoked.")
        else:
            self.stdout.write(f"Token {token.pk} ({token.name}) was revoked already.")
