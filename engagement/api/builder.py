"""Officers' surveys through the API: list, read, create, change, publish, close, duplicate, delete,
and their pages, questions, choices, grid rows and routing conditions.

Each endpoint validates with the web builder's form and calls the web builder's service, so the API
refuses what the pages refuse, in the same words; the access policy decides who may (PolicyPermission).
"""

from typing import Any

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from access.policy import Action, require, team_id_of
from common.api.errors import FieldError
from common.api.forms import date_parts, form_data, form_validated
from common.api.pagination import ByCreation
from common.api.serializers import ERRORS
from engagement.api.serializers import (
    ConditionInput,
    MoveInput,
    OptionInput,
    PageInput,
    QuestionInput,
    SurveyDetailSerializer,
    SurveyDetailsInput,
    SurveySerializer,
)
from engagement.builder import selectors
from engagement.builder.forms import OptionForm, PageForm, QuestionForm, SurveyDetailsForm
from engagement.builder.forms.surveys import survey_details_initial
from engagement.builder.services import routing, structure
from engagement.builder.services.guard import answer_count
from engagement.builder.services.surveys import (
    survey_create,
    survey_delete_draft,
    survey_details_update,
    survey_duplicate,
)
from engagement.builder.views.common import option_of, page_of, question_of
from surveys.api.scoped import SurveyScoped, api_actor
from surveys.models import Page, Question, Survey
from surveys.readiness import survey_problems_list
from surveys.selectors import survey_structure_get
from surveys.services import survey_close, survey_publish


def survey_detail(survey: Survey, *, code: int = status.HTTP_200_OK) -> ApiResponse:
    """The survey as officers read it: details, every page and question, and what stops it going live."""
    survey.response_count = survey.responses.count()  # type: ignore[attr-defined]
    survey.pages_spec = survey_structure_get(survey=survey).pages  # type: ignore[attr-defined]
    survey.problems = survey_problems_list(survey=survey)  # type: ignore[attr-defined]
    return ApiResponse(SurveyDetailSerializer(survey).data, status=code)


class SurveyFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Survey.Status.choices)

    class Meta:
        model = Survey
        fields = ["status"]


def _details_form(request: Request, data: dict[str, Any], initial: dict[str, Any]) -> SurveyDetailsForm:
    values = {**initial, **data}
    values["team"] = values.get("team") or team_id_of(request.user)
    if values.get("minimum_age") is None:
        values["minimum_age"] = 16
    fields = form_data({k: v for k, v in values.items() if k not in ("opens_on", "closes_on")})
    fields |= date_parts("opens_on", values.get("opens_on")) | date_parts("closes_on", values.get("closes_on"))
    return form_validated(SurveyDetailsForm(fields, user=request.user))


class SurveyListCreate(generics.ListAPIView):
    """The surveys of the teams you work on (all teams for administrators), newest first; or create a draft."""

    policy = {"get": Action.SURVEY_VIEW, "post": Action.SURVEY_CREATE}
    serializer_class = SurveySerializer
    pagination_class = ByCreation
    filterset_class = SurveyFilter

    def get_queryset(self) -> Any:
        return selectors.survey_list_for(user=self.request.user)

    @extend_schema(request=SurveyDetailsInput, responses={201: SurveyDetailSerializer, **ERRORS})
    def post(self, request: Request) -> ApiResponse:
        sent = SurveyDetailsInput(data=request.data)
        sent.is_valid(raise_exception=True)
        details = _details_form(request, dict(sent.validated_data), {}).details()
        require(request.user, Action.SURVEY_CREATE, details.team)
        survey = survey_create(details=details, actor=api_actor(request))
        return survey_detail(survey, code=status.HTTP_201_CREATED)


