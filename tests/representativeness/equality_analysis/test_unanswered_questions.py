"""A closed question nobody has answered yet (one asked only of some, or added late) is not a comparison:
it does not fill the page with empty tables, name every group "can't tell yet" for its answers, or claim
its empty cells are "hidden to protect the people who answered"; the analysis says it is not compared."""

import pytest

from representativeness.disclosure import Audience
from representativeness.equality_analysis import equality_analysis_build
from surveys.models import Question, Survey
from tests.representativeness.equality_analysis.conftest import _question

UNANSWERED = "What stops you visiting?"


def _with_unanswered(survey: Survey) -> Survey:
    page = survey.pages.order_by("position").first()
    _question(page, UNANSWERED, Question.Type.MULTIPLE_CHOICE, ["Too far", "Not safe", "No toilets"])
    _question(page, "Rate the paths", Question.Type.SINGLE_CHOICE, ["Good", "Poor"])
    return survey


@pytest.mark.django_db
@pytest.mark.parametrize("audience", [Audience.EXACT, Audience.PROTECTED])
def test_a_question_nobody_answered_changes_nothing_but_a_note(analysed_survey, audience) -> None:
    before = equality_analysis_build(survey=analysed_survey, audience=audience)
    after = equality_analysis_build(survey=_with_unanswered(analysed_survey), audience=audience)

    assert [(o.question, o.row, o.answer) for o in after.outcomes] == [
        (o.question, o.row, o.answer) for o in before.outcomes
    ]
    # The disabled men (seven) are too few to tell for the questions answered, not for 3 more unanswered
    # ones, and none of their cells is "hidden" because nobody answered.
    assert after.too_few_to_tell == before.too_few_to_tell
    assert [f.text for f in after.findings] == [f.text for f in before.findings]
    assert after.without_findings == before.without_findings
    assert [n for n in after.notes if n not in before.notes] == [
        "Nobody who gave About you answers has answered “What stops you visiting?” or “Rate the paths” yet, so "
        "they are not compared."
    ]
