"""A survey's structure as the API gives it: pages, questions, choices, grid rows and routing rules.

Read from `survey_structure_get` (the same structure the resident journey walks), so what a kiosk
shows is what the web shows: the same options (an "Other (please specify)" added where a question
allows it, the default agreement scale) and the same rules.
"""

from rest_framework import serializers

from surveys.models import Survey


class RuleSerializer(serializers.Serializer):
    question_key = serializers.CharField(help_text="The earlier question whose answer decides.")
    operator = serializers.CharField(help_text="equals, one_of, includes or age_at_least_or_unknown.")
    values = serializers.ListField(child=serializers.CharField())


class OptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What to send as the answer.")
    label = serializers.CharField()
    group = serializers.CharField(help_text="A heading the option sits under, or empty.")
    write_in = serializers.BooleanField(help_text='Offers a text box: send its text as "<key>__other".')
    is_other = serializers.BooleanField(help_text='"Other (please specify)": its text is required.')


class GridRowSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    key = serializers.CharField()
    text = serializers.CharField(source="question.text")
    hint = serializers.CharField(source="question.hint")
    type = serializers.CharField()
    required = serializers.BooleanField(source="question.required")
    max_length = serializers.IntegerField(source="question.max_length", allow_null=True)
    max_choices = serializers.IntegerField(source="question.max_choices", allow_null=True)
    min_value = serializers.DecimalField(source="question.min_value", max_digits=12, decimal_places=2, allow_null=True)
    max_value = serializers.DecimalField(source="question.max_value", max_digits=12, decimal_places=2, allow_null=True)
    allow_prefer_not_to_say = serializers.BooleanField(source="question.allow_prefer_not_to_say")
    dates_allowed = serializers.CharField(source="question.dates_allowed")
    equality_key = serializers.CharField(source="question.equality_key", help_text="Set on About you questions.")
    why_we_ask = serializers.CharField(source="question.why_we_ask")
    how_we_use = serializers.CharField(source="question.how_we_use")
    options = OptionSerializer(many=True)
    rows = GridRowSerializer(many=True)
    shown_when = RuleSerializer(source="rule", allow_null=True, help_text="Shown only when this holds; null: always.")


class PageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="page.pk")
    position = serializers.IntegerField(source="page.position")
    title = serializers.CharField(source="page.title")
    introduction = serializers.CharField(source="page.introduction")
    section = serializers.CharField(help_text="consultation, equality_intro (About you: introduction) or equality.")
    shown_when = RuleSerializer(source="rule", allow_null=True)
    questions = QuestionSerializer(many=True)


class SurveySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Survey
        fields = ["id", "slug", "title", "summary", "status", "opens_at", "closes_at"]


class SurveyStructureSerializer(serializers.Serializer):
    """A survey (a SurveyStructure) with everything a resident, or a kiosk, needs to answer it."""

    id = serializers.UUIDField(source="survey.pk")
    slug = serializers.CharField(source="survey.slug")
    title = serializers.CharField(source="survey.title")
    summary = serializers.CharField(source="survey.summary")
    introduction = serializers.CharField(source="survey.introduction")
    privacy_notice = serializers.CharField(source="survey.privacy_notice")
    status = serializers.CharField(source="survey.status")
    opens_at = serializers.DateTimeField(source="survey.opens_at", allow_null=True)
    closes_at = serializers.DateTimeField(source="survey.closes_at", allow_null=True)
    minimum_age = serializers.IntegerField(source="survey.minimum_age")
    pages = PageSerializer(many=True)
