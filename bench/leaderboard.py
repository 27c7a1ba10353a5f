"""Benchmark: a 500-person contest's standings after one new fact, and its wallboard under load.

    .venv/bin/python bench/leaderboard.py [--reps 500] [--viewers 50] [--database sqlite|postgres] [--reuse]

Builds (or, with --reuse, keeps) the organisation of bench/metrics.py at 500 reps
(set-based SQL: a quarter of its 10 million activities and 1 million deals), adds a
deals-won ranking contest over the last week of its data for everyone, and a wallboard
link to it. Then it times:
  - the contest's standings right after one new won deal is saved (the rollups follow
    the save; target: under 50 ms), best of 5, each after a new deal;
  - the wallboard's live endpoint (/wall/<token>/live/) served through Django's test
    client (the whole middleware stack, one process) to N concurrent viewers (threads),
    each polling once a second as a TV does (If-None-Match included), 20 times; p50 and
    p95 of the response times (target: p95 under 200 ms), and one uncached response.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import metrics as metrics_bench  # noqa: E402  (bench/metrics.py: the organisation's generator)

WEEK = (dt.date(2025, 12, 22), dt.date(2025, 12, 28))  # the last full week of the data
CONTEST_NAME = "Bench: deals won this week"
POLLS = 20
POLL_SECONDS = 1.0  # as the TV page polls (wallboard/views.POLL_SECONDS)


def contest_and_link():
    from followthrough.motivation.models import Contest, ContestStatus, Format
    from followthrough.people.models import Person, Role
    from followthrough.wallboard.models import Shows, WallboardLink
    from followthrough.wallboard.sharing import create_link

    org = metrics_bench._org()
    contest = Contest.objects.filter(organisation=org, name=CONTEST_NAME).first()
    if contest is None:
        contest = Contest.objects.create(
            organisation=org,
            name=CONTEST_NAME,
            metric_key="deals_won",
            start=WEEK[0],
            end=WEEK[1],
            format=Format.RANKING,
            top_n=3,
            status=ContestStatus.OPEN,
        )
    link = WallboardLink.objects.filter(contest=contest, revoked_at=None).first()
    if link is None:
        admin = Person.objects.filter(organisation=org, role=Role.ADMIN).first()
        if admin is None:
            admin = Person.objects.create(organisation=org, name="Bench admin", role=Role.ADMIN)
        link = create_link(admin, shows=Shows.CONTEST, contest=contest)
    return contest, link


def new_win(org, n: int) -> None:
    from followthrough.crm.models import Deal
    from followthrough.people.models import Person, Role

    rep = Person.objects.filter(organisation=org, role=Role.REP).order_by("pk")[n % 50]
    Deal.objects.create(
        organisation=org,
        source="bench",
        external_id=f"bench-win-{time.time_ns()}",
        owner=rep,
        created_on=WEEK[0] - dt.timedelta(days=30),
        close_on=WEEK[0] + dt.timedelta(days=2),
        outcome="won",
        amount=1000,
    )


def measure(viewers: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from followthrough.motivation.standings import standings
    from followthrough.wallboard import board

    contest, link = contest_and_link()
    org = contest.organisation
    print(f"\nmeasuring (load average {metrics_bench._load()})")
    with CaptureQueriesContext(connection) as captured:
        first = standings(contest, WEEK[1])
    print(f"  contest of {len(first.entries)} people; {len(captured)} queries per standings")
    times = []
    for n in range(5):
        new_win(org, n)
        started = time.perf_counter()
        standings(contest, WEEK[1])
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"  standings after one new fact: best {min(times):.1f} ms, "
        f"median {statistics.median(times):.1f} ms (target: under 50 ms)"
    )

    url = f"/wall/{link.token}/live/"
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(url)  # Django's first request loads the URL conf and templates: not timed
    board._cache.clear()
    started = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    print(f"  live endpoint, first (uncached) response: {cold:.1f} ms")

    samples: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(viewers)

    def viewer(index: int) -> None:
        mine, etag = [], None
        own = Client(HTTP_HOST="127.0.0.1")
        barrier.wait()
        time.sleep(random.uniform(0, POLL_SECONDS))  # TVs are not switched on in step
        for _ in range(POLLS):
            headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
            started = time.perf_counter()
            answer = own.get(url, **headers)
            mine.append((time.perf_counter() - started) * 1000)
            assert answer.status_code in (200, 304), answer.status_code
            etag = answer.get("ETag", etag)
            time.sleep(max(0.0, POLL_SECONDS - mine[-1] / 1000))
        with lock:
            samples.extend(mine)
        connection.close()

    threads = [threading.Thread(target=viewer, args=(i,)) for i in range(viewers)]
    new_win(org, 99)  # a fresh figure while they poll
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    samples.sort()
    p50 = samples[len(samples) // 2]
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(
        f"  {viewers} concurrent viewers x {POLLS} polls ({len(samples)} requests in "
        f"{wall:.1f} s): p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {samples[-1]:.1f} ms "
        f"(target: p95 under 200 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/ft_leaderboard_bench"
    )
    parser.add_argument(
        "--sqlite-file", default=str(ROOT / "var" / "bench" / "leaderboard.sqlite3")
    )
    parser.add_argument("--reuse", action="store_true", help="keep an already generated database")
    args = parser.parse_args()

    metrics_bench.open_database(args)
    from followthrough.metrics import rollups
    from followthrough.people.models import Organisation

    if not Organisation.objects.filter(slug=metrics_bench.ORG_SLUG).exists():
        metrics_bench.generate(args.reps / 2000)
        started = time.perf_counter()
        count = rollups.rebuild(metrics_bench._org().pk, bulk=True)
        print(f"rollups built: {count:,} rows in {time.perf_counter() - started:,.0f}s")
        metrics_bench.vacuum()
    measure(args.viewers)


if __name__ == "__main__":
    main()
