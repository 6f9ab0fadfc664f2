"""The equality analysis of a fully known survey (conftest.py), exact figures, against scipy/statsmodels."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from representativeness.disclosure import Audience
from representativeness.equality_analysis import equality_analysis_build
from tests.representativeness.equality_analysis.conftest import PROPOSAL

DISABLED = "Disabled under the Equality Act"
AGREE = "Agree (strongly or not)"


def exact_json(survey_slug: str = "parks") -> dict:
    out = StringIO()
    call_command("equality_analysis", survey_slug, "--format", "json", "--exact", stdout=out)
    return json.loads(out.getvalue())


def row(data: dict, answer: str, key: str, group: str, question: str = PROPOSAL) -> dict:
    outcome = next(q for q in data["questions"] if q["question"] == question and q["answer"] == answer)
    characteristic = next(c for c in outcome["characteristics"] if c["key"] == key)
    return next(g for g in characteristic["groups"] if g["group"] == group)


def by_hand_bh(p_values: list[float]) -> list[float]:
    """Benjamini-Hochberg written out: q_(i) = min over j >= i of p_(j) m / j."""
    order = np.argsort(p_values)
    m = len(p_values)
    q = np.empty(m)
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        q[index] = running
    return list(q)


def test_disabled_respondents_agree_less_with_intervals_and_test_from_scipy(analysed_survey) -> None:
    data = exact_json()
    disabled = row(data, AGREE, "disability", DISABLED)
    assert disabled["respondents"] == 100 and disabled["others_respondents"] == 1000
    assert disabled["share"] == pytest.approx(0.41) and disabled["others_share"] == pytest.approx(0.63)
    low, high = proportion_confint(41, 100, method="wilson")
    assert (disabled["low"], disabled["high"]) == (pytest.approx(low), pytest.approx(high))
    low, high = confint_proportions_2indep(41, 100, 630, 1000, method="newcomb", compare="diff")
    assert (disabled["difference_low"], disabled["difference_high"]) == (pytest.approx(low), pytest.approx(high))
    assert disabled["test"] == "chi_square"
    expected_p = stats.chi2_contingency([[41, 59], [630, 370]], correction=False).pvalue
    assert disabled["p_value"] == pytest.approx(expected_p)
    assert disabled["flag"] == "lower"
    # Net agreement: (41 - 45) / 100 against (630 - 250) / 1000.
    assert disabled["net_agreement"] == pytest.approx(-0.04)
    assert disabled["others_net_agreement"] == pytest.approx(0.38)


def test_q_values_adjust_across_the_whole_analysis_once_per_comparison(analysed_survey) -> None:
    data = exact_json()
    rows = [
        g
        for q in data["questions"]
        for c in q["characteristics"]
        for i, g in enumerate(c["groups"])
        # With two groups, the second is the first's "everyone else": the same test, counted once. So is
        # "Never" to a question with two answers, the complement of "Weekly".
        if not (len(c["groups"]) == 2 and i == 1) and g["p_value"] is not None and q["answer"] != "Never"
    ]
    assert len(rows) == 7 * 2  # 7 answers (4 agreement, 1 how often, 2 facilities) x 2 characteristics
    expected = by_hand_bh([g["p_value"] for g in rows])
    assert [g["q_value"] for g in rows] == pytest.approx(expected)


def test_a_group_of_seven_uses_fishers_exact_test_and_is_never_called_similar(analysed_survey) -> None:
    data = exact_json()
    men = row(data, "Toilets", "sex", "Male", question="Which facilities do you use?")
    # All 7 men ticked toilets; of the 1,103 women, the 93 disabled women and a fifth of the rest.
    women_toilets = 93 + 1000 // 5 + 10 // 5
    assert men["test"] == "fisher_exact"
    assert men["p_value"] == pytest.approx(stats.fisher_exact([[7, 0], [women_toilets, 1103 - women_toilets]]).pvalue)
    neither = row(data, "Neither agree nor disagree", "sex", "Male")
    assert neither["share"] == 0 and neither["flag"] == "too_few_to_tell"
    same = row(data, "Neither agree nor disagree", "disability", DISABLED)
    assert same["difference"] == pytest.approx(0) and same["flag"] == "similar"


def test_findings_in_plain_english_most_important_first_each_comparison_once(analysed_survey) -> None:
    analysis = equality_analysis_build(survey=analysed_survey, audience=Audience.EXACT)
    texts = [f.text for f in analysis.findings]
    low, high = proportion_confint(41, 100, method="wilson")
    others_low, others_high = proportion_confint(630, 1000, method="wilson")
    group_ci = f"{round(low * 100)} to {round(high * 100)}%"
    others_ci = f"{round(others_low * 100)} to {round(others_high * 100)}%"
    expected = (
        f"Disabled respondents were less likely to agree with “{PROPOSAL}” (41%, 95% CI {group_ci}) than other "
        f"respondents (63%, {others_ci}): 22 percentage points lower."
    )
    assert expected in texts
    assert not any(t.startswith("Respondents who are not disabled") for t in texts)  # the same comparison
    q_values = [f.q_value for f in analysis.findings]
    assert q_values == sorted(q_values)
    assert texts[0].startswith("Disabled respondents were more likely to select “Toilets”")  # p ~ 1e-65
    assert any(line.startswith("Men (sex): can't tell yet") for line in analysis.too_few_to_tell)


def test_csv_has_a_row_per_answer_characteristic_and_group(analysed_survey) -> None:
    out = StringIO()
    call_command("equality_analysis", "parks", "--format", "csv", "--exact", stdout=out)
    lines = out.getvalue().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("question,row,answer,characteristic,group,respondents,share,low,high")
    assert len(lines) == 1 + 8 * 2 * 2


def test_a_survey_without_about_you_questions_says_so(db) -> None:
    from surveys.models import Survey
    from tests.factories import TeamFactory

    survey = Survey.objects.create(title="Bins", slug="bins", team=TeamFactory(name="Waste"))
    analysis = equality_analysis_build(survey=survey, audience=Audience.EXACT)
    assert analysis.outcomes == []
    assert "asks no About you questions" in analysis.notes[0]
