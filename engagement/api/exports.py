"""A survey's responses as a file, for officers and analysts (the roles that download): CSV streamed as it is
read, XLSX and SPSS written to a temporary file first. About you columns need the equality-data permission;
every export is recorded in the audit log."""

import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from access.policy import Action
from audit.models import AuditAction
from audit.services import audit_record
from common.api.errors import FieldError
from common.api.serializers import ERRORS
from common.tabular_export import XLSX_CONTENT_TYPE
from engagement.api.responses import EQUALITY_PARAMETER, wants_equality
from surveys.api.scoped import SurveyScoped, api_actor
from surveys.exports import (
    CONTENT_TYPES,
    DICTIONARY_HEADER,
    ExportFormat,
    SavValueError,
    csv_chunks,
    dictionary_rows,
    export_columns,
    export_rows,
    responses_export,
)


class ResponseExport(SurveyScoped):
    """Every response in one file: a row per response, a column per answer (see the data dictionary)."""

    policy = {"get": Action.DOWNLOAD}

    @extend_schema(
        parameters=[
            OpenApiParameter("file_format", str, enum=ExportFormat.values, description="csv (default), xlsx or sav."),
            EQUALITY_PARAMETER,
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="UTF-8 with a byte order mark."),
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="With the data dictionary."),
            (200, "application/x-spss-sav"): OpenApiResponse(OpenApiTypes.BINARY, description="With labels."),
            **ERRORS,
        },
    )
    def get(self, request: Request, survey_id: str) -> Any:
        survey = self.get_survey()
        file_format = request.query_params.get("file_format", ExportFormat.CSV)
        if file_format not in ExportFormat.values:
            raise FieldError("file_format", "Choose csv, xlsx or sav.")
        equality = wants_equality(request, survey)
        name = f"{survey.slug}-responses.{file_format}"
        audit_record(
            actor=api_actor(request),
            action=AuditAction.DOWNLOADED,
            target=survey,
            detail={"file": name, "format": file_format, "about_you": equality},
        )
        if file_format == ExportFormat.CSV:
            columns = export_columns(survey=survey, with_equality=equality)
            reply: Any = StreamingHttpResponse(
                csv_chunks(columns, export_rows(survey=survey, columns=columns)),
                content_type=CONTENT_TYPES[file_format],
            )
        else:
            written = tempfile.TemporaryFile()  # noqa: SIM115  closed once sent (_sent)
            try:
                responses_export(survey=survey, file_format=file_format, output=written, with_equality=equality)
            except SavValueError as error:
                written.close()
                raise FieldError("file_format", f"Could not write the SPSS file: {error}.") from error
            written.seek(0)
            reply = StreamingHttpResponse(_sent(written), content_type=CONTENT_TYPES[file_format])
        reply["Content-Disposition"] = f'attachment; filename="{name}"'
        return reply


def _sent(file: IO[bytes]) -> Iterator[bytes]:
    """A written file, a block at a time, closed (and so deleted) as soon as the last block is sent."""
    with file:
        while block := file.read(1 << 16):
            yield block


class DictionaryEntry(serializers.Serializer):
    column = serializers.CharField()
    spss_name = serializers.CharField()
    question = serializers.CharField()
    label = serializers.CharField()
    question_type = serializers.CharField()
    column_type = serializers.CharField()
    answer_codes = serializers.CharField()


class ExportDictionary(SurveyScoped):
    """What each column of the survey's export holds, and what its answer codes mean."""

    policy = {"get": Action.DOWNLOAD}

    @extend_schema(parameters=[EQUALITY_PARAMETER], responses={200: DictionaryEntry(many=True), **ERRORS})
    def get(self, request: Request, survey_id: str) -> ApiResponse:
        survey = self.get_survey()
        columns = export_columns(survey=survey, with_equality=wants_equality(request, survey))
        return ApiResponse([dict(zip(DICTIONARY_HEADER, row, strict=True)) for row in dictionary_rows(columns)])
