"""The public part of the API: open consultations, their structure, and submitting a response."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from common.api.errors import FieldError
from common.api.permissions import PUBLIC
from common.api.serializers import ErrorSerializer, InputSerializer
from common.api.throttles import AnonymousSubmissions
from surveys.api.structure import SurveyStructureSerializer, SurveySummarySerializer
from surveys.api.submission import (
    IDEMPOTENCY_KEY_MAX_LENGTH,
    AnswersInvalid,
    IdempotencyKeyReused,
    api_response_submit,
    api_submission_refuse_if_closed,
)
from surveys.models import Channel
from surveys.selectors import survey_list_open, survey_public_get, survey_structure_get


class OpenSurveyList(generics.ListAPIView):
    """Consultations open now, as the home page lists them."""

    policy = {"get": PUBLIC}
    serializer_class = SurveySummarySerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return survey_list_open()


class OpenSurveyDetail(APIView):
    """An open consultation with its pages, questions, choices and routing rules."""

    policy = {"get": PUBLIC}

    @extend_schema(responses={200: SurveyStructureSerializer, 404: ErrorSerializer})
    def get(self, request: Request, slug: str) -> ApiResponse:
        survey = survey_list_open().filter(slug=slug).first()
        if survey is None:
            raise Http404
        return ApiResponse(SurveyStructureSerializer(survey_structure_get(survey=survey)).data)


class SubmissionSerializer(InputSerializer):
    answers = serializers.DictField(
        child=serializers.JSONField(), help_text="Answers by question key (see the survey's structure)."
    )
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.ONLINE)
    equality_skipped = serializers.BooleanField(
        default=False, help_text='The resident chose to skip the "About you" questions.'
    )


class SubmittedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField(help_text="What the resident can quote.")
    survey = serializers.CharField(source="survey.slug")
    channel = serializers.CharField()
    submitted_at = serializers.DateTimeField()


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="A value unique to this submission (a UUID). Sending it again returns the first response "
    "(200) and stores nothing more; the same key with different answers is refused (422).",
)


class SubmitResponse(APIView):
    """Submit one resident's answers (kiosks, partners' paper-form entry)."""

    policy = {"post": PUBLIC}
    throttle_classes = [AnonymousSubmissions]

    @extend_schema(
        request=SubmissionSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: SubmittedSerializer,
            200: OpenApiResponse(SubmittedSerializer, description="A retry: the response first stored."),
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            422: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    def post(self, request: Request, slug: str) -> ApiResponse:
        survey = survey_public_get(slug=slug)
        if survey is None:
            raise Http404
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            raise FieldError("Idempotency-Key", "Send an Idempotency-Key header: a value unique to this submission.")
        if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH or not key.isprintable() or not key.isascii():
            raise FieldError(
                "Idempotency-Key",
                f"The Idempotency-Key must be printable ASCII of {IDEMPOTENCY_KEY_MAX_LENGTH} characters or fewer.",
            )
        sender = f"user:{request.user.pk}" if request.user.is_authenticated else "anonymous"
        api_submission_refuse_if_closed(survey=survey, idempotency_key=key, sender=sender)
        body = SubmissionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            submitted = api_response_submit(
                survey=survey,
                idempotency_key=key,
                sender=sender,
                body=request.data,
                answers=body.validated_data["answers"],
                channel=body.validated_data["channel"],
                equality_skipped=body.validated_data["equality_skipped"],
            )
        except AnswersInvalid as invalid:
            raise serializers.ValidationError(invalid.errors) from None
        except IdempotencyKeyReused:
            raise FieldError(
                "Idempotency-Key",
                "This Idempotency-Key was already used for a different submission. Use a new key for new answers.",
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
            ) from None
        code = status.HTTP_201_CREATED if submitted.created else status.HTTP_200_OK
        reply = ApiResponse(SubmittedSerializer(submitted.response).data, status=code)
        if not submitted.created:
            reply["Idempotent-Replayed"] = "true"
        return reply