class SurveyDetail(SurveyScoped):
    """One survey: read it, change its details (send only what changes), or delete it while a draft nobody answered."""

    policy = {"get": Action.SURVEY_VIEW, "patch": Action.SURVEY_EDIT, "delete": Action.SURVEY_DELETE}

    @extend_schema(responses={200: SurveyDetailSerializer, **ERRORS})
    def get(self, request: Request, survey_id: str) -> ApiResponse:
        return survey_detail(self.get_survey())

    @extend_schema(request=SurveyDetailsInput, responses={200: SurveyDetailSerializer, **ERRORS})
    def patch(self, request: Request, survey_id: str) -> ApiResponse:
        survey = self.get_survey()
        sent = SurveyDetailsInput(data=request.data, partial=True)
        sent.is_valid(raise_exception=True)
        details = _details_form(request, dict(sent.validated_data), survey_details_initial(survey)).details()
        require(request.user, Action.SURVEY_EDIT, details.team)
        survey_details_update(survey=survey, details=details, actor=api_actor(request))
        return survey_detail(survey)

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, survey_id: str) -> ApiResponse:
        survey_delete_draft(survey=self.get_survey(), actor=api_actor(request))
        return ApiResponse(status=status.HTTP_204_NO_CONTENT)


class SurveyPublish(SurveyScoped):
    """Open the survey to residents; refused, with every reason, while residents could not finish it."""

    policy = {"post": Action.SURVEY_EDIT}

    @extend_schema(request=None, responses={200: SurveyDetailSerializer, **ERRORS})
    def post(self, request: Request, survey_id: str) -> ApiResponse:
        return survey_detail(survey_publish(survey=self.get_survey(), actor=api_actor(request)))


class SurveyClose(SurveyScoped):
    """Stop accepting responses now."""

    policy = {"post": Action.SURVEY_EDIT}

    @extend_schema(request=None, responses={200: SurveyDetailSerializer, **ERRORS})
    def post(self, request: Request, survey_id: str) -> ApiResponse:
        return survey_detail(survey_close(survey=self.get_survey(), actor=api_actor(request)))


class SurveyDuplicate(SurveyScoped):
    """A draft copy with the same pages, questions and routing, and no responses."""

    policy = {"post": Action.SURVEY_EDIT}

    @extend_schema(request=None, responses={201: SurveyDetailSerializer, **ERRORS})
    def post(self, request: Request, survey_id: str) -> ApiResponse:
        copy = survey_duplicate(survey=self.get_survey(), actor=api_actor(request))
        return survey_detail(copy, code=status.HTTP_201_CREATED)


# Pages ------------------------------------------------------------------------------------------


class PageCreate(SurveyScoped):
    """Add a consultation page at the end (About you pages come from the About you editor)."""

    policy = {"post": Action.SURVEY_EDIT}

    @extend_schema(request=PageInput, responses={201: SurveyDetailSerializer, **ERRORS})
    def post(self, request: Request, survey_id: str) -> ApiResponse:
        survey = self.get_survey()
        sent = PageInput(data=request.data)
        sent.is_valid(raise_exception=True)
        form = form_validated(PageForm(form_data(dict(sent.validated_data))))
        structure.page_add(survey=survey, **form.cleaned_data)
        return survey_detail(survey, code=status.HTTP_201_CREATED)


def _page(survey: Survey, page_id: int) -> Page:
    return page_of(survey, page_id)


class PageDetail(SurveyScoped):
    """Change a page's title or introduction (send only what changes), or delete it."""

    policy = {"patch": Action.SURVEY_EDIT, "delete": Action.SURVEY_EDIT}

    @extend_schema(request=PageInput, responses={200: SurveyDetailSerializer, **ERRORS})
    def patch(self, request: Request, survey_id: str, page_id: int) -> ApiResponse:
        survey = self.get_survey()
        page = _page(survey, page_id)
        sent = PageInput(data=request.data, partial=True)
        sent.is_valid(raise_exception=True)
        values = {"title": page.title, "introduction": page.introduction, **sent.validated_data}
        form = form_validated(PageForm(form_data(values)))
        structure.page_update(page=page, **form.cleaned_data)
        return survey_detail(survey)

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, survey_id: str, page_id: int) -> ApiResponse:
        structure.page_delete(page=_page(self.get_survey(), page_id))
        return ApiResponse(status=status.HTTP_204_NO_CONTENT)


class PageMove(SurveyScoped):
    policy = {"post": Action.SURVEY_EDIT}

    @extend_schema(request=MoveInput, responses={200: SurveyDetailSerializer, **ERRORS})
    def post(self, request: Request, survey_id: str, page_id: int) -> ApiResponse:
        survey = self.get_survey()
        page = _page(survey, page_id)  # before the body: another survey's page is a 404 whatever is sent
        sent = MoveInput(data=request.data)
        sent.is_valid(raise_exception=True)
        structure.page_move(page=page, up=sent.validated_data["direction"] == "up")
        return survey_detail(survey)


