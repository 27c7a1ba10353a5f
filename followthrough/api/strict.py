"""Serializers that refuse fields they do not know.

DRF drops unknown keys silently, so a typo ("amout": 500) or a field the API does not
take would be accepted and lost. Every serializer of the API derives from these: an
unknown key is a field-level 400 ("Unknown field."). Keys a serializer knows but only
reads out (an `id` sent back in a PUT) are still ignored, as DRF does.
"""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework import serializers

UNKNOWN = "Unknown field."


class StrictFields:
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: [UNKNOWN] for key in unknown})
        return super().to_internal_value(data)


class StrictSerializer(StrictFields, serializers.Serializer):
    pass


class StrictModelSerializer(StrictFields, serializers.ModelSerializer):
    pass


class StrictHyperlinkedModelSerializer(StrictFields, serializers.HyperlinkedModelSerializer):
    pass
