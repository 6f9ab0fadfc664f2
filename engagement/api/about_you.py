"""The survey's About you questions through the API: the same form and service as the About you editor."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from access.policy import Action
from common.api.forms import form_data, form_validated
from common.api.serializers import ERRORS, InputSerializer
from engagement.api.builder import survey_detail
from engagement.api.serializers import SurveyDetailSerializer
from engagement.builder import selectors
from engagement.builder.forms import EqualitySectionForm
from engagement.builder.services.about_you import equality_section_set
from surveys.api.scoped import SurveyScoped
from surveys.equality.library import QUESTIONS_BY_KEY


class AboutYouQuestion(serializers.Serializer):
    key = serializers.ChoiceField(choices=sorted(QUESTIONS_BY_KEY), help_text="A standard question's key.")
    why_we_ask = serializers.CharField(required=False, allow_blank=True, help_text="The library's text if left out.")
    how_we_use = serializers.CharField(required=False, allow_blank=True, help_text="The library's text if left out.")


class AboutYouInput(InputSerializer):
    questions = AboutYouQuestion(many=True, help_text="In the order asked; an empty list removes the section.")


class AboutYou(SurveyScoped):
    """Choose the survey's About you questions, their order and explanations (replacing the section)."""

    policy = {"put": Action.SURVEY_EDIT}

    @extend_schema(request=AboutYouInput, responses={200: SurveyDetailSerializer, **ERRORS})
    def put(self, request: Request, survey_id: str) -> ApiResponse:
        survey = self.get_survey()
        sent = AboutYouInput(data=request.data)
        sent.is_valid(raise_exception=True)
        values: dict[str, object] = {}
        for position, question in enumerate(sent.validated_data["questions"], start=1):
            standard = QUESTIONS_BY_KEY[question["key"]]
            values |= {
                f"include_{standard.key}": True,
                f"position_{standard.key}": position,
                f"why_{standard.key}": question.get("why_we_ask") or standard.why_we_ask,
                f"how_{standard.key}": question.get("how_we_use") or standard.how_we_use,
            }
        current = selectors.survey_equality_section_current(survey=survey)
        form = form_validated(EqualitySectionForm(form_data(values), current=current))
        keys, explanations = form.chosen()
        equality_section_set(survey=survey, keys=keys, explanations=explanations)
        return survey_detail(survey)
