"""Broad groups by default, detailed where counts allow: disability's four census categories are compared
for a question only when each has at least the suppression threshold of respondents giving each answer
(and so does everyone else beside it); otherwise only disabled / not disabled are."""

import itertools

import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from representativeness.disclosure import Audience
from representativeness.equality_analysis import equality_analysis_build
from representativeness.equality_analysis.serialize import analysis_as_dict
from surveys.equality.services import equality_section_add
from surveys.models import Answer, EqualityProfile, Question, Response, Survey
from tests.factories import TeamFactory, respondent_unsaved
from tests.representativeness.equality_analysis.conftest import _question

A_LOT, A_LITTLE = "Day-to-day activities limited a lot", "Day-to-day activities limited a little"
NOT_LIMITED = "Has long term physical or mental health condition but day-to-day activities are not limited"
NO_CONDITION = "No long term physical or mental health conditions"
PROFILES = {
    A_LOT: {"long_term_condition": "yes", "disability": "a_lot"},
    A_LITTLE: {"long_term_condition": "yes", "disability": "a_little"},
    NOT_LIMITED: {"long_term_condition": "yes", "disability": "not_at_all"},
    NO_CONDITION: {"long_term_condition": "no"},
}
# (weekly, never) answers to "How often?", and how many answered "Bins?" (everyone said "Yes").
OFTEN = {A_LOT: (10, 30), A_LITTLE: (20, 20), NOT_LIMITED: (15, 15), NO_CONDITION: (100, 100)}
BINS = {A_LOT: 40, A_LITTLE: 40, NOT_LIMITED: 9, NO_CONDITION: 200}  # 9: too few for detail


@pytest.fixture
def detailed_survey(db) -> Survey:
    survey = Survey.objects.create(
        title="Leisure", slug="leisure", status=Survey.Status.DRAFT, team=TeamFactory(name="Leisure")
    )
    page = survey.pages.create(position=1, title="Your views")
    often = _question(page, "How often?", Question.Type.SINGLE_CHOICE, ["Weekly", "Never"])
    bins = _question(page, "Bins?", Question.Type.SINGLE_CHOICE, ["Yes", "No"])
    equality_section_add(survey=survey, keys=["long_term_condition", "disability"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    weekly, never = often.choices.order_by("position")
    yes = bins.choices.order_by("position").first()
    counter = itertools.count()
    responses, profiles, answers = [], [], []
    for group, (n_weekly, n_never) in OFTEN.items():
        for index in range(n_weekly + n_never):
            i = next(counter)
            response, profile = respondent_unsaved(
                survey,
                f"D{i:07d}",
                **PROFILES[group],
            )
            responses.append(response)
            profiles.append(profile)
            answers.append(Answer(response=response, question=often, choice=weekly if index < n_weekly else never))
            if index < BINS[group]:
                answers.append(Answer(response=response, question=bins, choice=yes))
    Response.objects.bulk_create(responses)
    EqualityProfile.objects.bulk_create(profiles)
    Answer.objects.bulk_create(answers)
    return survey


def _characteristics(data: dict, question: str, answer: str) -> dict[tuple[str, str], dict]:
    outcome = next(q for q in data["questions"] if q["question"] == question and q["answer"] == answer)
    return {(c["key"], c["level"]): c for c in outcome["characteristics"]}


def test_detailed_groups_are_compared_where_every_group_has_enough_respondents(detailed_survey):
    data = analysis_as_dict(equality_analysis_build(survey=detailed_survey, audience=Audience.EXACT))
    often = _characteristics(data, "How often?", "Weekly")
    assert set(often) == {("disability", "broad"), ("disability", "detailed")}
    detailed = often[("disability", "detailed")]
    assert detailed["label"] == "Disability (detailed groups)"
    rows = {g["group"]: g for g in detailed["groups"]}
    assert list(rows) == [A_LOT, A_LITTLE, NOT_LIMITED, NO_CONDITION]
    a_lot = rows[A_LOT]
    assert (a_lot["respondents"], a_lot["share"]) == (40, pytest.approx(0.25))
    assert (a_lot["low"], a_lot["high"]) == pytest.approx(proportion_confint(10, 40, method="wilson"))
    others_weekly, others_total = 20 + 15 + 100, 40 + 30 + 200
    assert (a_lot["others_respondents"], a_lot["others_share"]) == (
        others_total,
        pytest.approx(others_weekly / others_total),
    )
    table = [[10, 30], [others_weekly, others_total - others_weekly]]
    assert a_lot["p_value"] == pytest.approx(stats.chi2_contingency(table, correction=False).pvalue)
    # The detailed comparisons are in the analysis's one family: 2 broad (one test, mirrored) + 4 detailed
    # for "Weekly" to "How often?", and "Yes" to "Bins?" (broad only there: 1 test). "Never" and "No" are
    # the complements of the first answers of two-answer questions: the same tests, counted once.
    tested = [
        g
        for q in data["questions"]
        for c in q["characteristics"]
        for i, g in enumerate(c["groups"])
        if not (len(c["groups"]) == 2 and i == 1) and g["p_value"] is not None and q["answer"] not in ("Never", "No")
    ]
    assert len(tested) == (1 + 4) + 1
    expected_q = multipletests([g["p_value"] for g in tested], method="fdr_bh")[1]
    assert [g["q_value"] for g in tested] == pytest.approx(list(expected_q))
    assert a_lot["flag"] == "lower"
    findings = equality_analysis_build(survey=detailed_survey, audience=Audience.EXACT).findings
    assert any(
        f.text.startswith("Respondents whose day-to-day activities are limited a lot were less likely to answer")
        for f in findings
    )


def test_only_broad_groups_where_one_answer_of_one_detailed_group_is_too_few(detailed_survey):
    # Eleven people limited a little change "Never" to "Weekly": 9 of them now say "Never", under the threshold.
    question = Question.objects.get(page__survey=detailed_survey, text="How often?")
    weekly, never = question.choices.order_by("position")
    limited_a_little = EqualityProfile.objects.filter(survey=detailed_survey, disability="a_little")
    moved = Answer.objects.filter(choice=never, response__in=limited_a_little.values("response"))[:11]
    Answer.objects.filter(pk__in=[a.pk for a in moved]).update(choice=weekly)
    data = analysis_as_dict(equality_analysis_build(survey=detailed_survey, audience=Audience.EXACT))
    assert set(_characteristics(data, "How often?", "Weekly")) == {("disability", "broad")}


def test_only_broad_groups_where_one_detailed_group_is_too_small(detailed_survey):
    data = analysis_as_dict(equality_analysis_build(survey=detailed_survey, audience=Audience.EXACT))
    bins = _characteristics(data, "Bins?", "Yes")
    assert set(bins) == {("disability", "broad")}
    disabled = next(
        g for g in bins[("disability", "broad")]["groups"] if g["group"] == "Disabled under the Equality Act"
    )
    assert disabled["respondents"] == 80