def _condition(view: SurveyScoped, request: Request, item: Page | Question) -> ApiResponse:
    if request.method == "DELETE":
        routing.condition_clear(item=item)
    else:
        sent = ConditionInput(data=request.data)
        sent.is_valid(raise_exception=True)
        routing.condition_set(
            item=item, question_id=sent.validated_data["question"], values=sent.validated_data["values"]
        )
    return survey_detail(view.get_survey())


class PageCondition(SurveyScoped):
    """Show the page only when an earlier answer is one of `values` (PUT), or always (DELETE)."""

    policy = {"put": Action.SURVEY_EDIT, "delete": Action.SURVEY_EDIT}

    @extend_schema(request=ConditionInput, responses={200: SurveyDetailSerializer, **ERRORS})
    def put(self, request: Request, survey_id: str, page_id: int) -> ApiResponse:
        return _condition(self, request, _page(self.get_survey(), page_id))

    @extend_schema(responses={200: SurveyDetailSerializer, **ERRORS})
    def delete(self, request: Request, survey_id: str, page_id: int) -> ApiResponse:
        return _condition(self, request, _page(self.get_survey(), page_id))


# Questions --------------------------------------------------------------------------------------


def _question_values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    for name in ("choices", "rows"):
        if name in values:
            values[name] = "\n".join(values[name])
    return form_data(values)


class QuestionCreate(SurveyScoped):
    """Add a question at the end of a consultation page, with its choices (or grid rows)."""

    policy = {"post": Action.SURVEY_EDIT}

    @extend_schema(request=QuestionInput, responses={201: SurveyDetailSerializer, **ERRORS})
    def post(self, request: Request, survey_id: str, page_id: int) -> ApiResponse:
        survey = self.get_survey()
        page = _page(survey, page_id)
        sent = QuestionInput(data=request.data)
        sent.is_valid(raise_exception=True)
        question_type = sent.validated_data.get("type") or ""
        if not question_type:
            raise FieldError("type", "Select the kind of question")
        form = form_validated(
            QuestionForm(_question_values(sent.validated_data), question_type=question_type, new=True)
        )
        structure.question_add(
            page=page, details=form.details(), choices=form.lines("choices"), rows=form.lines("rows")
        )
        return survey_detail(survey, code=status.HTTP_201_CREATED)


QUESTION_FIELDS = (
    "text",
    "hint",
    "type",
    "required",
    "key",
    "max_length",
    "max_choices",
    "min_value",
    "max_value",
    "allow_other",
    "allow_prefer_not_to_say",
)


class QuestionDetail(SurveyScoped):
    """Change a question (send only what changes; rewording an answered one needs confirm_reword), or delete it."""

    policy = {"patch": Action.SURVEY_EDIT, "delete": Action.SURVEY_EDIT}

    @extend_schema(request=QuestionInput, responses={200: SurveyDetailSerializer, **ERRORS})
    def patch(self, request: Request, survey_id: str, question_id: int) -> ApiResponse:
        survey = self.get_survey()
        question = question_of(survey, question_id)
        sent = QuestionInput(data=request.data, partial=True)
        sent.is_valid(raise_exception=True)
        values = {name: getattr(question, name) for name in QUESTION_FIELDS} | dict(sent.validated_data)
        values.pop("choices", None), values.pop("rows", None)
        form = form_validated(
            QuestionForm(
                _question_values(values), question_type=values["type"], new=False, answered=answer_count(question)
            )
        )
        structure.question_update(
            question=question,
            details=form.details(),
            actor=api_actor(request),
            reword_confirmed=bool(form.cleaned_data.get("confirm_reword")),
        )
        return survey_detail(survey)

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, survey_id: str, question_id: int) -> ApiResponse:
        structure.question_delete(question=question_of(self.get_survey(), question_id))
        return ApiResponse(status=status.HTTP_204_NO_CONTENT)


