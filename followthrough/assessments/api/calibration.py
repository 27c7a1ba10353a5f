"""API: calibration across managers (see assessments/api_urls.py).

GET /api/v1/calibration/?quarter=YYYY-MM-DD (the quarter's first day): the page's figures
for leaders and admins, per competency and per manager (docs/metrics.md, "Calibration").
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from followthrough.api.strict import StrictSerializer
from followthrough.assessments import calibration, rights
from followthrough.assessments.views.calibration import choose_quarter
from followthrough.metrics.engine import get_metrics
from followthrough.people.lines import today_for


class RowSerializer(StrictSerializer):
    manager = serializers.IntegerField(allow_null=True, help_text="null: all managers together.")
    counts = serializers.ListField(child=serializers.IntegerField())
    mean_level = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    compared = serializers.IntegerField()
    mean_rated = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    mean_suggested = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    mean_metric = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    gap = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    flag = serializers.ChoiceField(choices=["", calibration.ABOVE, calibration.BELOW])


class CompetencyRowsSerializer(StrictSerializer):
    competency = serializers.IntegerField()
    metric_key = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())
    managers = RowSerializer(many=True)
    everyone = RowSerializer()


class CalibrationSerializer(StrictSerializer):
    start = serializers.DateField()
    end = serializers.DateField()
    competencies = CompetencyRowsSerializer(many=True)
    overall = RowSerializer(many=True)


def _row(row) -> dict:
    return {
        "manager": row.manager_id,
        "counts": list(row.counts),
        "mean_level": row.mean_level,
        "compared": row.compared,
        "mean_rated": row.mean_rated,
        "mean_suggested": row.mean_suggested,
        "mean_metric": row.mean_metric,
        "gap": row.gap,
        "flag": row.flag,
    }


class CalibrationView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("quarter", str, description="The quarter's first day, YYYY-MM-DD.")
        ],
        responses={200: CalibrationSerializer},
    )
    def get(self, request):
        me = request.person
        if not rights.can_calibrate(me):
            raise PermissionDenied("Calibration is for leaders and admins.")
        period, _offered, error = choose_quarter(
            request.query_params, me, today_for(me.organisation)
        )
        if error:
            raise serializers.ValidationError({"quarter": [error]})
        gathered = calibration.gather(me, period)
        metrics = get_metrics(me.organisation)
        result = calibration.calibrate(
            gathered.observations,
            {c.pk: len(gathered.level_labels[c.pk]) for c in gathered.competencies},
            {
                c.pk: metrics[c.metric_key].higher_is_better
                for c in gathered.competencies
                if c.metric_key in metrics
            },
            [p.pk for p in gathered.managers],
        )
        by_id = {c.pk: c for c in gathered.competencies}
        body = {
            "start": period.start,
            "end": period.end,
            "competencies": [
                {
                    "competency": item.competency_id,
                    "metric_key": by_id[item.competency_id].metric_key,
                    "levels": by_id[item.competency_id].section.rubric.level_keys,
                    "managers": [_row(row) for row in item.rows],
                    "everyone": _row(item.everyone),
                }
                for item in result.competencies
            ],
            "overall": [_row(row) for row in result.overall],
        }
        return Response(CalibrationSerializer(body).data)


urlpatterns: list = [path("calibration/", CalibrationView.as_view(), name="api-calibration")]


def register(router: BaseRouter) -> None:
    pass
