"""A question with exactly two answers (Yes / No): "less likely to answer Yes" and "more likely to answer No"
are one 2 x 2 table, so one test, one finding and one place in the Benjamini-Hochberg family
(docs/decisions/0013). The other answer's rows still show its shares. Multiple-choice options stay one test
each, and two options with a write-in "Other" are not two complements.

                     Open later?   How do you get there?   Facilities (multiple choice)
                     Yes    No     Walk   Bus   Car        Toilets: i < 60 / < 50; Cafe: i even / i % 4 != 0
  Disabled (100)      70    30       40    30    30
  Not disabled (200)  80   120       90    60    50
"""

import itertools

import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from representativeness.disclosure import Audience
from representativeness.equality_analysis import equality_analysis_build
from representativeness.equality_analysis.items import survey_items
from surveys.equality.services import equality_section_add
from surveys.models import Answer, EqualityProfile, Question, Response, Survey
from tests.factories import TeamFactory, respondent_unsaved
from tests.representativeness.equality_analysis.conftest import _question
from tests.representativeness.equality_analysis.test_analysis import exact_json, row

DISABLED, NOT_DISABLED = "Disabled under the Equality Act", "Not disabled under the Equality Act"
LATER, TRAVEL, FACILITIES = "Should the park open later?", "How do you get there?", "Which facilities do you use?"
SIZE = {"disabled": 100, "not_disabled": 200}
LATER_YES = {"disabled": 70, "not_disabled": 80}
TRAVEL_SPLIT = {"disabled": (40, 30, 30), "not_disabled": (90, 60, 50)}
PROFILE = {
    "disabled": {"long_term_condition": "yes", "disability": "a_lot"},
    "not_disabled": {"long_term_condition": "no"},
}


def _ticks(group: str, i: int) -> tuple[bool, bool]:
    """(toilets, cafe) for the group's i-th respondent: overlapping, some tick neither."""
    if group == "disabled":
        return i < 60, i % 2 == 0
    return i < 50, i % 4 != 0


