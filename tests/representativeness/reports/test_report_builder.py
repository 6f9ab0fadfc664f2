"""The representativeness report against hand-computed figures for a small, fully known case."""

import json
import math

import pytest
from django.core.management import call_command

from representativeness.disclosure import Audience
from representativeness.reports.builder import report_build
from surveys.models import Survey
from tests.representativeness.reports.conftest import AREA, add, make_survey

pytestmark = pytest.mark.django_db
Z = 1.959963984540054


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval, from its formula."""
    p = k / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z / (1 + Z**2 / n) * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return centre - half, centre + half


def binomial_at_most(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))


def characteristic(report, key, level="detailed"):
    return next(c for c in report.characteristics if c.key == key and c.level == level)


def row(c, category):
    return next(r for r in c.categories if r["category"] == category)


def test_counts_shares_ratios_and_intervals_match_hand_computation(survey):
    report = report_build(survey=survey, area_code=AREA, audience=Audience.EXACT)

    assert report.respondents == 215
    sex = characteristic(report, "sex")
    assert (sex.asked, sex.answered, sex.prefer_not_to_say, sex.skipped, sex.not_asked) == (210, 200, 7, 3, 5)
    male = row(sex, "Male")
    assert male["respondents"] == 50
    assert male["share"] == pytest.approx(0.25)
    assert male["census_share"] == pytest.approx(0.4)
    assert male["ratio"] == pytest.approx(0.625)
    assert male["gap"] == pytest.approx(-0.15)
    low, high = wilson(50, 200)
    assert male["ratio_low"] == pytest.approx(low / 0.4, rel=1e-9)
    assert male["ratio_high"] == pytest.approx(high / 0.4, rel=1e-9)
    assert male["p_value"] == pytest.approx(binomial_at_most(50, 200, 0.4), rel=1e-6)
    assert male["flag"] == "under_represented"
    assert male["ratio_high"] < 0.8  # the whole interval below the band
    # 150 of 200 women against 60%: a ratio of exactly 1.25, its interval (1.14 to 1.34) across the edge of
    # the band: neither in line nor over-represented yet, and no number of responses at 1.25 settles it.
    female = row(sex, "Female")
    assert female["ratio"] == pytest.approx(1.25)
    assert female["ratio_low"] < 1.25 < female["ratio_high"]
    assert female["flag"] == "too_few_responses"
    assert female["responses_to_settle"] is None


def test_census_not_answered_is_left_out_and_its_rate_reported(survey):
    report = report_build(survey=survey, area_code=AREA, audience=Audience.EXACT)
    religion = characteristic(report, "religion")
    assert religion.census_not_answered_rate == pytest.approx(0.04)
    assert "Not answered" not in [r["category"] for r in religion.categories]
    assert row(religion, "Muslim")["census_share"] == pytest.approx(100 / 960)
    assert row(religion, "Christian")["share"] == pytest.approx(130 / 200)


def test_q_values_are_benjamini_hochberg_over_both_directions_of_every_test(survey):
    report = report_build(survey=survey, area_code=AREA, audience=Audience.EXACT)
    family = []
    for c in report.characteristics:
        for r in c.categories:
            if r["p_value"] is not None:
                n = c.answered
                k = r["respondents"]
                p = r["census_share"]
                smaller = binomial_at_most(k, n, p)
                larger = 1 - binomial_at_most(k - 1, n, p) if k > 0 else 1.0
                family += [smaller, larger]
    m = len(family)
    order = sorted(range(m), key=family.__getitem__)
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):  # step-up from the largest p-value
        i = order[rank - 1]
        running = min(running, family[i] * m / rank)
        adjusted[i] = running
    male = row(characteristic(report, "sex"), "Male")
    index = next(i for i, p in enumerate(family) if p == pytest.approx(male["p_value"], rel=1e-12))
    assert male["q_value"] == pytest.approx(adjusted[index], rel=1e-6)


def test_small_counts_are_hidden_with_everything_built_on_them(survey):
    report = report_build(survey=survey, area_code=AREA, audience=Audience.PROTECTED)
    religion = characteristic(report, "religion")
    muslim, hindu = row(religion, "Muslim"), row(religion, "Hindu")
    for hidden in (muslim, hindu):
        assert hidden["suppressed"] is True
        for field in ("respondents", "share", "ratio", "ratio_low", "ratio_high", "gap", "p_value", "q_value"):
            assert hidden[field] is None, field
        assert hidden["census_share"] is not None
        assert hidden.get("direction") is None and hidden["small_count"] is None and hidden["q_band"] is None
    # Muslim would be under-represented with any count below 10: with 9 of 200 against 100/960, the ratio
    # is 0.43, the top of its Wilson interval 0.7996 and the Bonferroni bound on q (20 tests) 0.041.
    assert muslim["flag"] == "under_represented"
    assert muslim["outreach_needed"] == 20  # (100/960 * 200 - 5) / (1 - 100/960) = 17.7, to the nearest 10
    assert hindu["flag"] is None and hindu["outreach_needed"] is None  # 9 of 200 Hindus would be over
    assert row(religion, "Buddhist")["respondents"] == 0  # no responses is shown: it identifies nobody
    assert religion.goodness_of_fit is None  # its statistic would give the hidden cells back
    assert religion.answered == 200


def test_one_small_count_gets_a_second_cell_hidden_so_it_cannot_be_worked_out(area):
    survey = make_survey("one-small")
    add(survey, 100, sex="female", religion="christian")
    add(survey, 50, sex="male", religion="no_religion")
    add(survey, 4, sex="male", religion="muslim")
    report = report_build(survey=survey, area_code=AREA, audience=Audience.PROTECTED)
    religion = characteristic(report, "religion")
    hidden = {r["category"] for r in religion.categories if r["suppressed"]}
    assert len(hidden) == 2 and "Muslim" in hidden
    assert hidden <= {"Muslim", "Christian", "No religion"}  # the second is never an empty one
    shown = sum(r["respondents"] for r in religion.categories if not r["suppressed"])
    assert religion.answered - shown >= 50  # the two hidden together: Muslim could be anything from 1 to 9


def test_headline_names_the_under_represented_groups(survey):
    report = report_build(survey=survey, area_code=AREA, audience=Audience.EXACT)
    # Six religions with 1% census shares and 0 to 6 respondents could be under-represented or not.
    assert report.headline == (
        "2 groups are under-represented: Male (sex); Muslim (religion). It is too early to tell for 6 more."
    )
    # Protected, Muslim's 4 stay hidden, but it would be under-represented with any count below 10, so it
    # is still named.
    protected = report_build(survey=survey, area_code=AREA, audience=Audience.PROTECTED)
    assert protected.headline.startswith("2 groups are under-represented: Male (sex); Muslim (religion).")


def test_a_handful_of_responses_is_too_early_to_tell(area):
    survey = make_survey("early")
    add(survey, 3, sex="female", religion="christian")
    add(survey, 2, sex="male", religion="no_religion")
    report = report_build(survey=survey, area_code=AREA, audience=Audience.EXACT)
    assert report.under_represented == []
    assert report.headline.startswith("Too early to tell: with only 5 responses so far, the figures for ")
    assert "No group" not in report.headline and "no group" not in report.headline


def test_everyone_preferring_not_to_say_gives_too_few_responses_not_an_error(area):
    survey = make_survey("quiet")
    add(survey, 12, sex="prefer_not_to_say", religion="prefer_not_to_say")
    report = report_build(survey=survey, area_code=AREA, audience=Audience.EXACT)
    sex = characteristic(report, "sex")
    assert sex.answered == 0 and sex.prefer_not_to_say == 12
    assert {r["flag"] for r in sex.categories} == {"too_few_responses"}
    assert all(r["share"] is None and r["ratio"] is None for r in sex.categories)
    json.dumps([c.categories for c in report.characteristics], allow_nan=False)


def test_channel_filter_counts_only_that_channel(survey):
    add(survey, 20, channel="paper", sex="male", religion="muslim")
    report = report_build(survey=survey, area_code=AREA, channel="paper", audience=Audience.EXACT)
    assert report.respondents == 20
    assert row(characteristic(report, "sex"), "Male")["respondents"] == 20


def test_command_prints_the_documented_json_layout(survey, capsys):
    call_command("representativeness_report", "parks", "--area", AREA, "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["survey"]["slug"] == "parks" and data["area"]["code"] == AREA
    assert data["respondents"] == 215
    sex = next(c for c in data["characteristics"] if c["key"] == "sex")
    assert set(sex["categories"][0]) >= {
        "category",
        "respondents",
        "share",
        "census_share",
        "ratio",
        "ratio_low",
        "ratio_high",
        "gap",
        "p_value",
        "q_value",
        "flag",
        "suppressed",
    }
    muslim = next(
        r
        for c in data["characteristics"]
        if c["key"] == "religion"
        for r in c["categories"]
        if r["category"] == "Muslim"
    )
    assert muslim["suppressed"] is True and muslim["respondents"] is None  # exports are always suppressed


def test_command_csv_has_a_row_per_category(survey, capsys):
    call_command("representativeness_report", "parks", "--area", AREA, "--format", "csv")
    lines = capsys.readouterr().out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("characteristic,level,census_table,census_base,category,respondents,share")
    assert len(lines) == 1 + 2 + 8  # sex 2 categories, religion 8


def test_a_survey_without_about_you_questions_says_so(area):
    survey = Survey.objects.create(title="Bins", slug="bins", status=Survey.Status.OPEN)
    report = report_build(survey=survey, area_code=AREA)
    assert report.characteristics == [] and report.respondents == 0
    assert report.headline.startswith('This survey does not ask the "About you" questions')


def _report_of(rows):
    from representativeness.reports.builder import CharacteristicReport, Report
    from representativeness.stats.flags import DEFAULT_RULE

    characteristic = CharacteristicReport(
        key="ethnic_group",
        level="detailed",
        label="Ethnic group",
        census_table="TS021",
        census_base="",
        census_source="",
        asked=1,
        answered=1,
        prefer_not_to_say=0,
        skipped=0,
        not_asked=0,
        census_not_answered_rate=None,
        categories=rows,
        goodness_of_fit=None,
    )
    report = Report(
        survey=None,
        area_code=AREA,
        area_name="",
        filters={},
        respondents=100,
        generated_at=None,
        rule=DEFAULT_RULE,
        suppression_threshold=10,
        suppressed=True,
        characteristics=[characteristic],
        notes=[],
    )
    return report


def _row(category, flag, ratio=1.0, low=0.9, high=1.1):
    return {"category": category, "flag": flag, "ratio": ratio, "ratio_low": low, "ratio_high": high}


def test_headline_when_every_group_is_settled_and_none_is_under():
    rows = [_row("A", "in_line"), _row("B", "over_represented", 1.5, 1.3, 1.7), _row("C", "in_line")]
    assert _report_of(rows).headline == (
        "No group is under-represented: every group compared has at least its fair share of respondents."
    )


def test_headline_when_most_groups_are_settled_names_those_it_cannot_tell_yet():
    rows = [_row("A", "in_line"), _row("B", "in_line"), _row("Roma", "too_few_responses", 0.5, 0.1, 2.0)]
    # A group that could only be in line or over-represented is not "could be under-represented".
    rows.append(_row("D", "too_few_responses", 1.25, 1.1, 1.4))
    assert _report_of(rows).headline == (
        "No group is clearly under-represented so far, but it is too early to tell for 1: Roma (ethnic group)."
    )


def test_headline_when_most_groups_cannot_be_told_yet():
    rows = [_row("A", "in_line"), *(_row(f"G{i}", "too_few_responses", 0.9, 0.2, 2.0) for i in range(3))]
    assert _report_of(rows).headline.startswith("Too early to tell: with only 100 responses so far")


def test_a_long_headline_names_the_six_groups_furthest_below_their_share():
    rows = [{"category": f"Group {i}", "ratio": 0.1 * i, "flag": "under_represented"} for i in range(1, 8)]
    rows.append({"category": "Hidden", "ratio": None, "flag": "under_represented"})
    report = _report_of(rows)
    assert report.headline == (
        "8 groups are under-represented. Furthest below their census share: Group 1 (ethnic group); "
        "Group 2 (ethnic group); Group 3 (ethnic group); Group 4 (ethnic group); Group 5 (ethnic group); "
        "Group 6 (ethnic group)."
    )


def test_joint_outreach_for_groups_under_represented_together(survey):
    from representativeness.disclosure import Audience
    from representativeness.reports.serialize import report_as_dict
    from tests.representativeness.reports.conftest import add

    add(survey, 100, sex="female", religion="christian")
    data = report_as_dict(report_build(survey=survey, area_code=AREA, audience=Audience.EXACT))
    religion = next(c for c in data["characteristics"] if c["key"] == "religion")
    under = {c["category"] for c in religion["categories"] if c["flag"] == "under_represented"}
    assert under == {"No religion", "Muslim"}
    # 300 answered, 60 + 4 of them in the two groups, whose census shares (of the 960 who answered the
    # census question) are 300/960 and 100/960: E = (400/960 * 300 - 64) / (1 - 400/960) = 104.6.
    assert religion["joint_outreach_needed"] == 105
    separate = sum(c["outreach_needed"] for c in religion["categories"] if c["category"] in under)
    assert separate < 105


def _hidden(category):
    return {"category": category, "flag": None, "ratio": None, "ratio_low": None, "ratio_high": None}


def test_hidden_groups_count_as_undecided_so_a_handful_of_responses_is_too_early_to_tell():
    # Protected with 12 responses: 27 of 91 shown groups could be under, most of the rest hidden. Hidden
    # groups could be anything, so it is too early to tell, never "no group is clearly under-represented".
    rows = [
        _row("A", "in_line"),
        _row("Roma", "too_few_responses", 0.5, 0.1, 2.0),
        _hidden("B"),
        _hidden("C"),
    ]
    headline = _report_of(rows).headline
    assert headline.startswith("Too early to tell: with only 100 responses so far, the figures for 3 of the 4 ")
    assert "no group" not in headline.lower() and "B" not in headline and "C (" not in headline


def test_hidden_groups_are_counted_but_not_named_when_most_are_settled():
    rows = [*(_row(f"G{i}", "in_line") for i in range(5)), _row("Roma", "too_few_responses", 0.5, 0.1, 2.0)]
    rows.append(_hidden("Secret"))
    assert _report_of(rows).headline == (
        "No group is clearly under-represented so far, but it is too early to tell for 2: Roma (ethnic group); "
        "and 1 group with too few responses to publish."
    )


def test_only_hidden_groups_undecided_and_most_hidden_is_too_early_to_tell():
    rows = [_row("A", "in_line"), _hidden("B"), _hidden("C")]
    headline = _report_of(rows).headline
    assert headline.startswith("Too early to tell: 2 of the 3 groups compared have too few responses to publish.")


def test_each_characteristics_finding_agrees_with_its_table():
    rows = [_row("Gay", "too_few_responses", 0.9, 0.2, 2.0), _row("Bi", "too_few_responses", 1.2, 1.1, 1.6)]
    rows += [_hidden("Other"), _row("Straight", "in_line")]
    report = _report_of(rows)
    # Three of four can't be told yet (the hidden one among them, unnamed): never "no group under-represented".
    assert report.finding(report.characteristics[0]) == "too early to tell for 3 groups; 1 in line"
    report = _report_of([_hidden("Female"), _row("Male", "too_few_responses", 0.76, 0.71, 0.81)])
    assert report.finding(report.characteristics[0]) == "too early to tell for both groups"
    report = _report_of([_row(f"W{i}", "too_few_responses", 1.0, 0.5, 1.5) for i in range(21)])
    assert report.finding(report.characteristics[0]) == "too early to tell for all 21 groups"
    report = _report_of([_row("A", "under_represented", 0.5, 0.3, 0.7), _row("B", "over_represented", 1.5, 1.3, 1.7)])
    assert report.finding(report.characteristics[0]) == "A under-represented; B over-represented"
    report = _report_of([_row("A", "in_line"), _row("B", "over_represented", 1.5, 1.3, 1.7)])
    assert report.finding(report.characteristics[0]) == "no group under-represented; B over-represented; 1 in line"


def test_a_finding_names_groups_with_commas_in_their_names_so_that_each_reads_as_one_group():
    # Sex and age together, and the census's broad ethnic groups, have commas in their names: listed bare,
    # "Female, 16 to 24, Male, 16 to 24 under-represented" reads as four groups (the EqIA summary's list).
    rows = [
        _row("Female, 16 to 24", "under_represented", 0.35, 0.24, 0.51),
        _row("Male, 16 to 24", "under_represented", 0.2, 0.1, 0.4),
        _row("Asian, Asian British or Asian Welsh", "over_represented", 1.5, 1.3, 1.7),
    ]
    report = _report_of(rows)
    assert report.finding(report.characteristics[0]) == (
        "“Female, 16 to 24”, “Male, 16 to 24” under-represented; “Asian, Asian British or Asian Welsh” over-represented"
    )


def test_command_compares_with_the_default_area_without_area(survey, capsys):
    call_command("representativeness_report", "parks", "--format", "json")
    assert json.loads(capsys.readouterr().out)["area"]["code"] == AREA


def _compared(respondents: dict[str, int], census: dict[str, int]) -> list[dict]:
    """Rows as the report has them, from counts through the real comparison and flag rule."""
    import pandas as pd

    from representativeness.stats.comparison import adjust_report, compare_characteristic, comparison_records

    table = compare_characteristic(pd.Series(respondents), pd.Series(census))
    return comparison_records(adjust_report({"one": table})["one"])


BAND = "the in-line band (0.8 to 1.25 times the census share)"


def test_a_clear_difference_not_yet_clearly_beyond_the_band_is_not_called_too_early_to_tell():
    # As the demo's sex: 905 women and 518 men against a census of 52% women. Women's ratio is 1.22 (1.17 to
    # 1.27), men's 0.76 (0.71 to 0.81), both with q far below 0.05: each is clearly more (fewer) than its
    # census share; only whether by more than the band is not. The flag stays "too_few_responses" (the JSON
    # layout is stable), the words say what is known.
    rows = _compared({"Female": 905, "Male": 518}, {"Female": 5199, "Male": 4801})
    female, male = rows
    assert (round(female["ratio_low"], 2), round(female["ratio_high"], 2)) == (1.17, 1.27)
    assert (round(male["ratio_low"], 2), round(male["ratio_high"], 2)) == (0.71, 0.81)
    assert female["q_value"] < 1e-6 and male["q_value"] < 1e-6
    assert female["flag"] == male["flag"] == "too_few_responses"
    report = _report_of(rows)
    finding = report.finding(report.characteristics[0])
    assert finding == f"Female more than its census share and Male fewer, by margins not yet clearly beyond {BAND}"
    assert "too early" not in finding
    # Men could still be under-represented: the headline says how much is known, not "too early to tell".
    assert report.headline == (
        "No group is clearly under-represented so far. 1 group has fewer respondents than its census share, by "
        f"a margin not yet clearly beyond {BAND}: Male (ethnic group)."
    )


def test_protected_figures_read_the_q_band_and_too_few_to_tell_stays_too_early_to_tell():
    from dataclasses import replace

    def protected(row, q_band):
        return {**row, "q_value": None, "q_band": q_band}

    female, male = _compared({"Female": 905, "Male": 518}, {"Female": 5199, "Male": 4801})
    # A Hindu-like row: 0.82 (0.55 to 1.21), not significant: nothing is known yet, more responses will tell.
    unsure = {**_row("Hindu", "too_few_responses", 0.82, 0.55, 1.21), "direction": "smaller", "q_value": 0.4}
    report = _report_of([protected(female, "< 0.001"), protected(male, "< 0.001"), unsure])
    assert report.finding(report.characteristics[0]) == (
        f"Female more than its census share and Male fewer, by margins not yet clearly beyond {BAND}; "
        "too early to tell for 1 group"
    )
    # A band that does not say the q-value is below a stricter threshold is not a clear difference.
    report = _report_of([protected(female, "< 0.05"), protected(male, "< 0.01")])
    report.rule = replace(report.rule, q_threshold=0.01)
    assert report.finding(report.characteristics[0]) == (
        f"Male fewer than its census share, by a margin not yet clearly beyond {BAND}; too early to tell for 1 group"
    )
    # Early on, the headline still says "too early to tell" for the groups nothing is known about, and names
    # those clearly below their census share apart.
    report = _report_of([male, unsure, {**unsure, "category": "Sikh"}])
    assert report.headline.startswith("Too early to tell: with only 100 responses so far, the figures for 2 of the 3")
    assert report.headline.endswith(
        f"1 group has fewer respondents than its census share, by a margin not yet clearly beyond {BAND}: "
        "Male (ethnic group)."
    )
    report = _report_of([male, unsure, _row("G", "in_line")])
    assert report.headline == (
        "No group is clearly under-represented so far. 1 group has fewer respondents than its census share, by "
        f"a margin not yet clearly beyond {BAND}: Male (ethnic group). It is too early to tell for 1: "
        "Hindu (ethnic group)."
    )


def test_the_chart_and_table_word_a_clear_difference_by_its_direction():
    from representativeness.reports.charts import ChartRow, comparison_chart
    from representativeness.stats.flags import DEFAULT_RULE
    from representativeness.templatetags.report_format import finding_words

    female, male = _compared({"Female": 905, "Male": 518}, {"Female": 5199, "Male": 4801})
    assert finding_words(female, DEFAULT_RULE) == (
        "More than the census share, not yet clearly beyond the in-line band"
    )
    assert finding_words(male, DEFAULT_RULE).startswith("Fewer than the census share")
    assert finding_words({**female, "q_value": 0.2}, DEFAULT_RULE) == "Can't tell yet"
    chart = comparison_chart(
        title="Sex",
        chart_id="c",
        rows=[
            ChartRow("Female", 0.64, 0.61, 0.66, 0.52, "too_few_responses", clear_difference="more"),
            ChartRow("Other", 0.01, 0.0, 0.05, 0.01, "too_few_responses"),
        ],
    )
    assert "More than census" in chart and chart.count("Can&#x27;t tell yet") == 1
