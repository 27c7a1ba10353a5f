"""The motivation API: the same rights and checks as the pages, over JSON.

Writes go through the pages' forms, so a bad contest or quest gets the same
field errors; targets are in the stored unit (rates as fractions), as
everywhere in the API.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.lib.ids import parse_id
from followthrough.metrics import engine
from followthrough.motivation import rights
from followthrough.motivation.closing import (
    NotAllowed,
    close_contest,
    corrections,
    frozen,
    open_contest,
)
from followthrough.motivation.forms import ContestForm, QuestForm
from followthrough.motivation.models import Contest, Quest
from followthrough.motivation.quests import AlreadyDecided, decide, progress
from followthrough.motivation.showing import lines_for
from followthrough.motivation.standings import standings
from followthrough.people.lines import today_for

_API_NAMES = {"metric_key": "metric"}


class ContestSerializer(StrictModelSerializer):
    metric = serializers.CharField(source="metric_key")

    class Meta:
        model = Contest
        fields = [
            "id",
            "name",
            "metric",
            "start",
            "end",
            "format",
            "target",
            "top_n",
            "participation",
            "eligible_team",
            "eligible_roles",
            "min_tenure_days",
            "prizes",
            "rules",
            "status",
            "results_as_of",
        ]
        read_only_fields = fields


class ContestInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    metric = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    format = serializers.CharField()
    target = serializers.DecimalField(
        max_digits=16,
        decimal_places=4,
        required=False,
        allow_null=True,
        help_text="In the metric's stored unit: rates as fractions, 0.3 for 30 %.",
    )
    top_n = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    participation = serializers.CharField(required=False, default="individual")
    eligible_team = serializers.IntegerField(required=False, allow_null=True)
    eligible_roles = serializers.ListField(
        child=serializers.CharField(), required=False, default=["rep"]
    )
    min_tenure_days = serializers.IntegerField(required=False, default=0, min_value=0)
    prizes = serializers.CharField(required=False, allow_blank=True, default="")
    rules = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=["draft", "open"], required=False, default="open")


class ContestEntrySerializer(StrictSerializer):
    key = serializers.CharField()
    name = serializers.CharField()
    person = serializers.IntegerField(source="entry.person_id", allow_null=True)
    team = serializers.IntegerField(source="entry.team_id", allow_null=True)
    value = serializers.DecimalField(
        source="entry.value", max_digits=20, decimal_places=6, allow_null=True
    )
    baseline = serializers.DecimalField(
        source="entry.baseline", max_digits=20, decimal_places=6, allow_null=True
    )
    improvement = serializers.DecimalField(
        source="entry.improvement", max_digits=20, decimal_places=6, allow_null=True
    )
    crossed_on = serializers.DateField(source="entry.crossed_on", allow_null=True)
    rank = serializers.IntegerField(source="entry.rank", allow_null=True)
    wins = serializers.BooleanField(source="entry.wins")
    shared_deals = serializers.IntegerField(
        source="entry.shared",
        help_text="Deals behind the figure that count only a share (a pair's credit split).",
    )
    is_own = serializers.BooleanField()
    corrected_value = serializers.SerializerMethodField()

    def get_corrected_value(self, row: dict) -> str | None:
        """After the close: the figure the data gives now, where it differs from the frozen one."""
        correction = row["correction"]
        if correction is None or correction.now is None:
            return None
        return str(correction.now)


def _entry_fields(line) -> dict:
    entry = line.entry
    return {
        "key": entry.key,
        "name": entry.name,
        "entry": entry,
        "is_own": line.is_own,
        "correction": line.correction,
    }


class QuestSerializer(StrictModelSerializer):
    metric = serializers.CharField(source="metric_key")
    value = serializers.SerializerMethodField()

    class Meta:
        model = Quest
        fields = [
            "id",
            "person",
            "metric",
            "target",
            "start",
            "end",
            "note",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "value",
        ]
        read_only_fields = fields

    def get_value(self, quest) -> str | None:
        found = self.context.get("progress", {}).get(quest.pk)
        return None if found is None or found.value is None else str(found.value)


class QuestInputSerializer(StrictSerializer):
    metric = serializers.CharField()
    target = serializers.DecimalField(max_digits=16, decimal_places=4)
    start = serializers.DateField()
    end = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionSerializer(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _form_errors(form) -> serializers.ValidationError:
    return serializers.ValidationError({_API_NAMES.get(k, k): v for k, v in form.errors.items()})


class ContestViewSet(viewsets.GenericViewSet):
    """Contests the caller may see; managers, leaders and admins create and run them."""

    serializer_class = ContestSerializer
    queryset = Contest.objects.none()

    def _contest(self, pk) -> Contest:
        me = self.request.person
        contest = Contest.objects.filter(
            organisation_id=me.organisation_id, pk=parse_id(str(pk)) or 0
        ).first()
        if contest is None or not rights.can_view_contest(me, contest):
            raise Http404
        contest.organisation = me.organisation  # the same row: not read again
        return contest

    def _changeable(self, pk) -> Contest:
        contest = self._contest(pk)
        if not rights.can_change_contest(self.request.person, contest):
            raise PermissionDenied("You may not change this contest.")
        return contest

    def list(self, request):
        contests = rights.visible_contests(request.person)
        page = self.paginate_queryset(contests)
        return self.get_paginated_response(ContestSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ContestSerializer(self._contest(pk)).data)

    def _save(self, request, instance: Contest | None, partial: bool = False):
        incoming = ContestInputSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        if instance is not None and partial:
            current = {
                "name": instance.name,
                "metric": instance.metric_key,
                "start": instance.start,
                "end": instance.end,
                "format": instance.format,
                "target": instance.target,
                "top_n": instance.top_n,
                "participation": instance.participation,
                "eligible_team": instance.eligible_team_id,
                "eligible_roles": instance.eligible_roles,
                "min_tenure_days": instance.min_tenure_days,
                "prizes": instance.prizes,
                "rules": instance.rules,
                "status": instance.status,
            }
            data = {**current, **data}
        form_data = {
            "name": data.get("name", ""),
            "metric_key": data.get("metric", ""),
            "start": data.get("start"),
            "end": data.get("end"),
            "format": data.get("format", ""),
            "target": data.get("target") if data.get("target") is not None else "",
            "top_n": data.get("top_n") or "",
            "participation": data.get("participation", "individual"),
            "eligible_team": data.get("eligible_team") or "",
            "eligible_roles": data.get("eligible_roles") or [],
            "min_tenure_days": data.get("min_tenure_days", 0),
            "prizes": data.get("prizes", ""),
            "rules": data.get("rules", ""),
            "status": data.get("status", "open"),
        }
        form = ContestForm(form_data, instance=instance, viewer=request.person, typed_targets=False)
        if not form.is_valid():
            raise _form_errors(form)
        with transaction.atomic():
            contest = form.save()
        return ContestSerializer(contest).data

    @extend_schema(request=ContestInputSerializer, responses={201: ContestSerializer})
    def create(self, request):
        if not rights.can_run_contests(request.person):
            raise PermissionDenied("Your role may not run contests.")
        return Response(self._save(request, None), status=status.HTTP_201_CREATED)

    @extend_schema(request=ContestInputSerializer, responses={200: ContestSerializer})
    def partial_update(self, request, pk=None):
        contest = self._changeable(pk)
        if contest.is_closed:
            raise serializers.ValidationError(
                {"status": ["A closed contest keeps its rules and results."]}
            )
        return Response(self._save(request, contest, partial=True))

    @extend_schema(
        responses=inline_serializer(
            "ContestStandings",
            fields={
                "as_of": serializers.DateField(),
                "frozen": serializers.BooleanField(),
                "total": serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True),
                "goal_met": serializers.BooleanField(),
                "hidden": serializers.IntegerField(
                    help_text="Rows below the public places kept from the caller."
                ),
                "entries": ContestEntrySerializer(many=True),
            },
        )
    )
    @action(detail=True, methods=["get"])
    def standings(self, request, pk=None):
        contest = self._contest(pk)
        me = request.person
        final = frozen(contest) if contest.is_closed else None
        fixes = {}
        try:
            if final is not None:
                current, fixes = final, corrections(contest, final)
            else:
                current = standings(contest, today_for(me.organisation))
        except engine.UnknownMetric:
            raise serializers.ValidationError(
                {"metric": [f"The metric {contest.metric_key} no longer exists."]}
            ) from None
        lines, hidden = lines_for(current, me, fixes)
        return Response(
            {
                "as_of": current.as_of,
                "frozen": final is not None,
                "total": current.total,
                "goal_met": current.goal_met,
                "hidden": hidden,
                "entries": ContestEntrySerializer(
                    [_entry_fields(line) for line in lines], many=True
                ).data,
            }
        )

    @extend_schema(request=None, responses={200: ContestSerializer})
    @action(detail=True, methods=["post"], url_path="open")
    def open(self, request, pk=None):
        return self._status(pk, open_contest)

    @extend_schema(request=None, responses={200: ContestSerializer})
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request, pk=None):
        return self._status(pk, close_contest)

    def _status(self, pk, change):
        contest = self._changeable(pk)
        try:
            change(contest)
        except NotAllowed as error:
            raise serializers.ValidationError({"status": [str(error)]}) from None
        except engine.UnknownMetric:
            raise serializers.ValidationError(
                {"metric": [f"The metric {contest.metric_key} no longer exists."]}
            ) from None
        return Response(ContestSerializer(contest).data)


class QuestViewSet(viewsets.GenericViewSet):
    """Quests the caller may see; anyone proposes one for themself; their manager decides."""

    serializer_class = QuestSerializer
    queryset = Quest.objects.none()

    def get_queryset(self):
        me = self.request.person
        return (
            Quest.objects.filter(rights.visible_quests_filter(me))
            .select_related("person__organisation")
            .order_by("-start", "pk")
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        figures = progress(page)
        return self.get_paginated_response(
            QuestSerializer(page, many=True, context={"progress": figures}).data
        )

    @extend_schema(request=QuestInputSerializer, responses={201: QuestSerializer})
    def create(self, request):
        incoming = QuestInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        form = QuestForm(
            {
                "metric_key": data["metric"],
                "target": data["target"],
                "start": data["start"],
                "end": data["end"],
                "note": data["note"],
            },
            viewer=request.person,
            typed_targets=False,
        )
        if not form.is_valid():
            raise _form_errors(form)
        return Response(QuestSerializer(form.save()).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, pk, approve: bool):
        quest = Quest.objects.filter(
            rights.visible_quests_filter(request.person), pk=parse_id(str(pk)) or 0
        ).first()
        if quest is None:
            raise Http404
        if not rights.can_decide_quest(request.person, quest):
            raise PermissionDenied("You may not decide this quest.")
        incoming = DecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            decide(quest, request.person, approve=approve, note=incoming.validated_data["note"])
        except AlreadyDecided:
            raise serializers.ValidationError(
                {"status": ["This quest was decided already."]}
            ) from None
        return Response(QuestSerializer(quest).data)

    @extend_schema(request=DecisionSerializer, responses={200: QuestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, True)

    @extend_schema(request=DecisionSerializer, responses={200: QuestSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(request, pk, False)
