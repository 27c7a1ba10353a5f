"""API: rubrics and role scorecard templates (see assessments/api_urls.py).

Everyone in the organisation reads the standards; managers, leaders and admins change
them, through the same plain functions as the pages (rubric_editing, versions.publish),
so a refusal names the same field with the same words. A template is never edited in
place: POST makes a template, PUT on its current version publishes the next version.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import (
    StrictHyperlinkedModelSerializer,
    StrictModelSerializer,
    StrictSerializer,
)
from followthrough.assessments import rights, rubric_editing, versions
from followthrough.assessments.models import Competency, Rubric, RubricSection, ScorecardTemplate
from followthrough.coaching.api.common import field_errors
from followthrough.lib.ids import parse_id
from followthrough.metrics.engine import get_metrics

urlpatterns: list = []


def _editor(request) -> None:
    if not rights.can_edit_standards(request.person):
        raise PermissionDenied("Your role may not adapt the standards.")


# --- Rubrics ------------------------------------------------------------------------


class LevelSerializer(StrictSerializer):
    key = serializers.CharField(max_length=40)
    label = serializers.CharField(max_length=200)


class CompetencySerializer(StrictModelSerializer):
    class Meta:
        model = Competency
        fields = ["id", "name", "position", "behaviours", "metric_key", "is_active"]
        read_only_fields = fields


class SectionSerializer(StrictModelSerializer):
    competencies = CompetencySerializer(many=True, read_only=True)

    class Meta:
        model = RubricSection
        fields = ["id", "name", "position", "competencies"]
        read_only_fields = fields


class RubricSerializer(StrictHyperlinkedModelSerializer):
    """A rubric with its sales steps, competencies and levels (stored texts: starter texts
    are English msgids, translated on the pages)."""

    url = serializers.HyperlinkedIdentityField(view_name="rubric-detail")
    levels = LevelSerializer(many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = Rubric
        fields = ["id", "url", "name", "description", "starter", "levels", "sections"]
        read_only_fields = fields


class RubricInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    levels = LevelSerializer(many=True, required=False)
    from_starter = serializers.BooleanField(
        required=False, default=False, help_text="On create: a copy of the starter rubric."
    )


class SectionInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)


class CompetencyInputSerializer(StrictSerializer):
    section = serializers.IntegerField()
    name = serializers.CharField(max_length=200)
    behaviours = serializers.DictField(child=serializers.CharField(allow_blank=True), default=dict)
    metric_key = serializers.CharField(required=False, allow_blank=True, default="")


class RubricViewSet(viewsets.ModelViewSet):
    """The organisation's rubrics; editors create and change them."""

    queryset = Rubric.objects.none()
    serializer_class = RubricSerializer
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return (
            Rubric.objects.filter(organisation_id=self.request.person.organisation_id)
            .prefetch_related("sections__competencies")
            .order_by("name", "pk")
        )

    def _saved(self, rubric, code=status.HTTP_200_OK) -> Response:
        rubric = self.get_queryset().get(pk=rubric.pk)
        return Response(RubricSerializer(rubric, context={"request": self.request}).data, code)

    @extend_schema(request=RubricInputSerializer, responses={201: RubricSerializer})
    def create(self, request, *args, **kwargs):
        _editor(request)
        incoming = RubricInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            with transaction.atomic():
                rubric = rubric_editing.create_rubric(
                    request.person.organisation,
                    name=data["name"],
                    description=data["description"],
                    from_starter=data["from_starter"],
                )
                if "levels" in data:
                    rubric_editing.set_levels(rubric, [dict(level) for level in data["levels"]])
        except ValidationError as error:
            raise field_errors(error) from None
        return self._saved(rubric, status.HTTP_201_CREATED)

    @extend_schema(request=RubricInputSerializer, responses={200: RubricSerializer})
    def update(self, request, *args, **kwargs):
        """Name, description and (optionally) levels; a level that ratings use is kept."""
        _editor(request)
        rubric = self.get_object()
        incoming = RubricInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            with transaction.atomic():
                rubric_editing.update_rubric(
                    rubric, name=data["name"], description=data["description"]
                )
                if "levels" in data:
                    rubric_editing.set_levels(rubric, [dict(level) for level in data["levels"]])
        except ValidationError as error:
            raise field_errors(error) from None
        return self._saved(rubric)

    @extend_schema(request=SectionInputSerializer, responses={201: RubricSerializer})
    @action(detail=True, methods=["post"])
    def sections(self, request, pk=None):
        """Add a sales step at the end."""
        _editor(request)
        rubric = self.get_object()
        incoming = SectionInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            rubric_editing.add_section(rubric, incoming.validated_data["name"])
        except ValidationError as error:
            raise field_errors(error) from None
        return self._saved(rubric, status.HTTP_201_CREATED)

    @extend_schema(request=CompetencyInputSerializer, responses={201: RubricSerializer})
    @action(detail=True, methods=["post"])
    def competencies(self, request, pk=None):
        """Add a competency to one of the rubric's sales steps, behaviours keyed by level."""
        _editor(request)
        rubric = self.get_object()
        incoming = CompetencyInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        section = RubricSection.objects.filter(rubric=rubric, pk=data["section"]).first()
        if section is None:
            raise serializers.ValidationError({"section": ["Choose a sales step of this rubric."]})
        try:
            rubric_editing.add_competency(
                section,
                name=data["name"],
                behaviours=data["behaviours"],
                metric_key=data["metric_key"],
                catalog=get_metrics(rubric.organisation),
            )
        except ValidationError as error:
            raise field_errors(error) from None
        return self._saved(rubric, status.HTTP_201_CREATED)


