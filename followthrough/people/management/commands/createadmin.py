from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from followthrough.audit.context import acting_as
from followthrough.people.models import Organisation, Person, Role
from followthrough.people.organisations import find_organisation


def _free_slug(name: str) -> str:
    """A short name from `name` that no organisation has yet."""
    base = slugify(name)[:56] or "org"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class Command(BaseCommand):
    help = "Create an organisation's admin (and the organisation if it does not exist)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--organisation",
            required=True,
            help="an organisation's short name or name; a new name creates the organisation",
        )
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="also an installation superuser (sees every organisation in the admin site)",
        )

    def handle(self, *args, email, name, organisation, password_stdin, superuser, **options):
        User = get_user_model()
        email = email.strip().lower()
        if "@" not in email:
            raise CommandError(f"--email {email!r} is not an e-mail address")
        if User.objects.filter(username__iexact=email).exists():
            raise CommandError(f"A login for {email} exists already")
        # Before the password is asked for: an ambiguous name fails at once.
        org = find_organisation(organisation)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        with transaction.atomic(), acting_as(name="createadmin"):
            created = org is None
            if created:
                org = Organisation.objects.create(
                    name=organisation.strip(), slug=_free_slug(organisation)
                )
            user = User.objects.create_user(
                username=email, email=email, password=password, is_staff=True
            )
            if superuser:
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
            Person.objects.create(
                organisation=org, user=user, name=name, email=email, role=Role.ADMIN
            )
        what = "Created organisation %s and its admin %s" if created else "Added admin to %s: %s"
        label = f"{org.name} (short name {org.slug})"
        self.stdout.write(self.style.SUCCESS(what % (label, email)))
