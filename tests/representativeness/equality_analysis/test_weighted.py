"""The weighted equality analysis: raking weights from the weighting page, Rao-Scott tests, Kish intervals.

The survey (tests/representativeness/reports/conftest.py) is raked on sex to a 60:40 census: women
150 -> weight 0.8, men 50 -> 1.6. Women choose play areas, men paths, so within the Christians (90 women,
40 men) the weighted share choosing play areas differs from the unweighted one.
"""

import html

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from representativeness.disclosure import Audience
from representativeness.equality_analysis import equality_analysis_build
from representativeness.stats.group_differences import compare_weighted
from tests.representativeness.reports.conftest import AREA

pytestmark = pytest.mark.django_db


def group(analysis, answer: str, key: str, name: str):
    outcome = next(o for o in analysis.outcomes if o.answer == answer)
    characteristic = next(c for c in outcome.characteristics if c.key == key)
    return next(g for g in characteristic.groups if g.group == name)


def test_weighted_shares_use_the_raking_weights_and_kish_effective_sizes(voted):
    analysis = equality_analysis_build(survey=voted, audience=Audience.EXACT, weighted=True, area_code=AREA)
    christians = group(analysis, "Play areas", "religion", "Christian")
    assert christians.figures["share"] == pytest.approx(90 / 130)
    weighted = christians.weighted
    assert weighted["share"] == pytest.approx(90 * 0.8 / (90 * 0.8 + 40 * 1.6))
    effective = (90 * 0.8 + 40 * 1.6) ** 2 / (90 * 0.64 + 40 * 2.56)
    assert weighted["effective_respondents"] == pytest.approx(effective)
    low, high = proportion_confint(weighted["share"] * effective, effective, method="wilson")
    assert (weighted["low"], weighted["high"]) == (pytest.approx(low), pytest.approx(high))
    assert weighted["test"] == "rao_scott"
    assert analysis.weighting["characteristics"] == ["sex"]


def test_counting_by_cells_gives_the_test_one_row_per_respondent_would(voted):
    analysis = equality_analysis_build(survey=voted, audience=Audience.EXACT, weighted=True, area_code=AREA)
    # One row per respondent who answered and stated a religion: group, answer and weight.
    people = [
        (religion, sex)
        for religion, sex, n in [
            ("no_religion", "female", 60),
            ("christian", "female", 90),
            ("christian", "male", 40),
            ("muslim", "male", 4),
            ("hindu", "male", 6),
        ]
        for _ in range(n)
    ]
    in_group = np.array([religion == "christian" for religion, _ in people])
    chose_play = np.array([sex == "female" for _, sex in people])
    weight = np.array([0.8 if sex == "female" else 1.6 for _, sex in people])
    expected = compare_weighted(in_group, chose_play, weight, np.ones(len(people)))
    christians = group(analysis, "Play areas", "religion", "Christian").weighted
    assert christians["p_value"] == pytest.approx(expected.p_value)
    assert christians["others_share"] == pytest.approx(expected.others_share)


def test_weighting_without_census_baselines_is_a_clear_error(analysed_survey):
    from representativeness.errors import ReportError

    with pytest.raises(ReportError, match="No census baselines are loaded"):
        equality_analysis_build(survey=analysed_survey, audience=Audience.EXACT, weighted=True)


def test_protected_weighted_analysis_says_which_snapshot_it_counts_once(voted):
    analysis = equality_analysis_build(survey=voted, audience=Audience.PROTECTED, weighted=True, area_code=AREA)
    counting = [n for n in analysis.notes if n.startswith("These figures count the")]
    assert len(counting) == 1, analysis.notes


def test_the_page_names_what_it_weighted_on_in_words_not_column_names(client, voted, monkeypatch):
    # The default weighting (age, sex, ethnic group, disability, ward) said "ethnic_group" and "area".
    from django.urls import reverse

    from representativeness.weighting import RakedSurvey
    from tests.factories import staff_member

    summary = RakedSurvey.summary

    def as_by_default(self, protection):
        return {**summary(self, protection), "characteristics": ["age", "sex", "ethnic_group", "disability", "area"]}

    monkeypatch.setattr(RakedSurvey, "summary", as_by_default)
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True, team="Parks"))
    url = reverse("representativeness:equality_analysis", args=[voted.pk])
    page = client.get(url, {"weighted": "on", "area": AREA}).content.decode()
    assert "on age, sex, ethnic group, disability and ward; design effect" in page
    assert "ethnic_group" not in page


def test_weighting_lists_only_changes_of_conclusion_and_counts_the_rest(client, voted, monkeypatch):
    """A large design effect widens every weighted interval, turning many "similar" comparisons into "can't tell
    yet": those are counted in one sentence, and only a difference that appears, disappears or reverses is
    listed (page and JSON)."""
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.urls import reverse

    from representativeness.equality_analysis import build
    from tests.factories import staff_member

    published = build._published

    def blurred(*args, **kwargs):
        # As answered, the lower groups are similar (Christian, Hindu, Muslim; women's "Paths" is the same
        # comparison as men's); once weighted they can't be told, and the higher groups look similar.
        figures = published(*args, **kwargs)
        blur = {"lower": "too_few_to_tell", "higher": "similar"} if kwargs["weighted"] else {"lower": "similar"}
        figures["flag"] = blur.get(figures.get("flag"), figures.get("flag"))
        return figures

    monkeypatch.setattr(build, "_published", blurred)
    widened = "3 further comparisons could not be told apart once weighted, because weighting widens the intervals."
    out = StringIO()
    call_command(
        "equality_analysis", voted.slug, "--weighted", "--area", AREA, "--format", "json", "--exact", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["weighting_changes"] == [
        "Women, “Play areas” to “What first?”: Higher as answered, similar once weighted.",
        "Respondents with no religion, “Play areas” to “What first?”: Higher as answered, similar once weighted.",
    ]
    assert widened in data["notes"]
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True, team="Parks"))
    url = reverse("representativeness:equality_analysis", args=[voted.pk])
    page = html.unescape(client.get(url, {"weighted": "on", "area": AREA}).content.decode())
    assert widened in page
    assert "Respondents with no religion, “Play areas” to “What first?”: Higher as answered, similar once" in page
    assert "can't tell yet once weighted" not in page
