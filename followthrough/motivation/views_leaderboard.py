"""The fair leaderboard page: top N for all, one's own place for oneself."""

from __future__ import annotations

from django.shortcuts import render

from followthrough.goals.catalog import metric_choices, metrics_of
from followthrough.lib.ids import parse_id
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.motivation.leaderboard import (
    DEFAULT_TOP_N,
    MAX_TOP_N,
    RankBy,
    Tier,
    leaderboard,
)
from followthrough.people.lines import line_on, today_for
from followthrough.people.models import Team
from followthrough.web.decorators import person_required

PERIOD_KINDS = (PeriodKind.WEEK, PeriodKind.MONTH, PeriodKind.QUARTER)
DEFAULT_METRIC = "deals_won"


@person_required
def leaderboard_page(request):
    me = request.person
    org = me.organisation
    today = today_for(org)
    metrics = metrics_of(org)
    key = request.GET.get("metric") or DEFAULT_METRIC
    if key not in metrics:
        key = DEFAULT_METRIC if DEFAULT_METRIC in metrics else next(iter(sorted(metrics)))
    kind = request.GET.get("period")
    kind = kind if kind in PERIOD_KINDS else PeriodKind.MONTH
    try:
        rank_by = RankBy(request.GET.get("by") or RankBy.TARGET)
    except ValueError:
        rank_by = RankBy.TARGET
    try:
        tier = Tier(request.GET.get("tier") or Tier.ALL)
    except ValueError:
        tier = Tier.ALL
    teams = list(Team.objects.filter(organisation=org).order_by("name").values_list("pk", "name"))
    team_id = _team_choice(request.GET.get("team"), teams, me, today)
    top_n = parse_id(request.GET.get("top") or "") or DEFAULT_TOP_N
    period = period_of(kind, today, org.fiscal_year_start_month)
    board = leaderboard(
        org, key, period, rank_by=rank_by, team_id=team_id, top_n=top_n, tier=tier, today=today
    )
    own = board.own(me)
    context = {
        "board": board,
        "own": own,
        "own_is_public": own is not None and own in board.public,
        "metric_choices": metric_choices(org),
        "metric_key": key,
        "kinds": [(k, k.value) for k in PERIOD_KINDS],
        "kind": kind,
        "rank_by": rank_by,
        "teams": teams,
        "team_id": team_id,
        "top_choices": [3, 5, 10, MAX_TOP_N],
        "currency": org.currency,
        "section": "leaderboard",
    }
    return render(request, "motivation/leaderboard.html", context)


def _team_choice(raw: str | None, teams: list, me, today) -> int | None:
    """The chosen team; by default one's own team; "all" for the whole organisation."""
    if raw == "all":
        return None
    chosen = parse_id(raw or "")
    if chosen is not None and any(pk == chosen for pk, _ in teams):
        return chosen
    line = line_on(me, today)
    return line.team_id if line else None
