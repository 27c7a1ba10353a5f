"""API: CRM hygiene and integrity signals (see diagnostics/api_urls.py).

GET /api/v1/diagnostics/hygiene/?team= : one item per rep in view (id = the person's id,
url = its detail), their open deals, score, counts per rule and the issues in the
request's language. A rep gets their own; without `team`, everyone the caller sees.
GET /api/v1/diagnostics/integrity/?team= : the same shape for the integrity signals, for
the rep's line and admins only: a rep gets 403, and nobody ever gets their own.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictSerializer
from followthrough.diagnostics import hygiene, integrity, rights
from followthrough.diagnostics import hygiene_report as report
from followthrough.diagnostics.scope import sellers
from followthrough.lib.ids import parse_id
from followthrough.people.lines import today_for
from followthrough.people.models import Person

urlpatterns: list = []

PERSON_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The rep's id.")
TEAM = OpenApiParameter("team", int, description="A team's id: its reps and its sub-teams'.")


class IssueSerializer(StrictSerializer):
    deal = serializers.IntegerField()
    deal_name = serializers.CharField()
    rule = serializers.ChoiceField(choices=[r.value for r in hygiene.Rule])
    text = serializers.CharField(help_text="The issue in words, in the request's language.")


class HygieneSerializer(StrictSerializer):
    id = serializers.IntegerField(help_text="The person's id.")
    url = serializers.URLField()
    name = serializers.CharField()
    day = serializers.DateField()
    open_deals = serializers.IntegerField()
    clean_deals = serializers.IntegerField()
    score = serializers.IntegerField(help_text="Per cent of open deals with no issue.")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Rule -> deals.")
    issues = IssueSerializer(many=True)


class RecordSerializer(StrictSerializer):
    model = serializers.CharField(
        help_text="deal_change, stage_change, activity, review or meeting."
    )
    id = serializers.IntegerField()
    at = serializers.CharField(allow_null=True)
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class SignalSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=[k.value for k in integrity.Kind])
    day = serializers.DateField()
    deal = serializers.IntegerField(allow_null=True)
    deal_name = serializers.CharField(allow_blank=True)
    text = serializers.CharField(help_text="The prompt in words, in the request's language.")
    records = RecordSerializer(many=True)


class IntegritySerializer(StrictSerializer):
    id = serializers.IntegerField(help_text="The person's id.")
    url = serializers.URLField()
    name = serializers.CharField()
    deals = serializers.IntegerField(help_text="Deals with history in the window.")
    flagged = serializers.ListField(child=serializers.CharField(), help_text="Kinds that flag.")
    counts = serializers.DictField(child=serializers.IntegerField())
    signals = SignalSerializer(many=True)


def _team(request):
    try:
        return report.choose_team(request.person, request.query_params)
    except report.TeamError as refused:
        raise serializers.ValidationError({"team": [str(refused)]}) from None


def _person(request, pk) -> Person:
    me = request.person
    found = Person.objects.filter(organisation=me.organisation, pk=parse_id(str(pk)) or 0).first()
    if found is None or not rights.can_see_person(me, found):
        raise Http404
    return found


class HygieneViewSet(viewsets.ViewSet):
    def _item(self, person, rep) -> dict:
        return {
            "id": person.pk,
            "url": reverse("diagnostics-hygiene-detail", [person.pk], request=self.request),
            "name": person.name,
            "day": rep.day,
            "open_deals": rep.open_deals,
            "clean_deals": rep.clean_deals,
            "score": rep.score,
            "counts": {str(k): v for k, v in rep.counts().items()},
            "issues": [
                {
                    "deal": issue.deal_id,
                    "deal_name": issue.deal_name,
                    "rule": issue.rule.value,
                    "text": report.in_words(issue.said),
                }
                for issue in rep.issues
            ],
        }

    @extend_schema(parameters=[TEAM], responses={200: HygieneSerializer(many=True)})
    def list(self, request):
        me = request.person
        today = today_for(me.organisation)
        people = sellers(me, today, _team(request))
        found = hygiene.review(me.organisation, [p.pk for p in people], today)
        return Response([self._item(p, found[p.pk]) for p in people])

    @extend_schema(parameters=[PERSON_ID], responses={200: HygieneSerializer})
    def retrieve(self, request, pk=None):
        person = _person(request, pk)
        today = today_for(person.organisation)
        found = hygiene.review(person.organisation, [person.pk], today)
        return Response(self._item(person, found[person.pk]))


class IntegrityViewSet(viewsets.ViewSet):
    def check_permissions(self, request):
        super().check_permissions(request)
        if not rights.sees_integrity(request.person):
            raise PermissionDenied("Integrity signals are for the rep's managers and admins.")

    def _item(self, person, rep) -> dict:
        return {
            "id": person.pk,
            "url": reverse("diagnostics-integrity-detail", [person.pk], request=self.request),
            "name": person.name,
            "deals": rep.deals,
            "flagged": [k.value for k in rep.flagged],
            "counts": {str(k): v for k, v in rep.counts().items()},
            "signals": [
                {
                    **{k: v for k, v in row.items() if k != "label"},
                    "records": [
                        {**r, "at": r["at"].isoformat() if r["at"] else None}
                        for r in row["records"]
                    ],
                }
                for row in report.signal_rows(rep)
            ],
        }

    @extend_schema(parameters=[TEAM], responses={200: IntegritySerializer(many=True)})
    def list(self, request):
        me = request.person
        today = today_for(me.organisation)
        people = report.integrity_people(me, today, _team(request))
        found = integrity.review(me.organisation, [p.pk for p in people], today)
        return Response([self._item(p, found[p.pk]) for p in people])

    @extend_schema(parameters=[PERSON_ID], responses={200: IntegritySerializer})
    def retrieve(self, request, pk=None):
        person = _person(request, pk)
        if not rights.can_see_integrity(request.person, person):
            raise Http404
        today = today_for(person.organisation)
        found = integrity.review(person.organisation, [person.pk], today)
        return Response(self._item(person, found[person.pk]))


def register(router: BaseRouter) -> None:
    router.register("diagnostics/hygiene", HygieneViewSet, basename="diagnostics-hygiene")
    router.register("diagnostics/integrity", IntegrityViewSet, basename="diagnostics-integrity")
