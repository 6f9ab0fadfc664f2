"""Respondents against the census: known answers computed here, independently of statsmodels."""

import json
import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from representativeness.stats.comparison import (
    COMPARISON_COLUMNS,
    EXTRA_COLUMNS,
    adjust_report,
    compare_characteristic,
    compare_report,
    comparison_records,
)
from representativeness.stats.flags import FlagRule


def _binomial_pmf(k: int, n: int, p: float) -> float:
    return math.comb(n, k) * p**k * (1 - p) ** (n - k)


def _wilson(count: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval, straight from its formula."""
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p_hat = count / n
    centre = (p_hat + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p_hat * (1 - p_hat) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def _wilson_continuous(count: float, n: float) -> tuple[float, float]:
    z = NormalDist().inv_cdf(0.975)
    p_hat = count / n
    centre = (p_hat + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p_hat * (1 - p_hat) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def _fake_table(p_smaller: list[float], p_larger: list[float], direction: list[str]) -> pd.DataFrame:
    """A comparison table reduced to what adjust_report and the flag read."""
    size = len(p_smaller)
    return pd.DataFrame(
        {
            "respondents": [50] * size,
            "share": [0.5] * size,
            "census_share": [0.5] * size,
            "ratio": [1.0] * size,
            "ratio_low": [0.9] * size,
            "ratio_high": [1.1] * size,
            "direction": direction,
            "p_smaller": p_smaller,
            "p_larger": p_larger,
            "q_value": [np.nan] * size,
        },
        index=[f"c{i}" for i in range(size)],
    )


class TestKnownAnswer:
    """n = 200, a group with 12 respondents against a census share of 0.10."""

    respondents = pd.Series({"Group A": 12, "Everyone else": 188})
    census = pd.Series({"Group A": 10_000, "Everyone else": 90_000})

    def table(self) -> pd.DataFrame:
        return compare_characteristic(self.respondents, self.census)

    def test_columns(self):
        assert tuple(self.table().columns) == COMPARISON_COLUMNS + EXTRA_COLUMNS

    def test_share_ratio_gap(self):
        row = self.table().loc["Group A"]
        assert row["respondents"] == 12
        assert row["share"] == pytest.approx(0.06)
        assert row["census_share"] == pytest.approx(0.10)
        assert row["ratio"] == pytest.approx(0.6)
        assert row["gap"] == pytest.approx(-0.04)
        assert row["expected"] == pytest.approx(20.0)
        assert row["direction"] == "smaller"

    def test_wilson_interval_on_the_ratio(self):
        low, high = _wilson(12, 200)
        row = self.table().loc["Group A"]
        assert row["share_low"] == pytest.approx(low, rel=1e-12)
        assert row["share_high"] == pytest.approx(high, rel=1e-12)
        assert row["ratio_low"] == pytest.approx(low / 0.10, rel=1e-12)
        assert row["ratio_high"] == pytest.approx(high / 0.10, rel=1e-12)
        # Worked by hand too, so a wrong formula in the helper would show: about (0.0347, 0.1019).
        assert (row["share_low"], row["share_high"]) == pytest.approx((0.03465, 0.10193), abs=1e-5)

    def test_exact_one_sided_binomial_p_values(self):
        p_smaller = sum(_binomial_pmf(k, 200, 0.1) for k in range(0, 13))
        p_larger = sum(_binomial_pmf(k, 200, 0.1) for k in range(12, 201))
        row = self.table().loc["Group A"]
        assert row["p_smaller"] == pytest.approx(p_smaller, rel=1e-9)
        assert row["p_larger"] == pytest.approx(p_larger, rel=1e-9)
        # The reported p is the test in the direction of the gap (share below census: "smaller").
        assert row["p_value"] == row["p_smaller"]
        # The two tails overlap at k = 12, so they sum to 1 + P(X = 12).
        assert p_smaller + p_larger == pytest.approx(1 + _binomial_pmf(12, 200, 0.1))

    def test_q_and_flag_wait_for_the_whole_report(self):
        table = self.table()
        assert table["q_value"].isna().all()
        assert table["flag"].isna().all()

    def test_report_fills_q_and_flag(self):
        table = adjust_report({"ethnic": self.table()})["ethnic"]
        assert table["q_value"].notna().all()
        # RR 0.6 but the interval (about 0.35 to 1.02) reaches into the in-line band: can't tell yet, and
        # the responses that would put the interval wholly below 0.8 are found by hand below.
        assert table.loc["Group A", "flag"] == "too_few_responses"
        total = 200 + int(table.loc["Group A", "responses_to_settle"])
        assert _wilson_continuous(0.06 * total, total)[1] / 0.1 < 0.8
        assert _wilson_continuous(0.06 * (total - 1), total - 1)[1] / 0.1 >= 0.8
        assert total == 707
        assert table.loc["Group A", "small_count"]
        assert not table.loc["Everyone else", "small_count"]

    def test_outreach_to_parity(self):
        # x = (1 * 0.1 * 200 - 12) / (1 - 0.1) = 8.9 -> 9
        assert self.table().loc["Group A", "outreach_needed"] == 9
        assert self.table().loc["Everyone else", "outreach_needed"] == 0


class TestBenjaminiHochberg:
    def test_q_values_match_a_hand_computation_over_both_directions(self):
        tables = {
            "sex": _fake_table([0.001, 0.04], [0.999, 0.97], ["smaller", "smaller"]),
            "religion": _fake_table([0.6], [0.02], ["larger"]),
        }
        # Family of 2m = 6: 0.001, 0.02, 0.04, 0.6, 0.97, 0.999 (ranks 1..6).
        # p * 6 / rank: 0.006, 0.06, 0.08, 0.9, 1.164, 0.999; then a running minimum from the top:
        # 0.006, 0.06, 0.08, 0.9, 0.999, 0.999.
        result = adjust_report(tables)
        assert result["sex"]["q_value"].tolist() == pytest.approx([0.006, 0.08])
        assert result["sex"]["q_larger"].tolist() == pytest.approx([0.999, 0.999])
        assert result["religion"]["q_value"].tolist() == pytest.approx([0.06])
        assert result["religion"]["q_smaller"].tolist() == pytest.approx([0.9])

    def test_choosing_the_direction_after_the_fact_is_paid_for(self):
        # Had only the observed direction gone into the family (m = 3: 0.001, 0.02, 0.04), the q of
        # 0.04 would be 0.04 * 3 / 3 = 0.04 < 0.05. With both directions it is 0.08: not significant.
        tables = {
            "sex": _fake_table([0.001, 0.04], [0.999, 0.97], ["smaller", "smaller"]),
            "religion": _fake_table([0.6], [0.02], ["larger"]),
        }
        assert adjust_report(tables)["sex"].loc["c1", "q_value"] == pytest.approx(0.08)

    def test_the_family_spans_every_table_of_the_report(self):
        alone = adjust_report({"sex": _fake_table([0.01], [0.995], ["smaller"])})
        together = adjust_report(
            {
                "sex": _fake_table([0.01], [0.995], ["smaller"]),
                "age": _fake_table([0.5, 0.7], [0.6, 0.4], ["smaller", "larger"]),
            }
        )
        # Alone: family 0.01, 0.995 -> 0.01 * 2 = 0.02. Together: 6 tests -> 0.01 * 6 = 0.06.
        assert alone["sex"].loc["c0", "q_value"] == pytest.approx(0.02)
        assert together["sex"].loc["c0", "q_value"] == pytest.approx(0.06)

    def test_no_gap_reports_the_lesser_of_the_two(self):
        result = adjust_report({"x": _fake_table([0.6], [0.55], ["none"])})["x"]
        assert result.loc["c0", "q_value"] == pytest.approx(0.6)  # both: min(0.6*2/2, 0.55*2/1) = 0.6

    def test_untestable_rows_stay_out_of_the_family(self):
        respondents = pd.Series({"A": 30, "B": 170})
        census = pd.Series({"A": 100, "B": 900})
        with_zero = pd.Series({"A": 30, "B": 170, "Roma": 0})
        census_with_zero = pd.Series({"A": 100, "B": 900, "Roma": 0})
        nobody = pd.Series({"X": 0, "Y": 0})
        plain = adjust_report({"e": compare_characteristic(respondents, census)})["e"]
        padded = adjust_report(
            {
                "e": compare_characteristic(with_zero, census_with_zero),
                "unanswered": compare_characteristic(nobody, pd.Series({"X": 5, "Y": 5})),
            }
        )["e"]
        assert padded.loc[["A", "B"], "q_value"].tolist() == pytest.approx(plain["q_value"].tolist())
        assert math.isnan(padded.loc["Roma", "q_value"])

    def test_method_is_named_and_can_be_changed(self):
        tables = {"x": _fake_table([0.01, 0.02], [0.99, 0.98], ["smaller", "smaller"])}
        bh = adjust_report(tables)["x"]["q_value"]
        by = adjust_report(tables, method="fdr_by")["x"]["q_value"]
        assert (by > bh).all()

    def test_an_empty_report(self):
        assert adjust_report({}) == {}


class TestEdgeCases:
    def test_category_with_no_respondents_and_plenty_of_evidence(self):
        table = compare_report(
            {"ethnic": (pd.Series({"Roma": 0, "Other": 2000}), pd.Series({"Roma": 1, "Other": 99}))}
        )["ethnic"]
        row = table.loc["Roma"]
        assert row["share"] == 0
        assert row["ratio"] == 0
        assert row["ratio_low"] == 0  # exactly, not 1e-18
        assert row["p_value"] == pytest.approx(0.99**2000, rel=1e-9)
        assert row["flag"] == "under_represented"
        assert row["outreach_needed"] == math.ceil(0.01 * 2000 / 0.99)

    def test_category_with_no_respondents_and_little_evidence(self):
        table = compare_report({"ethnic": (pd.Series({"Roma": 0, "Other": 50}), pd.Series({"Roma": 1, "Other": 99}))})[
            "ethnic"
        ]
        # Wilson upper bound on 0/50 is about 0.071, so RR could be anywhere from 0 to about 7.
        assert table.loc["Roma", "flag"] == "too_few_responses"

    def test_census_category_of_zero(self):
        table = compare_report(
            {
                "religion": (
                    pd.Series({"Christian": 120, "Muslim": 60, "Jedi": 20}),
                    pd.Series({"Christian": 6000, "Muslim": 4000, "Jedi": 0}),
                )
            }
        )["religion"]
        row = table.loc["Jedi"]
        assert row["census_share"] == 0
        assert row["share"] == pytest.approx(0.1)
        for column in ("ratio", "ratio_low", "ratio_high", "p_value", "q_value", "p_smaller", "p_larger"):
            assert math.isnan(row[column]), column
        assert row["flag"] == "no_census_baseline"
        assert pd.isna(row["outreach_needed"])
        assert np.isfinite(table.select_dtypes("number").to_numpy(dtype=float, na_value=0.0)).all()
        records = comparison_records(table)
        json.dumps(records, allow_nan=False)  # no NaN or inf reaches JSON
        jedi = next(record for record in records if record["category"] == "Jedi")
        assert jedi["ratio"] is None and jedi["outreach_needed"] is None and jedi["flag"] == "no_census_baseline"

    def test_everyone_preferred_not_to_say(self):
        categories = ["White", "Asian", "Black", "Mixed", "Other"]
        table = compare_report(
            {
                "ethnic": (
                    pd.Series(0, index=categories),
                    pd.Series([800, 90, 40, 30, 40], index=categories),
                )
            }
        )["ethnic"]
        assert (table["flag"] == "too_few_responses").all()
        assert table["share"].isna().all() and table["ratio"].isna().all() and table["q_value"].isna().all()
        assert table["census_share"].sum() == pytest.approx(1)
        assert table["outreach_needed"].isna().all()
        json.dumps(comparison_records(table), allow_nan=False)

    def test_a_single_category(self):
        table = compare_report({"only": (pd.Series({"All": 40}), pd.Series({"All": 1000}))})["only"]
        row = table.loc["All"]
        assert row["share"] == 1 and row["ratio"] == 1 and row["ratio_high"] == 1
        assert math.isnan(row["p_value"])  # nothing to test: the census leaves no room for chance
        assert row["flag"] == "in_line"

    @pytest.mark.parametrize(
        ("count", "flag"),
        [
            (15_500, "under_represented"),  # RR 0.775, interval wholly below 0.8
            (16_000, "too_few_responses"),  # RR exactly 0.8: its interval straddles the edge
            (16_500, "in_line"),  # RR 0.825, interval wholly inside
            (24_400, "in_line"),  # RR 1.22
            (25_000, "too_few_responses"),  # RR exactly 1.25
            (25_600, "over_represented"),  # RR 1.28, interval wholly above 1.25
        ],
    )
    def test_the_interval_decides_against_the_band(self, count, flag):
        # 200,000 respondents, census share 0.1: intervals about +-0.013 on the ratio.
        n = 200_000
        table = compare_report({"x": (pd.Series({"A": count, "B": n - count}), pd.Series({"A": 100, "B": 900}))})["x"]
        row = table.loc["A"]
        assert table.loc["A", "flag"] == flag
        if count in (16_000, 25_000):
            assert row["ratio"] == {16_000: 0.8, 25_000: 1.25}[count]
            assert pd.isna(row["responses_to_settle"])  # on the edge: no amount of data settles it

    def test_wide_interval_means_too_few_responses(self):
        table = compare_report({"x": (pd.Series({"A": 2, "B": 18}), pd.Series({"A": 10, "B": 90}))})["x"]
        assert table.loc["A", "ratio_low"] < 0.8 and table.loc["A", "ratio_high"] > 1.25
        assert table.loc["A", "flag"] == "too_few_responses"

    def test_over_represented(self):
        table = compare_report({"x": (pd.Series({"A": 90, "B": 210}), pd.Series({"A": 200, "B": 800}))})["x"]
        assert table.loc["A", "ratio"] == pytest.approx(1.5)
        assert table.loc["A", "flag"] == "over_represented"
        assert table.loc["B", "direction"] == "smaller"

    def test_thresholds_come_from_the_rule(self):
        inputs = {"x": (pd.Series({"A": 3_400, "B": 16_600}), pd.Series({"A": 200, "B": 800}))}
        # RR 0.85, interval about 0.82 to 0.88: in line with the default band, under a 0.9 edge.
        assert compare_report(inputs)["x"].loc["A", "flag"] == "in_line"
        strict = FlagRule(under_ratio=0.9, small_count=5_000, outreach_target=0.9)
        table = compare_report(inputs, rule=strict)["x"]
        assert table.loc["A", "flag"] == "under_represented"
        assert table.loc["A", "small_count"]
        # x = (0.9 * 0.2 * 20000 - 3400) / (1 - 0.18) = 200 / 0.82 = 243.9 -> 244
        assert table.loc["A", "outreach_needed"] == 244

    def test_clopper_pearson_is_wider_than_wilson_here(self):
        inputs = (pd.Series({"A": 3, "B": 97}), pd.Series({"A": 5, "B": 95}))
        wilson = compare_characteristic(*inputs).loc["A"]
        beta = compare_characteristic(*inputs, rule=FlagRule(interval_method="beta")).loc["A"]
        assert beta["ratio_high"] > wilson["ratio_high"]

    def test_categories_follow_the_respondents_order(self):
        table = compare_characteristic(pd.Series({"B": 5, "A": 5}), pd.Series({"A": 1, "B": 3}))
        assert table.index.tolist() == ["B", "A"]
        assert table["census_share"].tolist() == [0.75, 0.25]

    @pytest.mark.parametrize(
        ("respondents", "census"),
        [
            (pd.Series({"A": 1}), pd.Series({"B": 1})),
            (pd.Series({"A": -1, "B": 2}), pd.Series({"A": 1, "B": 1})),
            (pd.Series({"A": 1.5, "B": 2}), pd.Series({"A": 1, "B": 1})),
            (pd.Series({"A": 1, "B": 2}), pd.Series({"A": 0, "B": 0})),
            (pd.Series(dtype="int64"), pd.Series(dtype="int64")),
        ],
    )
    def test_bad_input_is_refused(self, respondents, census):
        with pytest.raises(ValueError):
            compare_characteristic(respondents, census)


def test_no_realistic_number_of_responses_settles_a_finding_beyond_the_areas_population():
    from representativeness.stats.comparison import compare_report

    respondents = pd.Series([21, 79], index=["Irish", "Everyone else"])
    # A ratio of 0.84 is settled as in line only at about 6,000 responses: more than a ward of 1,000 people.
    (ward,) = compare_report({"w": (respondents, pd.Series([250, 750], index=respondents.index))}).values()
    assert list(ward["flag"]) == ["too_few_responses", "in_line"]
    assert ward["responses_to_settle"].isna().all()
    assert list(ward["settle_beyond_population"]) == [True, False]
    # In a borough of 100,000 the same figures are settled by a number of responses it could give.
    (borough,) = compare_report({"b": (respondents, pd.Series([25_000, 75_000], index=respondents.index))}).values()
    assert 5_000 < borough["responses_to_settle"]["Irish"] < 100_000
    assert not borough["settle_beyond_population"].any()
