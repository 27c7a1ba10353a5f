"""Benchmark: one week's digests for the metrics benchmark's organisation (2,000 reps).

    .venv/bin/python bench/digests.py [--reps 2000] [--database sqlite|postgres] [--reuse]

Builds (or, with --reuse, keeps) the organisation of bench/metrics.py with the deal
links, logging times and monthly deals-won goals of bench/diagnostics.py and the
coaching history of bench/coaching.py (cadences, 1:1s, commitments, self-reports), and
adds set-based (bulk_create) what a digest reads that they lack: a login and an e-mail
address for every rep and manager, a leader over the whole organisation, monthly goals
on four more metrics for every rep, kudos of the week before, an open contest, and a
language and time zone for one person in ten. Then, for the week of Monday 30 June
2025 (figures as of Sunday 29 June), it times:
  - notify.digests.build_week for 20 recipients (this warms the caches), for every
    recipient step by step, and for 200 recipients, which must take as many queries as
    everyone (set-based: no query per person), with any query shape that repeats;
  - rendering every e-mail (notify.weekly.render_email: text and HTML);
  - end to end: weekly.plan_digests and weekly.send_digests to a local SMTP server
    (aiosmtpd, in this process, as the tests use), every message over SMTP.
Target: the digests built in under 60 s.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import coaching as coaching_bench  # noqa: E402  (bench/coaching.py: the coaching history)
import diagnostics as diagnostics_bench  # noqa: E402  (bench/diagnostics.py: deal links, logging)
import metrics as metrics_bench  # noqa: E402  (bench/metrics.py: the organisation's generator)

WEEK = "2025-W27"  # Monday 30 June 2025: figures as of Sunday 29 June, month to date
TARGET_SECONDS = 60
SUBSETS = (20, 200)  # 20 first: it warms the caches (the metric catalog, settings)
# Monthly targets per rep, about what the generator's reps do in a month (some ahead,
# some behind): 1M deals, 40 % won, over two years and 2,000 reps.
GOALS = {
    "revenue_won": 220_000,
    "outbound_activities": 150,
    "meetings": 25,
    "avg_deal_size": 26_000,
}
BATCH = 2_000


def add_digest_facts(seed: int = 15) -> None:
    """Logins, a leader, goals, kudos, a contest and preferences, in bulk."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from followthrough.goals.models import Goal, RampChoice
    from followthrough.motivation.models import Contest, ContestStatus
    from followthrough.notify.models import Preference
    from followthrough.people.models import Person, ReportingLine, Role, Team
    from followthrough.recognition.models import Kudos

    rng = random.Random(seed)
    org = metrics_bench._org()
    week = _week()
    started = time.perf_counter()
    with transaction.atomic():
        region = Team.objects.get(organisation=org, parent__isnull=True)
        leader = Person.objects.create(organisation=org, name="Leader", role=Role.LEADER)
        ReportingLine.objects.create(
            organisation=org, person=leader, team=region, valid_from=metrics_bench.FIRST_DAY
        )
        managers = Person.objects.filter(organisation=org, role=Role.MANAGER)
        ReportingLine.objects.filter(organisation=org, person__in=managers, valid_to=None).update(
            manager=leader
        )
        people = list(Person.objects.filter(organisation=org, user__isnull=True).order_by("pk"))
        User = get_user_model()
        users = User.objects.bulk_create(
            [
                User(username=f"bench{p.pk}", email=f"p{p.pk}@bench.test", password="!")
                for p in people
            ],
            batch_size=BATCH,
        )
        for person, user in zip(people, users, strict=True):
            person.user_id, person.email = user.pk, user.email
        Person.objects.bulk_update(people, ["user", "email"], batch_size=500)

        reps = list(
            Person.objects.filter(organisation=org, role=Role.REP)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Goal.objects.bulk_create(
            [
                Goal(
                    organisation=org,
                    person_id=rep,
                    metric_key=key,
                    period_kind="month",
                    start=dt.date(2025, 1, 1),
                    end=dt.date(2025, 12, 31),
                    target=target,
                    ramp=RampChoice.NONE,
                )
                for rep in reps
                for key, target in GOALS.items()
            ],
            batch_size=BATCH,
        )
        # Kudos of the week before: one rep in four thanked by the next rep.
        before = dt.datetime.combine(week.start - dt.timedelta(days=5), dt.time(11), dt.UTC)
        Kudos.objects.bulk_create(
            [
                Kudos(
                    organisation=org,
                    sender_id=reps[(n + 1) % len(reps)],
                    recipient_id=rep,
                    message="Thanks for the handover",
                    created_at=before + dt.timedelta(hours=n % 72),
                )
                for n, rep in enumerate(reps)
                if n % 4 == 0
            ],
            batch_size=BATCH,
        )
        Contest.objects.create(
            organisation=org,
            name="Summer deals",
            metric_key="deals_won",
            start=dt.date(2025, 6, 1),
            end=dt.date(2025, 7, 31),
            status=ContestStatus.OPEN,
        )
        everyone = list(Person.objects.filter(organisation=org).order_by("pk"))
        Preference.objects.bulk_create(
            [
                Preference(
                    organisation=org,
                    person=p,
                    language=rng.choice(["nl", "zh-hans"]),
                    timezone=rng.choice(["Europe/Amsterdam", "Asia/Shanghai"]),
                )
                for n, p in enumerate(everyone)
                if n % 10 == 0
            ],
            batch_size=BATCH,
        )
    print(
        f"digest facts in {time.perf_counter() - started:,.1f}s: {len(users):,} logins, "
        f"a leader, {len(reps) * len(GOALS):,} monthly goals, {len(reps) // 4:,} kudos, "
        f"a contest, {len(everyone) // 10 + 1:,} preferences"
    )


def _week():
    from followthrough.notify.digests import parse_week

    return parse_week(WEEK)


class Recorder:
    """Counts the queries and time of the named functions of modules while they run, so
    a step that queries once per person shows up with its name."""

    def __init__(self, targets, captured) -> None:
        self.targets, self.captured = targets, captured  # [(module, function name)]
        self.steps: dict[str, list] = defaultdict(lambda: [0, 0.0, 0, []])
        self.originals = []

    def __enter__(self):
        for module, name in self.targets:
            original = getattr(module, name)
            self.originals.append((module, name, original))
            label = name if module.__name__.endswith(".digests") else f"  {name}"
            setattr(module, name, self._wrap(label, original))
        return self

    def __exit__(self, *exc) -> None:
        for module, name, original in self.originals:
            setattr(module, name, original)

    def _wrap(self, label, original):
        def wrapper(*args, **kwargs):
            first, started = len(self.captured), time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                step = self.steps[label]
                step[0] += 1
                step[1] += time.perf_counter() - started
                step[2] += len(self.captured) - first
                step[3] += [q["sql"] for q in self.captured.captured_queries[first:]]

        return wrapper


def shape(sql: str) -> str:
    """A statement with its values taken out: the same query for another person matches."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"\((?:\?, )+\?\)", "(...)", sql)


def repeated(queries: list[str], more_than: int = 3) -> list[tuple[int, str]]:
    counts = Counter(shape(q) for q in queries)
    return [(n, s) for s, n in counts.most_common() if n > more_than]


def build(org, week, people):
    """(built week, seconds, CPU seconds, queries, recorder) for `people`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from followthrough.diagnostics import hygiene, integrity, three_rights
    from followthrough.notify import digests

    targets = [
        (digests, name)
        for name, value in vars(digests).items()
        if callable(value)
        and getattr(value, "__module__", "") == digests.__name__
        and name.startswith("_")
    ]
    targets += [
        (digests, "manager_scorecards"),
        (three_rights, "assess"),
        (hygiene, "tally"),
        (integrity, "review"),
    ]
    with CaptureQueriesContext(connection) as captured, Recorder(targets, captured) as rec:
        started, cpu = time.perf_counter(), metrics_bench.cpu_seconds()
        built = digests.build_week(org, week, people)
        elapsed, used = time.perf_counter() - started, metrics_bench.cpu_seconds() - cpu
    return built, elapsed, used, captured, rec


def subset(people, size: int):
    """A leader, one manager in ten, and reps: every kind of part."""
    from followthrough.people.models import Role

    some = [p for p in people if p.role == Role.LEADER][:1]
    some += [p for p in people if p.role == Role.MANAGER][: max(1, size // 10)]
    return some + [p for p in people if p.role == Role.REP][: size - len(some)]


def describe(people) -> str:
    from followthrough.people.models import Role

    mix = Counter(p.role for p in people)
    return (
        f"{len(people):,} recipients ({mix[Role.REP]:,} reps, {mix[Role.MANAGER]:,} managers, "
        f"{mix[Role.LEADER]:,} leader{'s' if mix[Role.LEADER] != 1 else ''})"
    )


def measure() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from followthrough.notify import digests, preferences, weekly

    org = metrics_bench._org()
    week = _week()
    people = digests.recipients(org)
    print(
        f"\nmeasuring the digests of {digests.week_key(week)} for {describe(people)} on "
        f"{connection.vendor} (load average {metrics_bench._load()})"
    )
    counts = {}
    for size in (SUBSETS[0], len(people), *SUBSETS[1:]):
        some = people if size == len(people) else subset(people, size)
        built_some, elapsed, used, captured, rec = build(org, week, some)
        counts[size] = len(captured)
        print(
            f"  build_week for {describe(some)}: {elapsed:,.1f}s (CPU {used:,.1f}s), "
            f"{len(captured)} queries"
            + (f" (target: under {TARGET_SECONDS} s)" if some is people else "")
        )
        if some is not people and size != SUBSETS[0]:
            verdict = "as many" if len(captured) == counts[len(people)] else "NOT as many"
            print(f"    {verdict} queries as for everyone ({counts[len(people)]})")
        if some is not people:
            continue
        built = built_some
        accounted = 0
        for name, (calls, seconds, queries, _sql) in rec.steps.items():
            accounted += queries if not name.startswith(" ") else 0
            print(f"    {name}: {seconds:,.2f}s, {queries} queries in {calls} call(s)")
        print(f"    the rest of build_week: {len(captured) - accounted} queries")
        for name, (calls, _s, _q, sql) in rec.steps.items():
            for n, statement in repeated(sql):
                print(f"    repeated in {name.strip()} ({calls} calls): {n}x {statement[:160]}")
        with_figures = sum(1 for part in built.everyone.values() if part.figures)
        behind = sum(1 for part in built.everyone.values() if part.behind)
        print(
            f"    built: {len(built.reps):,} rep parts ({with_figures:,} with goals, "
            f"{behind:,} behind pace on one or more), {len(built.managers):,} managers, "
            f"{len(built.leaders):,} leaders"
        )

    chosen = preferences.preferences_for(org, [p.pk for p in people])
    with CaptureQueriesContext(connection) as captured:
        started, cpu = time.perf_counter(), metrics_bench.cpu_seconds()
        messages = [weekly.render_email(built, p, chosen[p.pk]) for p in people]
        elapsed, used = time.perf_counter() - started, metrics_bench.cpu_seconds() - cpu
    size = sum(len(m.text) + len(m.html) for m in messages if m)
    print(
        f"  render_email for everyone: {elapsed:,.1f}s (CPU {used:,.1f}s), "
        f"{sum(1 for m in messages if m):,} messages, {size / len(messages) / 1000:,.1f} kB "
        f"each (text and HTML), {len(captured)} queries"
    )
    for n, statement in repeated([q["sql"] for q in captured.captured_queries]):
        print(f"    repeated: {n}x {statement[:160]}")

    end_to_end(org, week)


def end_to_end(org, week) -> None:
    """plan_digests and send_digests, every message to a local SMTP server."""
    from aiosmtpd.controller import Controller
    from django.test import override_settings

    from followthrough.lib.env import parse_email_url
    from followthrough.notify import weekly
    from followthrough.notify.models import Delivery
    from tests.smtp import free_port

    class Counting:
        def __init__(self) -> None:
            self.recipients: list[str] = []
            self.bytes = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
            self.recipients += envelope.rcpt_tos
            self.bytes += len(envelope.content)
            return "250 Message accepted for delivery"

    Delivery.objects.filter(organisation=org, key=weekly.digest_key(week)).delete()
    mailbox = Counting()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with override_settings(
            **parse_email_url(f"smtp://127.0.0.1:{controller.port}"),
            DEFAULT_FROM_EMAIL="Followthrough <ft@bench.test>",
        ):
            started = time.perf_counter()
            planned = weekly.plan_digests(org, week)
            planning = time.perf_counter() - started
            started, cpu = time.perf_counter(), metrics_bench.cpu_seconds()
            counts = weekly.send_digests(org, week)
            sending = time.perf_counter() - started
            used = metrics_bench.cpu_seconds() - cpu
    finally:
        controller.stop()
    print(
        f"  end to end over SMTP (aiosmtpd in this process): planned {planned:,} in "
        f"{planning:,.1f}s; send_digests (build, render, claim, send, mark) "
        f"{sending:,.1f}s (CPU {used:,.1f}s): "
        + ", ".join(f"{n:,} {what}" for what, n in counts.items() if n)
        + f"; the server received {len(mailbox.recipients):,} messages to "
        f"{len(set(mailbox.recipients)):,} addresses, {mailbox.bytes / 1e6:,.1f} MB"
    )


def main() -> None:
    args = metrics_bench.organisation_arguments(
        __doc__.split("\n")[0], "digests", generate_only=True
    )

    metrics_bench.open_database(args)
    from followthrough.coaching.models import Meeting
    from followthrough.goals.models import Goal
    from followthrough.metrics import rollups
    from followthrough.people.models import Organisation, Role

    if not Organisation.objects.filter(slug=metrics_bench.ORG_SLUG).exists():
        started = time.perf_counter()
        metrics_bench.generate(args.reps / 2000)
        print(f"generated in {time.perf_counter() - started:,.0f}s")
    org = metrics_bench._org()
    # As bench/diagnostics.py: without its deal links every activity's deal is empty, and
    # SQLite's statistics then steer hygiene's per-deal lookups off the deal index.
    if not Goal.objects.filter(organisation=org, person__isnull=False).exists():
        diagnostics_bench.add_diagnostic_facts()
        started = time.perf_counter()
        count = rollups.rebuild(org.pk, bulk=True)
        print(f"rollups built: {count:,} rows in {time.perf_counter() - started:,.0f}s")
        metrics_bench.vacuum()
    if not Meeting.objects.filter(organisation=org).exists():
        coaching_bench.generate_coaching()
        metrics_bench.vacuum()
    if not org.people.filter(role=Role.LEADER).exists():
        add_digest_facts()
        metrics_bench.vacuum()
    if not args.generate_only:
        measure()


if __name__ == "__main__":
    main()
