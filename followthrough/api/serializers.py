from __future__ import annotations

from rest_framework import serializers

from followthrough.people.models import Person, ReportingLine, Team


class ReportingLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingLine
        fields = ["manager", "team", "valid_from", "valid_to"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name", "email", "title", "role", "role_since", "external_id", "is_active"]


class PersonDetailSerializer(PersonSerializer):
    reporting_lines = ReportingLineSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "reporting_lines"]


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "kind", "parent", "external_id"]
