"""The metric definitions over the API: readable by everyone in the organisation, written by admins."""

from __future__ import annotations

from django.db.models import ProtectedError
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response

from followthrough.api.permissions import IsOrgAdmin, IsPerson
from followthrough.api.strict import StrictModelSerializer
from followthrough.metrics.definitions import validate_definition
from followthrough.metrics.engine import describe
from followthrough.metrics.forms import DEFINITION_FIELDS, EDITABLE_FIELDS, key_taken
from followthrough.metrics.models import Metric


class MetricSerializer(StrictModelSerializer):
    numerator = serializers.SlugRelatedField(
        slug_field="key", queryset=Metric.objects.none(), required=False, allow_null=True
    )
    denominator = serializers.SlugRelatedField(
        slug_field="key", queryset=Metric.objects.none(), required=False, allow_null=True
    )
    definition = serializers.SerializerMethodField()

    class Meta:
        model = Metric
        fields = [*EDITABLE_FIELDS, "builtin", "definition"]
        read_only_fields = ["builtin"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = getattr(self.context.get("request"), "person", None)
        if person is not None:  # the OpenAPI schema is built without a caller
            for name in ("numerator", "denominator"):
                self.fields[name].queryset = Metric.objects.filter(organisation=person.organisation)

    @extend_schema_field(str)
    def get_definition(self, metric: Metric) -> str:
        return describe(metric)

    def validate(self, attrs):
        org = self.context["request"].person.organisation
        instance = self.instance
        if instance is not None and instance.builtin:
            locked = [
                n
                for n in ("key", *DEFINITION_FIELDS)
                if n in attrs and attrs[n] != getattr(instance, n)
            ]
            if locked:
                raise serializers.ValidationError(
                    {n: ["A built-in metric keeps its definition."] for n in locked}
                )
        key = attrs.get("key", instance.key if instance else None)
        if key and key_taken(org.pk, key, instance.pk if instance else None):
            raise serializers.ValidationError({"key": ["Another metric already has this key."]})
        data = {name: getattr(instance, name) for name in DEFINITION_FIELDS} if instance else {}
        data.update({k: v for k, v in attrs.items() if k in DEFINITION_FIELDS})
        errors = validate_definition(data, org.pk)
        if errors:
            raise serializers.ValidationError(errors)
        for name in ("source", "date_basis", "measure", "filters"):
            if name in data:
                attrs[name] = data[name]
        return attrs


class ReadForAllWriteForAdmins(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return IsPerson().has_permission(request, view)
        return IsOrgAdmin().has_permission(request, view)


class MetricViewSet(viewsets.ModelViewSet):
    """Metric definitions of the caller's organisation, by key."""

    serializer_class = MetricSerializer
    permission_classes = [ReadForAllWriteForAdmins]
    lookup_field = "key"
    queryset = Metric.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Metric.objects.none()
        return Metric.objects.filter(organisation=self.request.person.organisation).select_related(
            "numerator", "denominator"
        )

    def perform_create(self, serializer):
        serializer.save(organisation=self.request.person.organisation)

    def destroy(self, request, *args, **kwargs):
        metric = self.get_object()
        if metric.builtin:
            return Response(
                {"detail": "A built-in metric cannot be deleted."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            metric.delete()
        except ProtectedError:
            return Response(
                {"detail": "Other metrics divide this one; change them first."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)
