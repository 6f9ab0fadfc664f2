"""Responses and their answers for staff whose role reads them; About you answers only with the
equality-data permission, asked for explicitly (`?equality=true`) and recorded in the audit log."""

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from access.policy import Action, require
from audit.models import AuditAction
from audit.services import audit_record
from common.api.errors import FieldError
from common.api.pagination import NewestFirst
from common.api.serializers import ERRORS
from engagement.responses.services import response_delete
from surveys.api.scoped import SurveyScoped, api_actor
from surveys.models import Answer, Channel, EqualityProfile, Response, Survey, equality_characteristic_fields


class AnswerSerializer(serializers.Serializer):
    question = serializers.CharField(source="question.key")
    type = serializers.CharField(source="question.type")
    grid_row = serializers.CharField(source="grid_row.value", allow_null=True, default=None)
    choice = serializers.CharField(source="choice.value", allow_null=True, default=None)
    choice_label = serializers.CharField(source="choice.label", allow_null=True, default=None)
    text = serializers.CharField(help_text='Free text, the "Other" text, or prefer_not_to_say.')
    number = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    date = serializers.DateField(allow_null=True)


class EqualityProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = EqualityProfile
        fields = [
            "section_skipped",
            "age",
            "age_status",
            *equality_characteristic_fields(),
            "write_ins",
            "library_version",
        ]


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()


class KeyedInSerializer(serializers.Serializer):
    """As the response page says it: "Paper form FX-2. Given at ... Collected by ... Keyed in by officer on ..."."""

    paper_reference = serializers.CharField(help_text="The number on the paper form; empty when not on paper.")
    event = EventSerializer(allow_null=True, help_text="The event where it was given, if any.")
    partner = serializers.CharField(help_text="The partner organisation that collected it; empty if none.")
    keyed_by = serializers.CharField(
        source="keyed_by.username", allow_null=True, default=None, help_text="Null once they no longer work here."
    )
    keyed_at = serializers.DateTimeField()


class ResponseSerializer(serializers.ModelSerializer):
    survey = serializers.UUIDField(source="survey_id")
    keyed_in = KeyedInSerializer(
        source="source", allow_null=True, default=None, help_text="How a keyed-in response arrived; null if online."
    )
    answers = AnswerSerializer(many=True)
    equality = serializers.SerializerMethodField()

    class Meta:
        model = Response
        fields = ["id", "reference", "survey", "channel", "submitted_at", "keyed_in", "answers", "equality"]

    @extend_schema_field(EqualityProfileSerializer(allow_null=True))
    def get_equality(self, response: Response) -> dict[str, Any] | None:
        """About you answers: only with ?equality=true and the equality-data permission; null otherwise."""
        if not self.context.get("equality"):
            return None
        profile = getattr(response, "equality_profile", None)
        return EqualityProfileSerializer(profile).data if profile is not None else None


class ResponseFilter(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    submitted_after = django_filters.IsoDateTimeFilter(
        field_name="submitted_at", lookup_expr="gte", label="Submitted at or after (ISO 8601)"
    )
    submitted_before = django_filters.IsoDateTimeFilter(
        field_name="submitted_at", lookup_expr="lt", label="Submitted before (ISO 8601)"
    )

    class Meta:
        model = Response
        fields = ["channel", "submitted_after", "submitted_before"]


EQUALITY_PARAMETER = OpenApiParameter(
    "equality",
    bool,
    description="Include About you answers (needs the equality-data permission; recorded in the audit log).",
)


def wants_equality(request: Request, survey: Survey) -> bool:
    """Whether About you answers were asked for; refused (403, the policy's reason) without the permission."""
    value = request.query_params.get("equality", "")
    if value.lower() not in ("", "true", "false", "1", "0"):
        raise FieldError("equality", "equality must be true or false")
    if value.lower() not in ("true", "1"):
        return False
    require(request.user, Action.EQUALITY_DATA_VIEW, survey)
    return True


def _with_answers(responses: QuerySet[Response], equality: bool) -> QuerySet[Response]:
    answers = Answer.objects.select_related("question", "choice", "grid_row").order_by(
        "question__page__position", "question__position", "grid_row__position", "choice__position"
    )
    responses = responses.select_related("survey", "source__event", "source__keyed_by")
    responses = responses.prefetch_related(Prefetch("answers", queryset=answers))
    return responses.select_related("equality_profile") if equality else responses


class SurveyResponseList(SurveyScoped, generics.ListAPIView):
    """A survey's responses, newest first, a page at a time (follow `next`); filter by channel and time."""

    policy = {"get": Action.RESPONSE_VIEW}
    serializer_class = ResponseSerializer
    pagination_class = NewestFirst
    filterset_class = ResponseFilter

    def get_queryset(self) -> QuerySet[Response]:
        if getattr(self, "swagger_fake_view", False):
            return Response.objects.none()
        survey = self.get_survey()
        self.equality = wants_equality(self.request, survey)
        return _with_answers(Response.objects.filter(survey=survey), self.equality)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "equality": getattr(self, "equality", False)}

    @extend_schema(parameters=[EQUALITY_PARAMETER], responses={200: ResponseSerializer(many=True), **ERRORS})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        reply = super().get(request, *args, **kwargs)
        if self.equality:
            audit_record(
                actor=api_actor(request),
                action=AuditAction.EQUALITY_ANSWERS_VIEWED,
                target=self.get_survey(),
                detail={"responses": len(reply.data["results"])},
            )
        return reply


class ResponseDetail(generics.GenericAPIView):
    """One response with its answers; delete it (and its About you answers) where your role allows."""

    policy = {"get": Action.RESPONSE_VIEW, "delete": Action.RESPONSE_DELETE}
    serializer_class = ResponseSerializer

    def get_response(self) -> Response:
        response = get_object_or_404(Response.objects.select_related("survey"), pk=self.kwargs["response_id"])
        self.check_object_permissions(self.request, response)
        return response

    @extend_schema(parameters=[EQUALITY_PARAMETER], responses={200: ResponseSerializer, **ERRORS})
    def get(self, request: Request, response_id: str) -> ApiResponse:
        response = self.get_response()
        equality = wants_equality(request, response.survey)
        response = _with_answers(Response.objects.filter(pk=response.pk), equality).get()
        if equality:
            audit_record(actor=api_actor(request), action=AuditAction.EQUALITY_ANSWERS_VIEWED, target=response)
        return ApiResponse(ResponseSerializer(response, context={"equality": equality}).data)

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, response_id: str) -> ApiResponse:
        response_delete(response=self.get_response(), actor=api_actor(request))
        return ApiResponse(status=status.HTTP_204_NO_CONTENT)
