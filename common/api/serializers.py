"""The shapes every endpoint shares, for the OpenAPI schema."""

from rest_framework import serializers


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="Dotted path, header or parameter at fault; null: none.")
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="The first error, to print.")
    errors = FieldErrorSerializer(many=True)


# The errors most endpoints can answer with, for their schema.
ERRORS = {code: ErrorSerializer for code in (400, 401, 403, 404)}
