"""API: the projection of won deals with its backtest (see diagnostics/api_urls.py).

GET /api/v1/diagnostics/projection/?team=<id>: one item per team the caller may see
(without `team`, every one; a rep: their own team, with only their own figures), each
with its months, actual, projected and target won deals, the reps' right-time findings
and the method's backtest. GET /api/v1/diagnostics/projection/<team id>/: one team.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictSerializer
from followthrough.diagnostics import projection, rights
from followthrough.diagnostics.projection import month_period
from followthrough.lib.ids import parse_id
from followthrough.people.lines import today_for

urlpatterns: list = []


class ProjectionEvidenceSerializer(StrictSerializer):
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    url = serializers.CharField()


class RepSerializer(StrictSerializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["ok", "watch", "help", "unknown"])
    gap = serializers.FloatField(
        allow_null=True, help_text="Won deals short of target over the coming months."
    )
    projected = serializers.ListField(child=serializers.FloatField())
    target = serializers.ListField(child=serializers.FloatField(allow_null=True))
    target_source = serializers.CharField(
        help_text='"goal", "carried" (the last goal carried forward), "own" (own average) or "".'
    )
    prospecting_pace = serializers.FloatField()
    prospecting_needed = serializers.FloatField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())
    evidence = ProjectionEvidenceSerializer(many=True)


class BacktestRowSerializer(StrictSerializer):
    fitted_to = serializers.CharField(help_text="The last month the fit saw, YYYY-MM.")
    month = serializers.CharField(help_text="The month projected, YYYY-MM.")
    ahead = serializers.IntegerField()
    projected = serializers.FloatField()
    actual = serializers.FloatField()
    baseline = serializers.FloatField(help_text="Last quarter repeated: the wins 3 months before.")


class BacktestSerializer(StrictSerializer):
    mean_absolute_error = serializers.FloatField(allow_null=True)
    bias = serializers.FloatField(allow_null=True, help_text="Mean of projected − actual.")
    baseline_mean_absolute_error = serializers.FloatField(allow_null=True)
    beats_baseline = serializers.BooleanField(allow_null=True)
    rows = BacktestRowSerializer(many=True)


class ProjectionSerializer(StrictSerializer):
    id = serializers.IntegerField(help_text="The team's id.")
    url = serializers.CharField()
    team = serializers.CharField()
    personal = serializers.BooleanField(help_text="True: the caller's own figures (a rep).")
    months = serializers.ListField(child=serializers.CharField())
    actual = serializers.ListField(child=serializers.FloatField(allow_null=True))
    projected = serializers.ListField(child=serializers.FloatField(allow_null=True))
    target = serializers.ListField(child=serializers.FloatField(allow_null=True))
    new_deals_per_cold_activity = serializers.FloatField()
    new_deal_lag_months = serializers.ListField(child=serializers.FloatField())
    win_rate = serializers.FloatField()
    win_lag_months = serializers.ListField(child=serializers.FloatField())
    reps = RepSerializer(many=True)
    backtest = BacktestSerializer()


def _key(index: int) -> str:
    return month_period(index).key


def _round(value, places=3):
    return None if value is None else round(value, places)


def as_data(tp, request) -> dict:
    bt = tp.backtest
    return {
        "id": tp.team.pk,
        "url": request.build_absolute_uri(
            reverse("diagnostics-projection-detail", args=[tp.team.pk])
        ),
        "team": tp.team.name,
        "personal": tp.personal,
        "months": [_key(m) for m in tp.months],
        "actual": [_round(v) for v in tp.actual],
        "projected": [_round(v) for v in tp.projected],
        "target": [_round(v) for v in tp.target],
        "new_deals_per_cold_activity": round(tp.model.to_deal.rate, 5),
        "new_deal_lag_months": [round(w, 3) for w in tp.model.to_deal.distribution],
        "win_rate": round(tp.model.to_win.rate, 3),
        "win_lag_months": [round(w, 3) for w in tp.model.to_win.distribution],
        "reps": [
            {
                "person": r.person.pk,
                "name": r.person.name,
                "status": str(r.status),
                "gap": None if r.finding.gap is None else float(r.finding.gap),
                "projected": [round(v, 3) for v in r.projected],
                "target": [_round(v) for v in r.target],
                "target_source": r.target_source,
                "prospecting_pace": round(r.pace, 1),
                "prospecting_needed": _round(r.need, 1),
                "reasons": [s.text for s in r.finding.reasons],
                "evidence": [
                    {
                        "label": str(e.label),
                        "value": None if e.value is None else float(e.value),
                        "unit": e.unit,
                        "url": e.url,
                    }
                    for e in r.finding.evidence
                ],
            }
            for r in tp.reps
        ],
        "backtest": {
            "mean_absolute_error": _round(bt.mae),
            "bias": _round(bt.bias),
            "baseline_mean_absolute_error": _round(bt.baseline_mae),
            "beats_baseline": bt.beats_baseline,
            "rows": []
            if tp.personal
            else [
                {
                    "fitted_to": _key(row.month),
                    "month": _key(row.month + row.ahead),
                    "ahead": row.ahead,
                    "projected": round(row.projected, 3),
                    "actual": row.actual,
                    "baseline": row.baseline,
                }
                for row in bt.rows
            ],
        },
    }


class ProjectionViewSet(viewsets.ViewSet):
    serializer_class = ProjectionSerializer
    lookup_value_regex = "[0-9]+"

    def _teams(self, request):
        me = request.person
        today = today_for(me.organisation)
        return me, today, projection.teams_for(me, today)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "team", int, description="A team's id; without it, every team you may see."
            )
        ],
        responses={200: ProjectionSerializer(many=True)},
    )
    def list(self, request):
        me, today, teams = self._teams(request)
        asked = request.query_params.get("team")
        if asked is not None:
            team_id = parse_id(asked)
            if team_id is None:
                raise serializers.ValidationError({"team": ["Give a team's id."]})
            teams = [t for t in teams if t.pk == team_id]
            if not teams:
                raise Http404
        found = projection.for_viewer(me, teams, today)
        return Response([as_data(found[t.pk], request) for t in teams])

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="A team's id.")],
        responses={200: ProjectionSerializer},
    )
    def retrieve(self, request, pk=None):
        me, today, teams = self._teams(request)
        team = next((t for t in teams if t.pk == parse_id(str(pk))), None)
        if team is None or (me.role != "rep" and not rights.can_see_team(me, team)):
            raise Http404
        found = projection.for_viewer(me, [team], today)
        return Response(as_data(found[team.pk], request))


def register(router: BaseRouter) -> None:
    router.register("diagnostics/projection", ProjectionViewSet, basename="diagnostics-projection")
