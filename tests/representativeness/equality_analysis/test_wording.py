"""The analysis's sentences name a characteristic as a sentence would: "main language and English"."""

import pytest

from surveys.equality.services import equality_section_add
from surveys.models import Answer, Question, Survey
from tests.factories import TeamFactory, respondent
from tests.representativeness.equality_analysis.conftest import _question
from tests.representativeness.equality_analysis.test_analysis import exact_json


@pytest.mark.django_db
def test_main_language_and_english_keeps_english_a_proper_noun() -> None:
    survey = Survey.objects.create(
        title="Library", slug="library", status=Survey.Status.DRAFT, team=TeamFactory(name="Parks"), minimum_age=16
    )
    question = _question(
        survey.pages.create(position=1, title="Views"), "Open on Sundays?", Question.Type.SINGLE_CHOICE, ["Yes", "No"]
    )
    equality_section_add(survey=survey, keys=["main_language", "english_proficiency"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    yes, no = question.choices.order_by("position")
    for i in range(12):
        response = respondent(
            survey,
            f"L{i:07d}",
            main_language="english" if i < 9 else "other",
            english_proficiency=None if i < 9 else "well",
        )
        Answer.objects.create(response=response, question=question, choice=yes if i % 2 else no)
    lines = exact_json("library")["too_few_to_tell"]
    assert (
        "Respondents whose main language is not English (main language and English): can't tell yet for 2 of 2 answers"
        in lines
    )
    assert not any("english)" in line for line in lines)
