"""Validating API input with the web's own Django forms, so both say the same things.

The serializers describe the JSON (for the schema and for types); the form that the page uses checks
it, with the page's messages ("Enter the survey's title"), and its errors become the API's 400.
"""

import datetime as dt
from typing import Any, TypeVar

from django import forms
from rest_framework import serializers

F = TypeVar("F", bound=forms.Form)


def form_validated[F: forms.Form](form: F) -> F:
    """The form, valid; or a 400 naming each field at fault with the form's own messages."""
    if not form.is_valid():
        raise serializers.ValidationError(
            {
                ("non_field_errors" if name == "__all__" else name): list(messages)
                for name, messages in form.errors.items()
            }
        )
    return form


def date_parts(name: str, value: dt.date | None) -> dict[str, str]:
    """A date as the three boxes a DatePartsField reads (`name_0`, `name_1`, `name_2`: day, month, year)."""
    if value is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """JSON values as a form's POST data: booleans as "on"/absent, None as empty."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data
