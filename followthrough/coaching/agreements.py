"""Accountability agreements: who may set them, who they cover, and who acknowledged them.

The rules, in plain words:
- A team's agreement is set by the team's own manager (the manager leading it: someone
  in the team with reports in it), or by a leader or admin above the team.
- A rep's own agreement is set by someone the rep reports to (rights.can_coach); it
  replaces the team's agreement for that rep.
- A change is a new version (version + 1); a past version is never edited.
- An agreement covers its rep, or the team's reps who have no agreement of their own.
  Each covered rep acknowledges the latest version; a new version is acknowledged again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, Max, OuterRef, Q, QuerySet, Subquery, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from followthrough.coaching import rights
from followthrough.coaching.models import (
    Acknowledgement,
    Agreement,
    Notification,
    NotificationKind,
)
from followthrough.people import access
from followthrough.people.lines import in_force, lines_on, reports_of, today_for
from followthrough.people.models import Organisation, Person, ReportingLine, Role, Team

# --- Who may set and see agreements -------------------------------------------------


def _own_team_id(viewer: Person) -> int | None:
    if not hasattr(viewer, "_agreement_own_team_id"):
        viewer._agreement_own_team_id = team_id_of(viewer)
    return viewer._agreement_own_team_id


def settable_teams(viewer: Person) -> QuerySet[Team]:
    """Teams whose agreement `viewer` may set: below them, or their own team if they lead it."""
    teams = Team.objects.filter(organisation_id=viewer.organisation_id)
    if viewer.role == Role.ADMIN:
        return teams
    if viewer.role not in rights.MANAGING_ROLES:
        return teams.none()
    visible = access.visible_teams(viewer)
    own = _own_team_id(viewer)
    if own is None:
        return visible
    # The own team is theirs to set only when they lead it: some of its people report to them.
    leads_own = (
        lines_on(viewer.organisation, today_for(viewer.organisation))
        .filter(team_id=own, person_id__in=access.visible_person_ids(viewer) - {viewer.pk})
        .exists()
    )
    return visible if leads_own else visible.exclude(pk=own)


def can_set_team_agreement(viewer: Person | None, team: Team) -> bool:
    if viewer is None or team.organisation_id != viewer.organisation_id:
        return False
    return settable_teams(viewer).filter(pk=team.pk).exists()


def can_set_rep_agreement(viewer: Person | None, rep: Person) -> bool:
    return viewer is not None and rep.is_active and rights.can_coach(viewer, rep)


def coachable_people(viewer: Person) -> QuerySet[Person]:
    """People `viewer` may act for (rights.can_coach), as one query."""
    people = Person.objects.filter(organisation_id=viewer.organisation_id, is_active=True)
    if viewer.role not in rights.MANAGING_ROLES:
        return people.none()
    ids = access.visible_person_ids(viewer)
    if ids is None:  # an admin acts, like anyone, for the people reporting to them
        ids = reports_of(viewer)
    return people.filter(pk__in=ids - {viewer.pk}).order_by("name")


def can_view_team_agreement(viewer: Person | None, team: Team) -> bool:
    """The status page of a team's agreement: for those above the team, not its reps."""
    if viewer is None or team.organisation_id != viewer.organisation_id:
        return False
    if viewer.role == Role.REP:
        return False
    return access.can_view_team(viewer, team)


def visible_filter(viewer: Person) -> Q:
    """Agreements `viewer` may read: of the people they see, of the teams they see, their own."""
    org = Q(organisation_id=viewer.organisation_id)
    ids = access.visible_person_ids(viewer)
    if ids is None:
        return org
    teams = set()
    if viewer.role != Role.REP:
        teams = set(access.visible_teams(viewer).values_list("pk", flat=True))
    own = team_id_of(viewer)
    if own is not None:
        teams.add(own)
    return org & (Q(rep_id__in=ids) | Q(rep__isnull=True, team_id__in=teams))


# --- What applies to whom -----------------------------------------------------------