@pytest.fixture
def two_answers(db) -> Survey:
    survey = Survey.objects.create(title="Hours", slug="hours", status=Survey.Status.DRAFT, team=TeamFactory())
    page = survey.pages.create(position=1, title="Your views")
    later = _question(page, LATER, Question.Type.SINGLE_CHOICE, ["Yes", "No"])
    travel = _question(page, TRAVEL, Question.Type.DROPDOWN, ["Walk", "Bus", "Car"])
    facilities = _question(page, FACILITIES, Question.Type.MULTIPLE_CHOICE, ["Toilets", "Cafe"])
    equality_section_add(survey=survey, keys=["long_term_condition", "disability"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    yes, no = later.choices.order_by("position")
    walk, bus, car = travel.choices.order_by("position")
    toilets, cafe = facilities.choices.order_by("position")
    responses, profiles, answers = [], [], []
    counter = itertools.count()
    for group, size in SIZE.items():
        walking, by_bus, _ = TRAVEL_SPLIT[group]
        for i in range(size):
            n = next(counter)
            response, profile = respondent_unsaved(
                survey,
                f"H{n:07d}",
                **PROFILE[group],
            )
            responses.append(response)
            profiles.append(profile)
            answers.append(Answer(response=response, question=later, choice=yes if i < LATER_YES[group] else no))
            mode = walk if i < walking else bus if i < walking + by_bus else car
            answers.append(Answer(response=response, question=travel, choice=mode))
            ticks = _ticks(group, i)
            answers += [
                Answer(response=response, question=facilities, choice=c)
                for c, ticked in zip((toilets, cafe), ticks, strict=True)
                if ticked
            ]
    Response.objects.bulk_create(responses)
    EqualityProfile.objects.bulk_create(profiles)
    Answer.objects.bulk_create(answers)
    return survey


def _expected_tables() -> dict[tuple[str, str], list[list[int]]]:
    """By (question, answer), the disabled respondents against everyone else: [[chose, did not]] x 2."""
    tables = {}
    yes = [LATER_YES["disabled"], LATER_YES["not_disabled"]]
    tables[(LATER, "Yes")] = [[yes[0], 100 - yes[0]], [yes[1], 200 - yes[1]]]
    for j, answer in enumerate(("Walk", "Bus", "Car")):
        chose = [TRAVEL_SPLIT[g][j] for g in SIZE]
        tables[(TRAVEL, answer)] = [[chose[0], 100 - chose[0]], [chose[1], 200 - chose[1]]]
    for j, answer in enumerate(("Toilets", "Cafe")):
        sides = []
        for group, size in SIZE.items():
            ticks = [_ticks(group, i) for i in range(size)]
            answered = sum(1 for t in ticks if any(t))
            ticked = sum(1 for t in ticks if t[j])
            sides.append([ticked, answered - ticked])
        tables[(FACILITIES, answer)] = sides
    return tables


def test_a_yes_no_question_is_one_finding_not_two(two_answers) -> None:
    analysis = equality_analysis_build(survey=two_answers, audience=Audience.EXACT)
    about_later = [f.text for f in analysis.findings if LATER in f.text]
    assert about_later == [
        f"Disabled respondents were more likely to answer “Yes” to “{LATER}” (70%, 95% CI 60 to 78%) than other "
        "respondents (40%, 33 to 47%): 30 percentage points higher."
    ]


def test_the_family_counts_a_two_answer_question_once(two_answers) -> None:
    data = exact_json("hours")
    tables = _expected_tables()
    p_values = [stats.chi2_contingency(table, correction=False).pvalue for table in tables.values()]
    assert len(p_values) == 6  # Yes (not No), Walk, Bus, Car, Toilets, Cafe; the second group mirrors the first
    expected_q = dict(zip(tables, multipletests(p_values, method="fdr_bh")[1], strict=True))
    for (question, answer), q in expected_q.items():
        for group in (DISABLED, NOT_DISABLED):
            assert row(data, answer, "disability", group, question=question)["q_value"] == pytest.approx(q)
    # The No rows are the Yes test: the same p- and q-value, nothing added to the family.
    for group in (DISABLED, NOT_DISABLED):
        no, yes = (row(data, a, "disability", group, question=LATER) for a in ("No", "Yes"))
        assert no["p_value"] == pytest.approx(yes["p_value"])
        assert no["q_value"] == pytest.approx(expected_q[(LATER, "Yes")])
    assert row(data, "Yes", "disability", DISABLED, question=LATER)["p_value"] == pytest.approx(p_values[0])


def test_the_other_answer_still_shows_its_shares_with_no_finding_of_its_own(two_answers) -> None:
    analysis = equality_analysis_build(survey=two_answers, audience=Audience.EXACT)
    assert not any("“No”" in f.text for f in analysis.findings)
    data = exact_json("hours")
    no = row(data, "No", "disability", DISABLED, question=LATER)
    low, high = proportion_confint(30, 100, method="wilson")
    others_low, others_high = proportion_confint(120, 200, method="wilson")
    assert (no["respondents"], no["share"], no["low"], no["high"]) == (
        100,
        pytest.approx(0.30),
        pytest.approx(low),
        pytest.approx(high),
    )
    assert (no["others_share"], no["others_low"], no["others_high"]) == (
        pytest.approx(0.60),
        pytest.approx(others_low),
        pytest.approx(others_high),
    )
    assert no["flag"] == "lower"  # the mirror of "Yes": higher


def test_only_two_answers_that_split_everyone_who_answered_are_complements(two_answers) -> None:
    by_question = {item.question: item for item in survey_items(two_answers)}
    assert [o.complement_of for o in by_question[LATER].outcomes] == [None, "Yes"]
    assert [o.complement_of for o in by_question[TRAVEL].outcomes] == [None, None, None]
    Question.objects.filter(text=LATER).update(allow_other=True)  # "Other" answers are counted in neither
    later = next(item for item in survey_items(two_answers) if item.question == LATER)
    assert [o.complement_of for o in later.outcomes] == [None, None]
    multiple = next(item for item in survey_items(two_answers) if item.question == FACILITIES)
    assert [o.complement_of for o in multiple.outcomes] == [None, None]
