from engagement.builder.forms.about_you import EqualitySectionForm
from engagement.builder.forms.structure import (
    ConditionAnswersForm,
    ConditionQuestionForm,
    OptionForm,
    PageForm,
    QuestionForm,
    QuestionTypeForm,
)
from engagement.builder.forms.surveys import SurveyDetailsForm

__all__ = [
    "ConditionAnswersForm",
    "ConditionQuestionForm",
    "EqualitySectionForm",
    "OptionForm",
    "PageForm",
    "QuestionForm",
    "QuestionTypeForm",
    "SurveyDetailsForm",
]