def team_id_of(person: Person, day: dt.date | None = None) -> int | None:
    day = day or today_for(person.organisation)
    line = ReportingLine.objects.filter(in_force(day), person=person).first()
    return line.team_id if line else None


def versions_of(*, team: Team | None = None, rep: Person | None = None) -> QuerySet[Agreement]:
    """Every version of one team's or one rep's agreement, newest first."""
    if rep is not None:
        return Agreement.objects.filter(rep=rep).order_by("-version")
    return Agreement.objects.filter(team=team, rep__isnull=True).order_by("-version")


def latest(*, team: Team | None = None, rep: Person | None = None) -> Agreement | None:
    return versions_of(team=team, rep=rep).first()


def current_for(person: Person) -> Agreement | None:
    """The agreement `person` acknowledges: their own, else their team's (reps only).

    Annotated with `acknowledged` and `acknowledged_at` (by `person`); one query.
    """
    acknowledged = Acknowledgement.objects.filter(agreement=OuterRef("pk"), person=person)
    candidates = Q(rep=person)
    if person.role == Role.REP:
        today = today_for(person.organisation)
        team = ReportingLine.objects.filter(in_force(today), person_id=person.pk).values("team")
        candidates |= Q(rep__isnull=True, team_id=Subquery(team[:1]))
    return (
        Agreement.objects.filter(candidates, organisation_id=person.organisation_id)
        .annotate(
            acknowledged=Exists(acknowledged),
            acknowledged_at=Subquery(acknowledged.values("acknowledged_at")[:1]),
        )
        .select_related("team", "rep", "created_by")
        # The rep's own agreement before the team's, then the newest version.
        .order_by(Case(When(rep__isnull=True, then=1), default=0), "-version")
        .first()
    )


def pending_for(person: Person) -> Agreement | None:
    """The agreement `person` has still to acknowledge, or None."""
    agreement = current_for(person)
    return agreement if agreement is not None and not agreement.acknowledged else None


def covered_people(agreement: Agreement) -> list[Person]:
    """Who acknowledges `agreement`: its rep, or the team's reps without an agreement of their own."""
    if agreement.rep_id:
        return [agreement.rep]
    org = agreement.organisation
    in_team = lines_on(org, today_for(org)).filter(team_id=agreement.team_id).values("person_id")
    own = Agreement.objects.filter(rep_id=OuterRef("pk"))
    return list(
        Person.objects.filter(
            organisation=org, pk__in=in_team, role=Role.REP, is_active=True
        ).exclude(Exists(own))
    )


@dataclass(frozen=True)
class AckRow:
    """One covered rep and when they acknowledged the version (None: not yet)."""

    person: Person
    acknowledged_at: dt.datetime | None


def acknowledgement_rows(agreement: Agreement) -> list[AckRow]:
    """Each covered rep with their acknowledgement of this version; two queries."""
    people = covered_people(agreement)
    when = dict(
        Acknowledgement.objects.filter(agreement=agreement).values_list(
            "person_id", "acknowledged_at"
        )
    )
    return [AckRow(person, when.get(person.pk)) for person in sorted(people, key=_by_name)]


def _by_name(person: Person) -> str:
    return person.name.casefold()


@dataclass(frozen=True)
class TeamStatus:
    """A team's latest agreement and how many of its reps acknowledged it."""

    team: Team
    agreement: Agreement | None
    covered: int
    acknowledged: int

    @property
    def missing(self) -> int:
        return self.covered - self.acknowledged


