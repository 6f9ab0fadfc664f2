"""The people who did not answer a question are a group of their own: its groups' counts ("answered") must
not give them away.

An officer without the equality-data permission reads each response's consultation answers one by one
(the responses page), so knows exactly who skipped an optional question. The analysis shows, for every
question, how many of each group answered it; the report, or a question everyone answered, shows how many
are in each group. The difference is the group of the people who skipped: with one of them, their
religion (newcomer's trial of issue 10: 21 respondents with no religion answered "Do you like the
plan?", 20 answered the optional "Would you use it?", and the one response without an answer to it
was theirs).
"""

import itertools

import pytest

from representativeness.disclosure import Audience
from representativeness.equality_analysis import equality_analysis_build
from representativeness.equality_analysis.serialize import analysis_as_dict
from representativeness.reports.builder import report_build
from surveys.equality.services import equality_section_add
from surveys.models import Answer, Question, Survey
from tests.factories import TeamFactory, respondent
from tests.representativeness.equality_analysis.conftest import _question

LIKE, USE = "Do you like the plan?", "Would you use it?"


def _survey(skipped_use: dict[str, int]) -> Survey:
    """Twenty respondents with no religion and twenty Christians (ten "Yes", ten "No" to both questions),
    and, per religion, `skipped_use` more who answered "Yes" to the first and skipped the optional second."""
    survey = Survey.objects.create(title="Plan", slug="plan", status=Survey.Status.DRAFT, team=TeamFactory())
    page = survey.pages.create(position=1, title="Your views")
    like = _question(page, LIKE, Question.Type.SINGLE_CHOICE, ["Yes", "No"])
    use = _question(page, USE, Question.Type.SINGLE_CHOICE, ["Yes", "No"])
    equality_section_add(survey=survey, keys=["religion"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    like_yes, like_no = like.choices.order_by("position")
    use_yes, use_no = use.choices.order_by("position")
    counter = itertools.count()
    for religion in ("no_religion", "christian"):
        people = [(like_yes, use_yes)] * 10 + [(like_no, use_no)] * 10 + [(like_yes, None)] * skipped_use[religion]
        for first, second in people:
            i = next(counter)
            response = respondent(survey, f"P{i:07d}", religion=religion)
            Answer.objects.create(response=response, question=like, choice=first)
            if second is not None:
                Answer.objects.create(response=response, question=use, choice=second)
    return survey


def _answered(data: dict) -> dict[tuple[str, str], int | None]:
    """{(question, group): how many of the group answered it, None where hidden}, from every answer's row."""
    answered: dict[tuple[str, str], int | None] = {}
    for outcome in data["questions"]:
        for characteristic in outcome["characteristics"]:
            if characteristic["key"] != "religion":
                continue
            for group in characteristic["groups"]:
                key = (outcome["question"], group["group"])
                if answered.get(key) is None:
                    answered[key] = group["respondents"]
    return answered


@pytest.mark.django_db
def test_who_skipped_a_question_cannot_be_told_from_the_groups_that_answered_it():
    survey = _survey({"no_religion": 1, "christian": 0})
    answered = _answered(analysis_as_dict(equality_analysis_build(survey=survey, audience=Audience.PROTECTED)))
    for group in ("No religion", "Christian"):
        first, second = answered[(LIKE, group)], answered[(USE, group)]
        # Both shown would say how many of the group skipped the second question: 1 for no religion.
        assert first is None or second is None, (group, first, second)
    # The exact audience still sees every group's figures.
    exact = _answered(analysis_as_dict(equality_analysis_build(survey=survey, audience=Audience.EXACT)))
    assert exact[(LIKE, "No religion")] == 21 and exact[(USE, "No religion")] == 20


@pytest.mark.django_db
def test_a_question_many_skipped_keeps_its_figures():
    """Ten or more who skipped, in each group: nothing small to protect, so nothing more is hidden."""
    survey = _survey({"no_religion": 10, "christian": 10})
    answered = _answered(analysis_as_dict(equality_analysis_build(survey=survey, audience=Audience.PROTECTED)))
    assert answered[(LIKE, "No religion")] == 30 and answered[(USE, "No religion")] == 20
    assert answered[(LIKE, "Christian")] == 30 and answered[(USE, "Christian")] == 20


@pytest.mark.django_db
def test_the_reports_counts_less_those_who_answered_give_no_skipped_respondent_away(area):
    """With the census loaded the report shows each group's count. For every group whose count the report
    shows and whose "answered" the analysis shows, the difference (how many of the group skipped the
    optional question) is none or at least the threshold."""
    survey = _survey({"no_religion": 0, "christian": 1})
    report = report_build(survey=survey, area_code=area, audience=Audience.PROTECTED)
    religion = next(t for t in report.characteristics if t.key == "religion")
    whole = {row["category"]: row["respondents"] for row in religion.categories}
    assert whole["Christian"] == 21  # the report shows it
    answered = _answered(analysis_as_dict(equality_analysis_build(survey=survey, audience=Audience.PROTECTED)))
    checked = 0
    for (question, group), count in answered.items():
        if count is None or whole.get(group) is None:
            continue
        assert whole[group] - count == 0 or whole[group] - count >= 10, (question, group, whole[group], count)
        checked += 1
    assert checked > 0  # the first question, which everyone answered, is still shown


VISIT, WHY = "Do you visit parks?", "Why not?"


@pytest.mark.django_db
def test_a_question_asked_only_after_one_answer_does_not_give_that_answers_hidden_counts_away():
    """ "Why not?" is asked only of those who do not visit, so each group's "answered" to it is the group's
    count of "No" to the question before. Three Christians visit: the first question hides the Christians'
    figures; "Why not?"'s 20 Christians beside the 23 who answered the first would give the three back."""
    survey = Survey.objects.create(title="Visits", slug="visits", status=Survey.Status.DRAFT, team=TeamFactory())
    first = survey.pages.create(position=1, title="Your visits")
    visit = _question(first, VISIT, Question.Type.SINGLE_CHOICE, ["Yes", "No"])
    second = survey.pages.create(
        position=2, title="Why not", condition_question=visit, condition_operator="equals", condition_values=["no"]
    )
    why = _question(second, WHY, Question.Type.SINGLE_CHOICE, ["Too far", "No time"])
    equality_section_add(survey=survey, keys=["religion"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    yes, no = visit.choices.order_by("position")
    too_far = why.choices.order_by("position").first()
    counter = itertools.count()
    for religion, visitors, others in (("christian", 3, 20), ("no_religion", 15, 15)):
        for visits in [True] * visitors + [False] * others:
            i = next(counter)
            response = respondent(survey, f"V{i:07d}", religion=religion)
            Answer.objects.create(response=response, question=visit, choice=yes if visits else no)
            if not visits:
                Answer.objects.create(response=response, question=why, choice=too_far)
    answered = _answered(analysis_as_dict(equality_analysis_build(survey=survey, audience=Audience.PROTECTED)))
    exact = _answered(analysis_as_dict(equality_analysis_build(survey=survey, audience=Audience.EXACT)))
    assert exact[(VISIT, "Christian")] == 23 and exact[(WHY, "Christian")] == 20
    # The 23 Christians are known: the report shows them, as does the first question's total less the 30
    # with no religion it shows. Their "answered" to "Why not?" is the count of "No" to the first.
    second_count = answered[(WHY, "Christian")]
    assert second_count is None or not 0 < 23 - second_count < 10, second_count


@pytest.mark.django_db
def test_a_question_nobody_answered_hides_no_group_and_is_named_in_a_note():
    """Nobody answered "Anything else?": it is no comparison, so no group is hidden or "can't tell yet" for
    it (three Muslims are hidden in the report's own table); it is left out and a note names it."""
    survey = _survey({"no_religion": 0, "christian": 0})
    page = survey.pages.get(title="Your views")
    _question(page, "Anything else?", Question.Type.SINGLE_CHOICE, ["Yes", "No"])
    like_yes = page.questions.get(text=LIKE).choices.order_by("position").first()
    for i in range(3):
        response = respondent(survey, f"M{i:07d}", religion="muslim")
        Answer.objects.create(response=response, question=like_yes.question, choice=like_yes)
    data = analysis_as_dict(equality_analysis_build(survey=survey, audience=Audience.PROTECTED))
    assert not [key for key in _answered(data) if key[0] == "Anything else?"]
    assert [note for note in data["notes"] if "Anything else?" in note] == [
        "Nobody who gave About you answers has answered \u201cAnything else?\u201d yet, so it is not compared."
    ]
