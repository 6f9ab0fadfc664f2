"""What the officer endpoints read and write. Inputs only describe the JSON: the web builder's forms
check it (common/api/forms.py), so the API and the pages refuse the same things in the same words."""

import datetime as dt

from rest_framework import serializers

from common.api.serializers import InputSerializer
from engagement.builder.forms.surveys import survey_details_initial
from engagement.builder.services.structure import BUILDER_TYPES
from surveys.api.structure import PageSerializer
from surveys.models import Survey


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SurveySerializer(serializers.ModelSerializer):
    team = TeamSerializer(allow_null=True, read_only=True)
    response_count = serializers.IntegerField(read_only=True)
    opens_on = serializers.SerializerMethodField(help_text="The day it opens (local time): what a change sends.")
    closes_on = serializers.SerializerMethodField(help_text="The last day it is open: what a change sends.")

    class Meta:
        model = Survey
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "introduction",
            "privacy_notice",
            "status",
            "opens_at",
            "closes_at",
            "opens_on",
            "closes_on",
            "team",
            "report_area_code",
            "minimum_age",
            "response_count",
            "created_at",
            "updated_at",
        ]

    def get_opens_on(self, survey: Survey) -> dt.date | None:
        return survey_details_initial(survey)["opens_on"]

    def get_closes_on(self, survey: Survey) -> dt.date | None:
        return survey_details_initial(survey)["closes_on"]


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    page_id = serializers.IntegerField(allow_null=True)
    question_id = serializers.IntegerField(allow_null=True)
    field = serializers.CharField()


class SurveyDetailSerializer(SurveySerializer):
    pages = PageSerializer(
        many=True, read_only=True, source="pages_spec", help_text="Every page, About you included, in order."
    )
    problems = ProblemSerializer(
        many=True, read_only=True, help_text="What would stop residents finishing it: publishing is refused while any."
    )

    class Meta(SurveySerializer.Meta):
        fields = [*SurveySerializer.Meta.fields, "pages", "problems"]


def _text(help_text: str = "") -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, help_text=help_text)


class SurveyDetailsInput(InputSerializer):
    """A survey's details. On create, title, slug and team are needed; on change, send only what changes."""

    title = _text()
    slug = _text("The end of its public address: lower-case letters, numbers and hyphens.")
    summary = _text()
    introduction = _text()
    privacy_notice = _text()
    opens_on = serializers.DateField(required=False, allow_null=True, help_text="Opens at the start of this day.")
    closes_on = serializers.DateField(required=False, allow_null=True, help_text="Closes at 11:59pm on this day.")
    team = serializers.IntegerField(required=False, help_text="The team's id; yours unless you work on every team.")
    report_area_code = _text("The area the report compares with (ONS code); empty: the council's own.")
    minimum_age = serializers.IntegerField(required=False)


class PageInput(InputSerializer):
    title = _text()
    introduction = _text()


class QuestionInput(InputSerializer):
    text = _text()
    hint = _text()
    type = serializers.ChoiceField(choices=[(t.value, t.label) for t in BUILDER_TYPES], required=False)
    required = serializers.BooleanField(required=False)
    key = _text("Names the question in exports; made from the question when left out.")
    max_length = serializers.IntegerField(required=False, allow_null=True)
    max_choices = serializers.IntegerField(required=False, allow_null=True)
    min_value = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    max_value = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    allow_other = serializers.BooleanField(required=False)
    allow_prefer_not_to_say = serializers.BooleanField(required=False)
    choices = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="New questions only: the choices' wording, in order."
    )
    rows = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="New grid questions only: the rows' wording."
    )
    confirm_reword = serializers.BooleanField(
        required=False, help_text="Needed to reword a question people have answered: the new wording asks the same."
    )


class OptionInput(InputSerializer):
    label = _text()
    confirm_reword = serializers.BooleanField(required=False)


class OptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    value = serializers.CharField()
    label = serializers.CharField()


class ConditionInput(InputSerializer):
    question = serializers.IntegerField(help_text="The id of an earlier question with choices.")
    values = serializers.ListField(child=serializers.CharField(), help_text="The answers that show it.")


class MoveInput(InputSerializer):
    direction = serializers.ChoiceField(choices=[("up", "up"), ("down", "down")])
