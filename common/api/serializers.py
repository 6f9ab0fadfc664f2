"""The shapes every endpoint shares, for the OpenAPI schema."""

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="Dotted path, header or parameter at fault; null: none.")
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="The first error, to print.")
    errors = FieldErrorSerializer(many=True)


# The errors most endpoints can answer with, for their schema.
ERRORS = {code: ErrorSerializer for code in (400, 401, 403, 404)}


class InputSerializer(serializers.Serializer):
    """A request body that refuses fields it does not know, naming each (a misspelt or read-only field
    would otherwise be ignored, and a change answered 200 with nothing changed)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = [name for name in data if name not in self.fields]
            if unknown:
                known = ", ".join(self.fields)
                raise serializers.ValidationError(
                    {name: [f"“{name}” cannot be sent here. You can send: {known}."] for name in unknown}
                )
        return super().to_internal_value(data)
