"""The API's exception handler: services' refusals and Django's errors as JSON naming the field at fault.

It sits in config, above the apps, because it knows every app's refusals; the JSON shape itself is
common/api/errors.py.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.api.errors import FieldError, error_body
from engagement.builder.services.guard import BuilderRefusal
from representativeness.disclosure.protection import GENERIC_ERROR
from representativeness.errors import ReportError
from surveys.equality.services import EqualitySectionError
from surveys.services import SurveyClosedError, SurveyPublishError, SurveyStatusError


def _translate(exc: Exception) -> Exception:
    """Services' refusals (and Django's own errors) as DRF exceptions with the field they are about."""
    if isinstance(exc, BuilderRefusal):
        return FieldError(exc.field, exc.message)
    if isinstance(exc, SurveyPublishError):
        return exceptions.ValidationError({"non_field_errors": [p.message for p in exc.problems]})
    if isinstance(exc, SurveyStatusError):  # a 400, as the builder's other refusals (deleting a published survey)
        return FieldError(None, str(exc))
    if isinstance(exc, SurveyClosedError):
        return FieldError(None, "This survey is no longer accepting responses.", status_code=status.HTTP_409_CONFLICT)
    if isinstance(exc, ReportError):
        # Only messages written to name no category or count are shown (disclosure.Protection.error_text).
        return FieldError(None, str(exc) if getattr(exc, "public", False) else GENERIC_ERROR)
    if isinstance(exc, EqualitySectionError):
        return FieldError(None, str(exc))
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound("There is nothing at this address, or it has been deleted.")
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real fault: Django's 500 handling (and its logging) takes over
    response.data = error_body(response.data)
    return response