def team_statuses(org: Organisation, teams: QuerySet[Team]) -> list[TeamStatus]:
    """Per team: its latest agreement and its acknowledgements; four queries whatever the number."""
    teams = list(teams.order_by("name"))
    if not teams:
        return []
    ids = [team.pk for team in teams]
    top = (
        Agreement.objects.filter(team_id=OuterRef("team_id"), rep__isnull=True)
        .order_by("-version")
        .values("version")[:1]
    )
    latest_by_team = {
        agreement.team_id: agreement
        for agreement in Agreement.objects.filter(
            team_id__in=ids, rep__isnull=True, version=Subquery(top)
        )
    }
    own = Agreement.objects.filter(rep_id=OuterRef("person_id"))
    members = (
        lines_on(org, today_for(org))
        .filter(
            team_id__in=ids,
            person__role=Role.REP,
            person__is_active=True,
        )
        .exclude(Exists(own))
        .values_list("team_id", "person_id")
    )
    covered: dict[int, set[int]] = {team_id: set() for team_id in ids}
    for team_id, person_id in members:
        covered[team_id].add(person_id)
    acks = Acknowledgement.objects.filter(
        agreement__in=[a.pk for a in latest_by_team.values()]
    ).values_list("agreement__team_id", "person_id")
    acked: dict[int, set[int]] = {team_id: set() for team_id in ids}
    for team_id, person_id in acks:
        acked[team_id].add(person_id)
    return [
        TeamStatus(
            team,
            latest_by_team.get(team.pk),
            len(covered[team.pk]),
            len(covered[team.pk] & acked[team.pk]) if team.pk in latest_by_team else 0,
        )
        for team in teams
    ]


# --- Changing agreements ------------------------------------------------------------


@transaction.atomic
def create_version(
    *,
    author: Person | None,
    team: Team | None = None,
    rep: Person | None = None,
    expectations: str,
    self_report_interval: str,
    cadence: str,
    missed_goals: str,
) -> Agreement:
    """Write the next version of a team's or a rep's agreement (the caller checked the rights)."""
    if (team is None) == (rep is None):
        raise ValidationError({"team": _("Choose a team or a rep, not both.")})
    org = (team or rep).organisation
    versions = versions_of(team=team, rep=rep)
    number = (versions.aggregate(top=Max("version"))["top"] or 0) + 1
    if rep is not None:
        # A rep's agreement also names their team, so the team's page can list it.
        team = Team.objects.filter(pk=team_id_of(rep)).first()
    agreement = Agreement(
        organisation=org,
        team=team,
        rep=rep,
        version=number,
        expectations=expectations,
        self_report_interval=self_report_interval,
        cadence=cadence,
        missed_goals=missed_goals,
        created_by=author,
    )
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        # Two writers at once: the other one's version stands, this one is asked again.
        raise ValidationError(
            {"expectations": _("Someone saved a new version at the same moment: try again.")}
        ) from None
    _notify(agreement, author)
    return agreement


def _notify(agreement: Agreement, author: Person | None) -> None:
    """Tell each rep the version covers, in the product, that it waits for them."""
    url = reverse("agreement")
    excerpt = (agreement.rep or agreement.team).name[:300]
    Notification.objects.bulk_create(
        Notification(
            organisation=agreement.organisation,
            recipient=person,
            actor=author,
            kind=NotificationKind.AGREEMENT_CHANGED,
            url=url,
            excerpt=excerpt,
        )
        for person in covered_people(agreement)
    )


def acknowledge(agreement: Agreement, person: Person, when: dt.datetime | None = None):
    """Record that `person` acknowledged `agreement`; only the version that is current for them."""
    current = current_for(person)
    if current is None or (
        current.rep_id != agreement.rep_id or current.team_id != agreement.team_id
    ):
        raise ValidationError({"agreement": _("This agreement does not cover you.")})
    if current.pk != agreement.pk:
        raise ValidationError(
            {
                "version": _(
                    "Version %(old)s has been replaced by version %(new)s: acknowledge that one."
                )
                % {"old": agreement.version, "new": current.version}
            }
        )
    existing = Acknowledgement.objects.filter(agreement=agreement, person=person).first()
    if existing is not None:
        return existing
    # The reminder in the product is answered: not an audited change, a read mark.
    Notification.objects.filter(
        recipient=person, kind=NotificationKind.AGREEMENT_CHANGED, read_at__isnull=True
    ).update(read_at=timezone.now())
    return Acknowledgement.objects.create(
        organisation=agreement.organisation,
        agreement=agreement,
        person=person,
        acknowledged_at=when or timezone.now(),
    )