class QuestionMove(SurveyScoped):
    policy = {"post": Action.SURVEY_EDIT}

    @extend_schema(request=MoveInput, responses={200: SurveyDetailSerializer, **ERRORS})
    def post(self, request: Request, survey_id: str, question_id: int) -> ApiResponse:
        survey = self.get_survey()
        question = question_of(survey, question_id)
        sent = MoveInput(data=request.data)
        sent.is_valid(raise_exception=True)
        structure.question_move(question=question, up=sent.validated_data["direction"] == "up")
        return survey_detail(survey)


class QuestionCondition(SurveyScoped):
    """Show the question only when an earlier answer is one of `values` (PUT), or always (DELETE)."""

    policy = {"put": Action.SURVEY_EDIT, "delete": Action.SURVEY_EDIT}

    @extend_schema(request=ConditionInput, responses={200: SurveyDetailSerializer, **ERRORS})
    def put(self, request: Request, survey_id: str, question_id: int) -> ApiResponse:
        return _condition(self, request, question_of(self.get_survey(), question_id))

    @extend_schema(responses={200: SurveyDetailSerializer, **ERRORS})
    def delete(self, request: Request, survey_id: str, question_id: int) -> ApiResponse:
        return _condition(self, request, question_of(self.get_survey(), question_id))


# Choices and grid rows (`kind`: choices or rows) ------------------------------------------------

KIND = {"choices": "choice", "rows": "row"}
KIND_PARAMETER = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=list(KIND), description="choices, or rows (of a grid)."
)


class OptionCreate(SurveyScoped):
    """Add a choice (or a grid row) at the end; always allowed, even after answers."""

    policy = {"post": Action.SURVEY_EDIT}

    @extend_schema(
        operation_id="surveys_options_create",
        parameters=[KIND_PARAMETER],
        request=OptionInput,
        responses={201: SurveyDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, survey_id: str, question_id: int, kind: str) -> ApiResponse:
        survey = self.get_survey()
        question = question_of(survey, question_id)
        sent = OptionInput(data=request.data)
        sent.is_valid(raise_exception=True)
        form = form_validated(OptionForm(form_data(dict(sent.validated_data))))
        structure.option_add(question=question, label=form.cleaned_data["label"], kind=KIND[kind])
        return survey_detail(survey, code=status.HTTP_201_CREATED)


class OptionDetail(SurveyScoped):
    """Reword a choice or grid row (confirm_reword once people chose it), or delete one nobody chose."""

    policy = {"patch": Action.SURVEY_EDIT, "delete": Action.SURVEY_EDIT}

    @extend_schema(
        operation_id="surveys_options_update",
        parameters=[KIND_PARAMETER],
        request=OptionInput,
        responses={200: SurveyDetailSerializer, **ERRORS},
    )
    def patch(self, request: Request, survey_id: str, question_id: int, kind: str, option_id: int) -> ApiResponse:
        survey = self.get_survey()
        option = option_of(question_of(survey, question_id), kind, option_id)
        sent = OptionInput(data=request.data)
        sent.is_valid(raise_exception=True)
        form = form_validated(OptionForm(form_data(dict(sent.validated_data)), answered=answer_count(option)))
        structure.option_update(
            option=option,
            label=form.cleaned_data["label"],
            actor=api_actor(request),
            reword_confirmed=bool(form.cleaned_data.get("confirm_reword")),
        )
        return survey_detail(survey)

    @extend_schema(operation_id="surveys_options_destroy", parameters=[KIND_PARAMETER], responses={204: None, **ERRORS})
    def delete(self, request: Request, survey_id: str, question_id: int, kind: str, option_id: int) -> ApiResponse:
        structure.option_delete(option=option_of(question_of(self.get_survey(), question_id), kind, option_id))
        return ApiResponse(status=status.HTTP_204_NO_CONTENT)


class OptionMove(SurveyScoped):
    policy = {"post": Action.SURVEY_EDIT}

    @extend_schema(
        operation_id="surveys_options_move",
        parameters=[KIND_PARAMETER],
        request=MoveInput,
        responses={200: SurveyDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, survey_id: str, question_id: int, kind: str, option_id: int) -> ApiResponse:
        survey = self.get_survey()
        option = option_of(question_of(survey, question_id), kind, option_id)
        sent = MoveInput(data=request.data)
        sent.is_valid(raise_exception=True)
        structure.option_move(option=option, up=sent.validated_data["direction"] == "up")
        return survey_detail(survey)
