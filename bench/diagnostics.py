"""Benchmark: the early warnings for the metrics benchmark's organisation (2,000 reps,
10M activities, 1M deals).

    .venv/bin/python bench/diagnostics.py [--reps 2000] [--database sqlite|postgres] [--reuse]

Builds (or, with --reuse, keeps) the organisation of bench/metrics.py and adds, set-based,
what the diagnoses read that it lacks: meetings booked from cold outreach, when each
activity was logged (some in bulk, late), close-date pushes and amount cuts in the deal
history, next steps on open deals, and a monthly deals-won target for every rep. Then it
times each step of the nightly run for the whole organisation (three rights, projection,
hygiene counted as the run does and, for comparison, deal by deal as the pages read it,
integrity) and the whole run, with their query counts.
Target: the whole run in under 10 s on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import metrics as metrics_bench  # noqa: E402  (bench/metrics.py: the organisation's generator)

TODAY = dt.date(2025, 7, 1)


def add_diagnostic_facts() -> None:
    """What bench/metrics.py does not generate and the diagnoses read, by set-based SQL."""
    from django.db import connection

    from followthrough.crm.models import Account, Activity, Deal, DealChange
    from followthrough.goals.models import Goal, RampChoice
    from followthrough.people.models import Person, Role

    org = metrics_bench._org()
    qn = connection.ops.quote_name
    activity, deal, change = (
        qn(Activity._meta.db_table),
        qn(Deal._meta.db_table),
        qn(DealChange._meta.db_table),
    )
    pg = connection.vendor == "postgresql"
    plus_days = (
        (lambda column, n: f"({column} + interval '{n} days')")
        if pg
        else (lambda column, n: f"datetime({column}, '+{n} days')")
    )
    minus_days_text = (
        (lambda column, n: f"CAST({column} - {n} AS text)")
        if pg
        else (lambda column, n: f"date({column}, '-{n} days')")
    )
    at_of = (
        (lambda column, n: f"(({column} - {n})::timestamp AT TIME ZONE 'UTC')")
        if pg
        else (lambda column, n: f"datetime({column}, '-{n} days', '+9 hours')")
    )
    cold = "is_cold" if pg else "is_cold = 1"
    reps = Person.objects.filter(organisation=org, role=Role.REP)
    first_rep = min(reps.values_list("pk", flat=True))
    accounts = Account.objects.filter(organisation=org)
    first_account = min(accounts.values_list("pk", flat=True))
    per_rep = accounts.count() // reps.count()
    territory = f"{first_account} + (owner_id - {first_rep}) * {per_rep} + id % {per_rep}"
    on_deal_at = (
        "((close_on - created_on) / 2 + created_on)::timestamp AT TIME ZONE 'UTC' "
        "+ interval '10 hours'"
        if pg
        else "datetime(julianday(created_on) + (julianday(close_on) - julianday(created_on)) "
        "/ 2, '+10 hours')"
    )
    statements = [
        # The generator draws each deal's account and each activity's owner at random, and
        # links no activity to an account or deal: no cold touch would ever open a deal and
        # every open deal would look untouched. Each rep works their own accounts instead.
        (
            f"each rep works a territory of {per_rep} accounts: their deals",
            f"UPDATE {deal} SET account_id = {territory} WHERE organisation_id = {org.pk}",
        ),
        (
            "their activities",
            f"UPDATE {activity} SET account_id = {territory} WHERE organisation_id = {org.pk}",
        ),
        (
            "a call on every open deal halfway to its close date",
            f"INSERT INTO {activity} (organisation_id, source, external_id, imported_at, "
            f"owner_id, account_id, deal_id, type, direction, is_cold, occurred_at, "
            f"occurred_on, duration_seconds, outcome, subject) SELECT organisation_id, "
            f"'bench', 'o' || id, imported_at, owner_id, account_id, id, 'call', 'outbound', "
            f"{'false' if pg else '0'}, {on_deal_at}, "
            f"{'CAST(' + on_deal_at + ' AS date)' if pg else 'date(' + on_deal_at + ')'}, "
            f"300, 'connected', '' FROM {deal} WHERE organisation_id = {org.pk} "
            f"AND outcome = 'open'",
        ),
        (
            "meetings booked: 1 in 40 cold calls and e-mails",
            f"UPDATE {activity} SET outcome = 'meeting_booked' WHERE organisation_id = {org.pk} "
            f"AND {cold} AND type IN ('call', 'email') AND id % 40 = 0",
        ),
        (
            "logged minutes after they happened",
            f"UPDATE {activity} SET logged_at = occurred_at WHERE organisation_id = {org.pk}",
        ),
        (
            "1 rep in 50 logs a week in bulk ten days late",
            f"UPDATE {activity} SET logged_at = {plus_days('occurred_at', 10)} "
            f"WHERE organisation_id = {org.pk} AND owner_id % 50 = 0 AND id % 4 = 0",
        ),
        (
            "next steps on half the open deals",
            f"UPDATE {deal} SET next_step = 'Call back', next_step_on = close_on "
            f"WHERE organisation_id = {org.pk} AND outcome = 'open' AND id % 2 = 0",
        ),
    ]
    for pushes in (1, 2, 3):
        statements.append(
            (
                f"close dates pushed a {pushes}. time (1 deal in {5 * pushes})",
                f"INSERT INTO {change} (organisation_id, deal_id, field, old_value, new_value, "
                f"changed_at) SELECT organisation_id, id, 'close_date', "
                f"{minus_days_text('close_on', 10 * (4 - pushes))}, "
                f"{minus_days_text('close_on', 10 * (3 - pushes))}, "
                f"{at_of('close_on', 10 * (4 - pushes))} FROM {deal} "
                f"WHERE organisation_id = {org.pk} AND id % {5 * pushes} = 0",
            )
        )
    statements.append(
        (
            "amounts cut (1 deal in 30)",
            f"INSERT INTO {change} (organisation_id, deal_id, field, old_value, new_value, "
            f"changed_at) SELECT organisation_id, id, 'amount', CAST(amount * 1.2 AS text), "
            f"CAST(amount AS text), {at_of('close_on', 5)} FROM {deal} "
            f"WHERE organisation_id = {org.pk} AND id % 30 = 0",
        )
    )
    for label, statement in statements:

        def execute(statement=statement) -> None:
            from django.db import transaction

            with connection.cursor() as cursor, transaction.atomic():
                cursor.execute(statement)

        metrics_bench.timed(label, execute)
    metrics_bench.first_wins(org)
    Goal.objects.bulk_create(
        [
            Goal(
                organisation=org,
                person_id=rep,
                metric_key="deals_won",
                period_kind="month",
                start=dt.date(2024, 1, 1),
                end=dt.date(2025, 12, 31),
                target=20,
                ramp=RampChoice.NONE,
            )
            for rep in reps.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )


def count_queries(func):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = func()
    return result, len(captured.captured_queries)


def measure() -> None:
    from followthrough.diagnostics import diagnose, hygiene, integrity, projection, three_rights
    from followthrough.people.models import Person, Role, Team

    org = metrics_bench._org()
    reps = list(Person.objects.filter(organisation=org, role=Role.REP, is_active=True))
    ids = [p.pk for p in reps]
    teams = list(Team.objects.filter(organisation=org))
    month = diagnose.last_complete_month(TODAY)
    print(
        f"\nmeasuring {len(reps):,} reps in {len(teams):,} teams as of {TODAY} "
        f"(load average {metrics_bench._load()})"
    )
    steps = [
        ("three rights", lambda: three_rights.assess(org, reps, month, TODAY)),
        ("projection and backtest", lambda: projection.project_teams(org, teams, TODAY)),
        ("hygiene (counts, as the run)", lambda: hygiene.tally(org, ids, TODAY)),
        ("hygiene deal by deal (the pages' read)", lambda: hygiene.check(org, ids, TODAY)),
        ("integrity", lambda: integrity.signals(org, ids, TODAY)),
    ]
    for label, func in steps:
        _, queries = count_queries(func)
        timing = metrics_bench.best_of(2, func)
        print(f"  {label}: {timing.ms()} , {queries} queries")
    started, cpu = time.perf_counter(), metrics_bench.cpu_seconds()
    run, queries = count_queries(lambda: diagnose.run_now(org, TODAY))
    elapsed = time.perf_counter() - started
    # This process's CPU, both threads (on PostgreSQL with the main connection's backend).
    used = metrics_bench.cpu_seconds() - cpu
    print(
        f"  whole run (all steps, hygiene scores written): {elapsed:,.2f} s (CPU {used:,.1f} s), "
        f"{queries} queries (target: under 10 s)"
    )
    print(f"  found: {run.summary}")


def main() -> None:
    args = metrics_bench.organisation_arguments(
        __doc__.split("\n")[0], "diagnostics", generate_only=True
    )

    metrics_bench.open_database(args)
    from followthrough.goals.models import Goal
    from followthrough.metrics import rollups
    from followthrough.people.models import Organisation

    if not Organisation.objects.filter(slug=metrics_bench.ORG_SLUG).exists():
        metrics_bench.generate(args.reps / 2000)
    org = metrics_bench._org()
    if not Goal.objects.filter(organisation=org).exists():
        add_diagnostic_facts()
        started = time.perf_counter()
        count = rollups.rebuild(org.pk, bulk=True)
        print(f"rollups built: {count:,} rows in {time.perf_counter() - started:,.0f}s")
        metrics_bench.vacuum()
    if not args.generate_only:
        measure()


if __name__ == "__main__":
    main()