# --- Scorecard templates ------------------------------------------------------------


class KpiSerializer(StrictSerializer):
    metric = serializers.CharField()
    weight = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, required=False, allow_null=True
    )


class VersionSerializer(StrictModelSerializer):
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ScorecardTemplate
        fields = ["id", "version", "is_current", "created_by", "created_at"]
        read_only_fields = fields


class TemplateSerializer(StrictHyperlinkedModelSerializer):
    """One version of a role's template: KPIs, the frozen competencies and levels, and every
    version of the same template."""

    url = serializers.HyperlinkedIdentityField(view_name="scorecardtemplate-detail")
    rubric = serializers.PrimaryKeyRelatedField(read_only=True)
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    versions = serializers.SerializerMethodField()

    class Meta:
        model = ScorecardTemplate
        fields = [
            "id",
            "url",
            "family",
            "version",
            "is_current",
            "name",
            "job_title",
            "rubric",
            "kpis",
            "levels",
            "competencies",
            "created_by",
            "created_at",
            "versions",
        ]
        read_only_fields = fields

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, template: ScorecardTemplate) -> list[dict]:
        family = self.context.get("families", {}).get(template.family)
        if family is None:
            family = ScorecardTemplate.objects.filter(
                organisation_id=template.organisation_id, family=template.family
            ).order_by("version")
        return VersionSerializer(family, many=True).data


class TemplateInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    rubric = serializers.IntegerField()
    kpis = KpiSerializer(many=True, required=False, default=list)
    competency_weights = serializers.DictField(
        child=serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0),
        required=False,
        default=dict,
        help_text="Competency id -> weight.",
    )


def _weight(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


class TemplateViewSet(viewsets.ModelViewSet):
    """Role templates: the current versions by default (`all=1`: every version)."""

    queryset = ScorecardTemplate.objects.none()
    serializer_class = TemplateSerializer
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        rows = ScorecardTemplate.objects.filter(organisation_id=self.request.person.organisation_id)
        if self.action == "list" and self.request.query_params.get("all") != "1":
            rows = rows.filter(is_current=True)
        return rows.order_by("name", "family", "version")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "request", None) is not None and hasattr(self.request, "person"):
            families: dict[str, list] = {}
            everything = ScorecardTemplate.objects.filter(
                organisation_id=self.request.person.organisation_id
            ).order_by("version")
            for row in everything:
                families.setdefault(row.family, []).append(row)
            context["families"] = families
        return context

    @extend_schema(
        parameters=[OpenApiParameter("all", str, description="1: every version, not only current.")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _publish(self, request, current: ScorecardTemplate | None) -> ScorecardTemplate:
        _editor(request)
        incoming = TemplateInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        org = request.person.organisation
        rubric = Rubric.objects.filter(organisation=org, pk=data["rubric"]).first()
        errors = {}
        if rubric is None:
            errors["rubric"] = ["Choose a rubric of this organisation."]
        catalog = get_metrics(org)
        unknown = [k["metric"] for k in data["kpis"] if k["metric"] not in catalog]
        if unknown:
            errors["kpis"] = [f"Not metrics of the catalogue: {', '.join(unknown)}."]
        others = ScorecardTemplate.objects.filter(
            organisation=org, is_current=True, job_title=data["job_title"].strip()
        )
        if current is not None:
            others = others.exclude(family=current.family)
        if others.exists():
            errors["job_title"] = ["Another template already applies to this job title."]
        weights = {}
        for key, value in data["competency_weights"].items():
            cid = parse_id(str(key))
            if cid is None or (
                rubric is not None
                and not Competency.objects.filter(
                    section__rubric=rubric, pk=cid, is_active=True
                ).exists()
            ):
                errors["competency_weights"] = [f"Not a competency in use on the rubric: {key}."]
                break
            weights[cid] = _weight(value)
        if errors:
            raise serializers.ValidationError(errors)
        try:
            return versions.publish(
                rubric=rubric,
                name=data["name"].strip(),
                job_title=data["job_title"].strip(),
                kpis=[
                    {"metric": k["metric"], "weight": _weight(k.get("weight"))}
                    for k in data["kpis"]
                ],
                competency_weights=weights,
                family=current,
                by=request.person,
            )
        except ValidationError as error:
            raise field_errors(error) from None

    def _response(self, request, template, code) -> Response:
        return Response(
            TemplateSerializer(template, context=self.get_serializer_context()).data, code
        )

    @extend_schema(request=TemplateInputSerializer, responses={201: TemplateSerializer})
    def create(self, request, *args, **kwargs):
        return self._response(request, self._publish(request, None), status.HTTP_201_CREATED)

    @extend_schema(
        request=TemplateInputSerializer,
        responses={201: TemplateSerializer},
        description="Publishes the next version; refused (400) unless this is the current one.",
    )
    def update(self, request, *args, **kwargs):
        current = get_object_or_404(self.get_queryset(), pk=parse_id(kwargs.get("pk")) or 0)
        return self._response(request, self._publish(request, current), status.HTTP_201_CREATED)


def register(router: BaseRouter) -> None:
    router.register("rubrics", RubricViewSet, basename="rubric")
    router.register("scorecard-templates", TemplateViewSet, basename="scorecardtemplate")
