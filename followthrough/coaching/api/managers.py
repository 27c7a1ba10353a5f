"""The follow-through's API: managers (see coaching/api_urls.py).

/api/v1/people/{id}/manager-scorecard/ gives a manager's scorecard for a period (the
page's rights: the manager, people above them, admins and their direct reps), and
/api/v1/me/ gains `calendar_url`, the caller's private calendar feed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictSerializer
from followthrough.coaching import feeds
from followthrough.coaching import managerscore as ms
from followthrough.coaching.managers_rights import MANAGER_ROLES, can_view_manager_scorecard
from followthrough.lib.periods import Period, PeriodKind, period_of, supported
from followthrough.people import api as people_api
from followthrough.people.lines import today_for
from followthrough.people.models import Person
from followthrough.scorecards.choosing import MAX_CUSTOM_DAYS, period_query


class PeriodQuerySerializer(serializers.Serializer):
    """?from=&until= (a range), or ?kind=&date= (the period of that kind holding the date;
    the current month when nothing is given)."""

    from_ = serializers.DateField(required=False)
    until = serializers.DateField(required=False)
    kind = serializers.ChoiceField(
        choices=[k.value for k in PeriodKind if k != PeriodKind.CUSTOM], required=False
    )
    date = serializers.DateField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, data):
        start, end = data.get("from"), data.get("until")
        for name in ("from", "until", "date"):
            if data.get(name) and not supported(data[name]):
                raise serializers.ValidationError({name: ["This date is out of range."]})
        if (start is None) != (end is None):
            missing = "until" if end is None else "from"
            raise serializers.ValidationError({missing: ["Give both from and until."]})
        if start and end:
            if end < start:
                raise serializers.ValidationError({"until": ["until is before from."]})
            if (end - start).days + 1 > MAX_CUSTOM_DAYS:
                raise serializers.ValidationError(
                    {"until": [f"A range is at most {MAX_CUSTOM_DAYS} days long."]}
                )
        return data

    def period(self, org, today: dt.date) -> Period:
        data = self.validated_data
        if data.get("from"):
            return Period(data["from"], data["until"], PeriodKind.CUSTOM)
        kind = data.get("kind") or PeriodKind.MONTH
        return period_of(kind, data.get("date") or today, org.fiscal_year_start_month)


class FigureSerializer(StrictSerializer):
    key = serializers.ChoiceField(choices=list(ms.FIGURES))
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    numerator = serializers.DecimalField(max_digits=20, decimal_places=6)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    note = serializers.CharField(
        help_text="coaching_time: below, within or above the 3-5 hours guidance; "
        "attainment: the metric's key."
    )
    records_url = serializers.CharField(help_text="The page listing the records behind it.")


class ManagerScorecardSerializer(StrictSerializer):
    manager = serializers.IntegerField()
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    team = serializers.IntegerField(allow_null=True)
    reps = serializers.IntegerField()
    deal_review_days = serializers.IntegerField(allow_null=True)
    figures = FigureSerializer(many=True)


def _figure_data(card: ms.ManagerScorecard, query: str, request) -> list[dict]:
    return [
        {
            "key": key,
            "label": str(ms.LABELS[key]),
            "value": card[key].value,
            "numerator": card[key].numerator,
            "denominator": card[key].denominator,
            "note": card[key].note,
            "records_url": request.build_absolute_uri(
                reverse("manager_records", args=[card.manager.pk, key]) + "?" + query
            ),
        }
        for key in ms.FIGURES
    ]


@extend_schema(
    parameters=[
        OpenApiParameter("from", dt.date, description="First day of a range (with until)."),
        OpenApiParameter("until", dt.date, description="Last day of a range (inclusive)."),
        OpenApiParameter(
            "kind",
            str,
            enum=[k.value for k in PeriodKind if k != PeriodKind.CUSTOM],
            description="A natural period (default: month)...",
        ),
        OpenApiParameter("date", dt.date, description="...holding this day (default: today)."),
    ],
    responses=ManagerScorecardSerializer,
)
@api_view(["GET"])
def manager_scorecard(request, pk: int):
    """A manager's follow-through for a period: the manager scorecard's seven figures."""
    viewer = request.person
    manager = Person.objects.filter(organisation=viewer.organisation, pk=pk).first()
    if manager is None:
        raise Http404
    if not can_view_manager_scorecard(viewer, manager):
        raise PermissionDenied
    if manager.role not in MANAGER_ROLES:
        raise Http404
    params = PeriodQuerySerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    org = manager.organisation
    today = today_for(org)
    period = params.period(org, today)
    card = ms.manager_scorecard(manager, period, today)
    data = {
        "manager": manager.pk,
        "name": manager.name,
        "start": period.start,
        "end": period.end,
        "team": card.team.pk if card.team else None,
        "reps": len(card.rep_ids),
        "deal_review_days": card.review_days,
        "figures": _figure_data(card, period_query(period), request),
    }
    return Response(ManagerScorecardSerializer(data).data)


def calendar_url(person: Person, request) -> dict:
    """The caller's feed for /api/v1/me/ (people.api.ME_EXTRAS)."""
    feed = feeds.feed_of(person)
    if feed is None:
        return {"calendar_url": None}
    return {"calendar_url": request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))}


if calendar_url not in people_api.ME_EXTRAS:
    people_api.ME_EXTRAS.append(calendar_url)

# Extra paths that are not viewsets, under /api/v1/.
urlpatterns: list = [
    path(
        "people/<int:pk>/manager-scorecard/",
        manager_scorecard,
        name="api-manager-scorecard",
    ),
]


def register(router: BaseRouter) -> None:
    """Add this part's viewsets to the coaching router (this part has none)."""
