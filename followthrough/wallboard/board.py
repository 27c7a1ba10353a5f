"""What a wallboard shows: the public rows of one contest or leaderboard, ready for JSON.

Only what anyone in the organisation may see of that board: a contest's first
places and winners (motivation/showing.py's public rule, with no viewer, so no
own or reports' rows), a leaderboard's top N (Board.public). Figures come from
the same functions the contest and leaderboard pages call, so a TV and a
scorecard never disagree. Names are data: the page sets them as text, never HTML.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followthrough.lib.periods import period_of
from followthrough.metrics import engine
from followthrough.metrics.labels import format_share, format_value
from followthrough.motivation.closing import frozen
from followthrough.motivation.leaderboard import RankBy, leaderboard
from followthrough.motivation.models import ContestStatus
from followthrough.motivation.showing import is_public
from followthrough.motivation.standings import standings
from followthrough.people.lines import today_for
from followthrough.wallboard.models import Shows, WallboardLink

# Fifty TVs polling each second read one computation per link per this many seconds.
FRESH_SECONDS = 0.5


def board_of(link: WallboardLink) -> dict:
    """The JSON-ready board the link shares, as of now."""
    if link.shows == Shows.CONTEST:
        return _contest_board(link)
    return _leaderboard_board(link)


def _day(day) -> str:
    return date_format(day, "DATE_FORMAT")


def _metric(org, key):
    return engine.get_metrics(org).get(key)


def _contest_board(link: WallboardLink) -> dict:
    contest = link.contest
    org = link.organisation
    contest.organisation = org
    metric = _metric(org, contest.metric_key)
    head = {
        "title": contest.name,
        "subtitle": f"{metric.label if metric else contest.metric_key} · "
        f"{_day(contest.start)} – {_day(contest.end)}",
        "status": contest.status,
        "rows": [],
        "total": None,
        "note": "",
    }
    if metric is None:
        head["note"] = _("This board's metric no longer exists.")
        return head
    if contest.status == ContestStatus.DRAFT:
        head["note"] = _("This contest has not opened yet.")
        return head
    final = frozen(contest) if contest.is_closed else None
    board = final or standings(contest)
    if not board.started:
        head["note"] = _("The contest has not started yet.")
    if contest.is_closed:
        head["note"] = _("Final results.")
    unit, currency = str(metric.unit), org.currency
    rows = []
    for entry in board.entries:
        if not is_public(entry, board):
            continue
        shown = entry.improvement if contest.format == "most_improved" else entry.value
        rows.append(
            {
                "key": entry.key,
                "name": entry.name,
                "rank": entry.rank,
                "value": format_value(shown, unit, currency),
                "raw": None if entry.value is None else str(entry.value),
                "wins": entry.wins,
            }
        )
    head["rows"] = rows
    if board.total is not None:
        head["total"] = format_value(board.total, unit, currency)
    return head


def _leaderboard_board(link: WallboardLink) -> dict:
    org = link.organisation
    today = today_for(org)
    period = period_of(link.period, today, org.fiscal_year_start_month)
    metric = _metric(org, link.metric_key)
    title = link.name or (link.team.name if link.team else org.name)
    head = {"title": title, "subtitle": "", "status": "open", "rows": [], "total": None}
    head["note"] = ""
    if metric is None:
        head["note"] = _("This board's metric no longer exists.")
        return head
    head["subtitle"] = f"{metric.label} · {_day(period.start)} – {_day(period.end)}"
    board = leaderboard(
        org,
        metric.key,
        period,
        rank_by=RankBy(link.rank_by),
        team_id=link.team_id,
        top_n=link.top_n,
        today=today,
    )
    unit, currency = str(metric.unit), org.currency
    rows = []
    for row in board.public:
        if board.rank_by == RankBy.TARGET:
            value = format_share(row.attainment)
        elif board.rank_by == RankBy.IMPROVEMENT:
            value = format_value(row.improvement, unit, currency)
        else:
            value = format_value(row.value, unit, currency)
        rows.append(
            {
                "key": f"p{row.person_id}",
                "name": row.name,
                "rank": row.rank,
                "value": value,
                "raw": None if row.value is None else str(row.value),
                "wins": row.rank == 1,
            }
        )
    head["rows"] = rows
    return head


# A tiny per-process cache: (link pk, language) -> (time, body, etag).
_cache: dict[tuple[int, str], tuple[float, bytes, str]] = {}
_lock = threading.Lock()


def live_body(link: WallboardLink, language: str) -> tuple[bytes, str]:
    """(JSON body, ETag) of the link's board, computed at most once per FRESH_SECONDS."""
    key = (link.pk, language)
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < FRESH_SECONDS:
        return hit[1], hit[2]
    with _lock:
        hit = _cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < FRESH_SECONDS:
            return hit[1], hit[2]
        body = json.dumps(board_of(link), ensure_ascii=False, sort_keys=True).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        _cache[key] = (time.monotonic(), body, etag)
        return body, etag


def forget(link: WallboardLink) -> None:
    """Drop a link's cached boards (on revocation)."""
    for key in [k for k in _cache if k[0] == link.pk]:
        _cache.pop(key, None)
