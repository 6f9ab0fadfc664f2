"""Rounding and banding of derived figures; who is which audience; which errors may be shown."""

import math

import pytest

from representativeness.disclosure import GENERIC_ERROR, Audience, audience_for, protection_for, rounding
from representativeness.errors import CensusMismatch, ReportError
from tests.factories import SurveyFactory, TeamFactory, staff_member


@pytest.mark.parametrize(
    ("p", "band"),
    [
        (0.0, "< 0.001"),
        (0.000999, "< 0.001"),
        (0.001, "< 0.01"),
        (0.0099, "< 0.01"),
        (0.01, "< 0.05"),
        (0.0499, "< 0.05"),
        (0.05, "not significant"),
        (1.0, "not significant"),
        (None, None),
        (math.nan, None),
    ],
)
def test_p_and_q_values_fall_in_four_bands(p, band):
    assert rounding.p_band(p) == band


def test_shares_round_to_whole_percentages_ratios_to_two_places():
    assert rounding.whole_percent(0.1234) == 0.12
    assert rounding.whole_percent(0.125) == 0.13  # half up, not to even
    assert rounding.whole_percent(0.0049) == 0.0
    assert rounding.two_places(0.625) == 0.63
    assert rounding.one_place(3.75) == 3.8
    assert rounding.whole_percent(None) is None and rounding.two_places(math.nan) is None


def test_counts_round_to_the_nearest_ten_and_a_needed_target_never_to_zero():
    assert rounding.nearest_ten(1087) == 1090
    assert rounding.nearest_ten(1085) == 1090
    assert rounding.nearest_ten(4) == 0
    assert rounding.outreach_target(4) == 10
    assert rounding.outreach_target(0) == 0
    assert rounding.outreach_target(27) == 30
    assert rounding.outreach_target(None) is None


def test_the_exact_audience_gets_every_figure_as_it_is():
    exact = protection_for(audience=Audience.EXACT, scope="test")
    protected = protection_for(audience=Audience.PROTECTED, scope="test")
    assert exact.share(0.1234) == 0.1234 and protected.share(0.1234) == 0.12
    assert exact.p_value(0.0004) == 0.0004 and protected.p_value(0.0004) is None
    assert exact.p_band(0.0004) == protected.p_band(0.0004) == "< 0.001"
    assert exact.effective_size(1087.4) == 1087.4 and protected.effective_size(1087.4) == 1090
    assert exact.design_effect(1.8437) == 1.8437 and protected.design_effect(1.8437) == 1.8


def test_keys_differ_from_survey_to_survey_and_stay_the_same_for_one():
    one = protection_for(audience=Audience.PROTECTED, scope="survey:1")
    assert one.key == protection_for(audience=Audience.PROTECTED, scope="survey:1").key
    assert one.key != protection_for(audience=Audience.PROTECTED, scope="survey:2").key


def test_errors_are_shown_to_the_protected_audience_only_when_they_name_nobody():
    protected = protection_for(audience=Audience.PROTECTED, scope="test")
    exact = protection_for(audience=Audience.EXACT, scope="test")
    public = ReportError("No census area with the code 'E99' is loaded.")
    naming = CensusMismatch("TS030: answers map to categories the census does not have: ['Jedi']")
    library = ValueError("Respondent categories of religion are not in its targets: ['Sikh'].")
    assert protected.error_text(public) == str(public)
    assert protected.error_text(naming) == GENERIC_ERROR and "Jedi" not in GENERIC_ERROR
    assert protected.error_text(library) == GENERIC_ERROR
    assert exact.error_text(library) == str(library)


@pytest.mark.django_db
def test_the_audience_is_the_access_policys_decision_for_the_survey():
    parks = SurveyFactory(team=TeamFactory(name="Parks"))
    planning = SurveyFactory(team=TeamFactory(name="Planning"))
    analyst = staff_member("analyst", equality_data=True, team="Parks")
    officer = staff_member("officer", team="Parks")
    assert audience_for(analyst, parks) is Audience.EXACT
    assert audience_for(analyst, planning) is Audience.PROTECTED  # another team's survey
    assert audience_for(officer, parks) is Audience.PROTECTED
