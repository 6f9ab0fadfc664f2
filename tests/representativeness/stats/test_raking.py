"""Hand-computed checks of raking, its diagnostics and its handling of awkward data."""

import numpy as np
import pandas as pd
import pytest

from representativeness.stats import (
    collapse_to_hierarchy,
    kish_design_effect,
    poststratify,
    rake,
    rake_cells,
)

# ONS Census 2021 ethnic group: 19 detailed categories in 5 broad groups.
ETHNIC_19_TO_5 = {
    "Bangladeshi": "Asian",
    "Chinese": "Asian",
    "Indian": "Asian",
    "Pakistani": "Asian",
    "Other Asian": "Asian",
    "African": "Black",
    "Caribbean": "Black",
    "Other Black": "Black",
    "White and Asian": "Mixed",
    "White and Black African": "Mixed",
    "White and Black Caribbean": "Mixed",
    "Other Mixed": "Mixed",
    "English, Welsh, Scottish, Northern Irish or British": "White",
    "Irish": "White",
    "Gypsy or Irish Traveller": "White",
    "Roma": "White",
    "Other White": "White",
    "Arab": "Other",
    "Any other ethnic group": "Other",
}


def test_kish_design_effect_by_hand() -> None:
    # n = 3, sum w = 4, sum w^2 = 6: deff = 3 * 6 / 16.
    assert kish_design_effect([1.0, 1.0, 2.0]) == pytest.approx(18 / 16)
    # The same weights given as cells: weight 1 for 2 respondents, weight 2 for 1.
    assert kish_design_effect([1.0, 2.0], counts=[2, 1]) == pytest.approx(18 / 16)
    assert kish_design_effect([3.0, 3.0, 3.0]) == pytest.approx(1.0)


def test_one_characteristic_by_hand() -> None:
    # 3 women, 1 man; census 50/50. Women: 0.5 * 4 / 3 = 2/3 each, the man 0.5 * 4 / 1 = 2.
    sample = pd.DataFrame({"sex": ["F", "F", "F", "M"]})
    result = rake(sample, {"sex": {"F": 50, "M": 50}})
    np.testing.assert_allclose(result.weights.to_numpy(), [2 / 3, 2 / 3, 2 / 3, 2.0])
    assert result.converged
    assert result.iterations == 1
    # deff = 4 * (3 * 4/9 + 4) / 4^2 = 4/3; effective n = 4 / (4/3) = 3.
    assert result.design_effect == pytest.approx(4 / 3)
    assert result.effective_sample_size == pytest.approx(3.0)
    assert result.min_weight == pytest.approx(2 / 3)
    assert result.max_weight == pytest.approx(2.0)
    assert result.capped == 0
    assert result.max_margin_error <= 1e-10


def test_two_characteristics_by_hand() -> None:
    # A balanced 2x2 sample raked to age 75/25, sex 50/50: age alone fixes both margins.
    sample = pd.DataFrame({"age": ["a", "a", "b", "b"], "sex": ["m", "f", "m", "f"]})
    result = rake(sample, {"age": {"a": 0.75, "b": 0.25}, "sex": {"m": 1, "f": 1}})
    np.testing.assert_allclose(result.weights.to_numpy(), [1.5, 1.5, 0.5, 0.5])
    assert result.iterations == 1
    assert result.design_effect == pytest.approx(4 * (2 * 2.25 + 2 * 0.25) / 16)


def test_missing_answer_is_its_own_level_and_keeps_its_share() -> None:
    # 1 of 5 did not answer: they keep weight 1 (share 1/5); F and M share the other 4/5 equally.
    sample = pd.DataFrame({"sex": ["F", "F", "F", "M", np.nan]})
    result = rake(sample, {"sex": {"F": 50, "M": 50}})
    np.testing.assert_allclose(result.weights.to_numpy(), [2 / 3, 2 / 3, 2 / 3, 2.0, 1.0])
    no_answer = result.margins[result.margins["no_answer"]]
    assert no_answer["target_share"].tolist() == pytest.approx([0.2])
    assert no_answer["weighted_share"].tolist() == pytest.approx([0.2])
    assert any("did not answer" in note for note in result.notes)


def test_missing_share_uses_base_weights() -> None:
    # Base weights 1,1,1,1,4: the non-respondent holds 4/8 of the base weight and keeps it.
    sample = pd.DataFrame({"sex": ["F", "F", "F", "M", np.nan]})
    result = rake(sample, {"sex": {"F": 1, "M": 1}}, weights=[1, 1, 1, 1, 4])
    w = result.weights.to_numpy()
    assert w.mean() == pytest.approx(1.0)
    assert w[4] / w.sum() == pytest.approx(0.5)
    assert w[:3].sum() / w.sum() == pytest.approx(0.25)
    assert w[3] / w.sum() == pytest.approx(0.25)


def test_counts_and_shares_give_the_same_weights() -> None:
    sample = pd.DataFrame({"age": list("aabbbc"), "sex": list("mfmffm")})
    counts = rake(sample, {"age": {"a": 200, "b": 500, "c": 300}, "sex": {"m": 480, "f": 520}})
    shares = rake(sample, {"age": {"a": 0.2, "b": 0.5, "c": 0.3}, "sex": {"m": 0.48, "f": 0.52}})
    np.testing.assert_allclose(counts.weights, shares.weights, rtol=1e-12)


def test_categorical_columns_give_the_same_weights() -> None:
    sample = pd.DataFrame({"age": list("aabbbc"), "sex": ["m", "f", None, "f", "f", "m"]})
    targets = {"age": {"a": 2, "b": 5, "c": 3}, "sex": {"m": 48, "f": 52}}
    plain = rake(sample, targets)
    # Unused and differently ordered categories must not matter.
    categorical = sample.astype({"age": pd.CategoricalDtype(["c", "b", "a", "z"]), "sex": "category"})
    np.testing.assert_allclose(rake(categorical, targets).weights, plain.weights, rtol=1e-12)


def test_weights_are_on_the_sample_index() -> None:
    sample = pd.DataFrame({"sex": ["F", "M", "F"]}, index=[10, 30, 20])
    result = rake(sample, {"sex": {"F": 1, "M": 1}})
    assert result.weights.index.equals(sample.index)
    assert result.weights.loc[30] == pytest.approx(1.5)


def test_unknown_respondent_category_is_a_clear_error() -> None:
    sample = pd.DataFrame({"sex": ["F", "M", "X", "Y"]})
    with pytest.raises(ValueError, match=r"'sex'.*not in its targets.*'X', 'Y'"):
        rake(sample, {"sex": {"F": 1, "M": 1}})
    with pytest.raises(ValueError, match=r"not in its targets.*'X'"):
        rake(sample.astype("category"), {"sex": {"F": 1, "M": 1}})


def test_zero_target_for_a_category_with_respondents_is_an_error() -> None:
    sample = pd.DataFrame({"sex": ["F", "M"]})
    with pytest.raises(ValueError, match="zero for categories that have respondents"):
        rake(sample, {"sex": {"F": 1, "M": 0}})


def test_bad_arguments_are_errors() -> None:
    sample = pd.DataFrame({"sex": ["F", "M"]})
    targets = {"sex": {"F": 1, "M": 1}}
    with pytest.raises(ValueError, match="no column 'age'"):
        rake(sample, {"age": {"a": 1}})
    with pytest.raises(ValueError, match="at least 1"):
        rake(sample, targets, cap=0.5)
    with pytest.raises(ValueError, match="positive"):
        rake(sample, targets, weights=[1.0, -1.0])
    with pytest.raises(ValueError, match="non-negative"):
        rake(sample, {"sex": {"F": 1, "M": -1}})


def test_empty_category_without_hierarchy_leaves_the_characteristic_out() -> None:
    sample = pd.DataFrame({"age": ["a", "a", "b", "b"], "sex": ["F", "F", "F", "M"]})
    result = rake(sample, {"age": {"a": 1, "b": 1, "c": 1}, "sex": {"F": 1, "M": 1}})
    assert result.empty_categories == {"age": ["c"]}
    assert result.dropped == ["age"]
    assert result.collapsed == {}
    assert any("age" in note and "left out" in note for note in result.notes)
    # Raked on sex alone.
    np.testing.assert_allclose(result.weights.to_numpy(), [2 / 3, 2 / 3, 2 / 3, 2.0])
    assert set(result.margins["characteristic"]) == {"sex"}


def ethnic_sample() -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    # Respondents in only some detailed groups, but in every broad group.
    present = ["Indian", "Pakistani", "African", "White and Asian", "Irish", "Other White", "Arab"]
    labels = [present[i % len(present)] for i in range(40)]
    labels += ["English, Welsh, Scottish, Northern Irish or British"] * 30
    sexes = ["F" if i % 3 else "M" for i in range(len(labels))]
    targets = {
        "ethnicity": {label: 10.0 + i for i, label in enumerate(ETHNIC_19_TO_5)},
        "sex": {"F": 51.0, "M": 49.0},
    }
    return pd.DataFrame({"ethnicity": labels, "sex": sexes}), targets


def test_empty_detailed_categories_collapse_to_broad_groups() -> None:
    sample, targets = ethnic_sample()
    result = rake(sample, targets, hierarchy={"ethnicity": ETHNIC_19_TO_5})
    assert sorted(result.empty_categories["ethnicity"]) == sorted(set(ETHNIC_19_TO_5) - set(sample["ethnicity"]))
    assert result.dropped == []
    assert set(result.collapsed["ethnicity"]) == {"Asian", "Black", "Mixed", "White", "Other"}
    assert result.collapsed["ethnicity"]["Black"] == ["African", "Caribbean", "Other Black"]
    assert any("5 broad groups" in note for note in result.notes)
    assert result.converged
    # Same as collapsing up front and raking the broad groups.
    collapsed = collapse_to_hierarchy(sample, targets, {"ethnicity": ETHNIC_19_TO_5})
    assert collapsed.sample["ethnicity"].nunique() == 5
    np.testing.assert_allclose(rake(collapsed.sample, collapsed.targets).weights, result.weights, rtol=1e-12)
    broad = result.margins[result.margins["characteristic"] == "ethnicity"]
    asian_share = sum(targets["ethnicity"][k] for k, v in ETHNIC_19_TO_5.items() if v == "Asian") / sum(
        targets["ethnicity"].values()
    )
    assert broad.set_index("category").loc["Asian", "weighted_share"] == pytest.approx(asian_share)


def test_empty_broad_group_leaves_the_characteristic_out() -> None:
    sample, targets = ethnic_sample()
    sample = sample[sample["ethnicity"] != "Arab"]  # nobody in the broad group "Other" now
    result = rake(sample, targets, hierarchy={"ethnicity": ETHNIC_19_TO_5})
    assert result.dropped == ["ethnicity"]
    assert result.collapsed == {}
    assert any("even the broad groups" in note for note in result.notes)


def test_hierarchy_must_cover_the_target_categories() -> None:
    sample, targets = ethnic_sample()
    partial = {k: v for k, v in ETHNIC_19_TO_5.items() if k != "Roma"}
    with pytest.raises(ValueError, match="Roma"):
        rake(sample, targets, hierarchy={"ethnicity": partial})


def test_non_convergence_is_reported_not_raised() -> None:
    # Strongly associated characteristics: one sweep cannot fix both margins.
    sample = pd.DataFrame({"age": list("aaaaaaaabbbbcc"), "sex": list("mmmmmmmfmfffmf")})
    targets = {"age": {"a": 1, "b": 1, "c": 1}, "sex": {"m": 1, "f": 1}}
    result = rake(sample, targets, max_iter=1)
    assert not result.converged
    assert result.iterations == 1
    assert result.max_margin_error > 1e-3
    assert any("did not converge" in note for note in result.notes)
    assert result.weights.mean() == pytest.approx(1.0)
    assert rake(sample, targets).converged


def test_cap_holds_and_capped_respondents_are_counted() -> None:
    sample = pd.DataFrame({"age": ["a"] * 80 + ["b"] * 15 + ["c"] * 5, "sex": (["m", "f"] * 50)})
    targets = {"age": {"a": 1, "b": 1, "c": 1}, "sex": {"m": 1, "f": 1}}
    uncapped = rake(sample, targets)
    assert uncapped.max_weight > 6
    capped = rake(sample, targets, cap=5.0)
    # The 5 in "c" would need 6.67 each: infeasible under a cap of 5, so reported, and never above.
    assert not capped.converged
    assert capped.weights.max() <= 5.0 + 1e-12
    assert capped.capped == 5
    assert capped.weights.mean() == pytest.approx(1.0)
    feasible = rake(sample, targets, cap=7.0)  # binds only for the 2 men in "c" (7.03 uncapped)
    assert feasible.converged
    assert feasible.capped == 2
    assert feasible.max_weight == pytest.approx(7.0)
    assert rake(sample, targets, cap=8.0).capped == 0
    # Two women in "c" would get 6.89 uncapped; capped at 5.5 the others make up the difference.
    skewed = pd.DataFrame(
        {"age": ["a"] * 80 + ["b"] * 15 + ["c"] * 5, "sex": ["m" if i % 3 else "f" for i in range(100)]}
    )
    tight = rake(skewed, {"age": {"a": 2, "b": 1, "c": 1}, "sex": {"m": 1, "f": 1}}, cap=5.5)
    assert tight.converged
    assert tight.max_margin_error <= 1e-10
    assert tight.weights.max() <= 5.5 + 1e-12
    assert tight.capped == 2
    assert (tight.weights >= 5.5 * (1 - 1e-9)).sum() == tight.capped
    assert any("capped" in note for note in tight.notes)


def test_rake_cells_equals_rake_on_rows() -> None:
    sample = pd.DataFrame({"age": list("aabbbcccca"), "sex": ["m", "f", "m", None, "f", "f", "m", "f", "f", "f"]})
    targets = {"age": {"a": 3, "b": 3, "c": 4}, "sex": {"m": 1, "f": 1}}
    rows = rake(sample, targets)
    cells = sample.groupby(["age", "sex"], dropna=False).size().rename("count").reset_index()
    by_cell = rake_cells(cells, targets)
    assert by_cell.iterations == rows.iterations
    looked_up = by_cell.weights_for(sample)
    np.testing.assert_allclose(looked_up.to_numpy(), rows.weights.to_numpy(), rtol=1e-12)
    assert by_cell.design_effect == pytest.approx(rows.design_effect)
    assert by_cell.n == rows.n == 10


def test_rake_cells_with_base_weight_sums() -> None:
    sample = pd.DataFrame({"age": list("aabbc"), "sex": list("mfmff")})
    base = pd.Series([1.0, 2.0, 1.0, 1.0, 3.0])
    targets = {"age": {"a": 1, "b": 1, "c": 1}, "sex": {"m": 1, "f": 1}}
    rows = rake(sample, targets, weights=base)
    cells = sample.assign(w=base).groupby(["age", "sex"]).agg(count=("w", "size"), w=("w", "sum")).reset_index()
    by_cell = rake_cells(cells, targets, weight="w")
    np.testing.assert_allclose(by_cell.weights_for(sample.assign(b=base), base_weight="b"), rows.weights)


def test_joint_target_is_post_stratification() -> None:
    sample = pd.DataFrame({"age": list("aaabbb"), "sex": list("mffmmf")})
    joint = pd.Series(
        [10.0, 20.0, 30.0, 40.0],
        index=pd.MultiIndex.from_tuples([("a", "m"), ("a", "f"), ("b", "m"), ("b", "f")], names=["age", "sex"]),
    )
    result = poststratify(sample, joint)
    # Weight = target share * 6 respondents / respondents in the cell: (a,m) 0.1 * 6 / 1 = 0.6,
    # (a,f) 0.2 * 6 / 2 = 0.6, (b,m) 0.3 * 6 / 2 = 0.9, (b,f) 0.4 * 6 / 1 = 2.4.
    np.testing.assert_allclose(result.weights.to_numpy(), [0.6, 0.6, 0.6, 0.9, 0.9, 2.4])
    assert result.iterations == 1
    # The same through rake with a tuple key, mixed with nothing else.
    same = rake(sample, {("age", "sex"): joint.to_dict()})
    np.testing.assert_allclose(same.weights, result.weights)


def test_joint_target_with_an_empty_cell_falls_back_to_one_way_margins() -> None:
    sample = pd.DataFrame({"age": list("aaabb"), "sex": list("mffmm")})
    joint = {("a", "m"): 3.0, ("a", "f"): 2.0, ("b", "m"): 4.0, ("b", "f"): 1.0}
    result = rake(sample, {("age", "sex"): joint})
    assert result.empty_categories == {"age × sex": [("b", "f")]}
    assert any("one-way margins" in note for note in result.notes)
    assert set(result.margins["characteristic"]) == {"age", "sex"}
    assert result.converged


def test_joint_target_with_missing_part_keeps_its_share() -> None:
    sample = pd.DataFrame({"age": ["a", "a", "b", "b"], "sex": ["m", "f", "m", None]})
    joint = {("a", "m"): 1.0, ("a", "f"): 1.0, ("b", "m"): 1.0, ("b", "f"): 1.0}
    result = rake(sample, {("age", "sex"): joint})
    # The respondent with no sex keeps weight 1; the other three share 3/4 over cells present.
    assert result.weights.iloc[3] == pytest.approx(1.0)
    assert result.cells["age"].astype(object).tolist().count("b") == 2


def test_joint_target_unknown_combination_is_an_error() -> None:
    sample = pd.DataFrame({"age": ["a", "b"], "sex": ["m", "f"]})
    with pytest.raises(ValueError, match=r"not in its joint targets.*\('b', 'f'\)"):
        rake(sample, {("age", "sex"): {("a", "m"): 1.0, ("b", "m"): 1.0, ("a", "f"): 1.0}})


def test_cells_are_distinct_combinations_not_rows() -> None:
    rng = np.random.default_rng(3)
    sample = pd.DataFrame({"age": rng.choice(list("abcd"), 5000), "sex": rng.choice(list("mf"), 5000)})
    result = rake(sample, {"age": dict.fromkeys("abcd", 1.0), "sex": {"m": 1.0, "f": 1.0}})
    assert len(result.cells) == 8
    assert result.cells["count"].sum() == 5000


def test_rake_cells_collapses_along_a_hierarchy() -> None:
    sample, targets = ethnic_sample()
    cells = sample.groupby(["ethnicity", "sex"]).size().rename("count").reset_index()
    result = rake_cells(cells, targets, hierarchy={"ethnicity": ETHNIC_19_TO_5})
    assert set(result.collapsed) == {"ethnicity"}
    rows = rake(sample, targets, hierarchy={"ethnicity": ETHNIC_19_TO_5})
    np.testing.assert_allclose(result.weights_for(sample), rows.weights, rtol=1e-12)


def _rows(counts: dict[str, int], column: str) -> pd.DataFrame:
    return pd.DataFrame({column: [label for label, n in counts.items() for _ in range(n)]})


def test_small_categories_collapse_to_their_broad_group_before_raking():
    sample = _rows({"White British": 60, "Irish": 25, "Indian": 12, "Pakistani": 13}, "ethnic_group")
    targets = {"ethnic_group": {"White British": 70, "Irish": 5, "Indian": 15, "Pakistani": 10}}
    hierarchy = {"ethnic_group": {"White British": "White", "Irish": "White", "Indian": "Asian", "Pakistani": "Asian"}}
    result = rake(sample, targets, hierarchy=hierarchy, min_cell=20)
    assert result.collapsed == {"ethnic_group": {"White": ["White British", "Irish"], "Asian": ["Indian", "Pakistani"]}}
    # White 85 respondents carry 75% of the weight, Asian 25 carry 25%: weights 0.75*110/85 and 0.25*110/25.
    weights = result.weights.groupby(sample["ethnic_group"]).first()
    assert weights["Irish"] == pytest.approx(0.75 * 110 / 85)
    assert weights["Indian"] == pytest.approx(0.25 * 110 / 25)
    assert result.notes[0] == (
        "ethnic_group: some categories have fewer than 20 respondents, so it is weighted on its 2 broad groups "
        "instead of 4 categories."
    )


def test_small_categories_without_a_hierarchy_are_combined_with_the_next_smallest():
    sample = _rows({"A": 50, "B": 30, "C": 5, "D": 3}, "area")
    result = rake(sample, {"area": {"A": 40, "B": 20, "C": 25, "D": 15}}, min_cell=20)
    assert result.collapsed == {"area": {"A": ["A"], "B + C + D": ["B", "C", "D"]}}
    assert result.notes[0] == "area: C and D have fewer than 20 respondents, so they are combined with B for weighting."
    weights = result.weights.groupby(sample["area"]).first()
    assert weights["A"] == pytest.approx(0.4 * 88 / 50)
    assert weights["D"] == pytest.approx(0.6 * 88 / 38)
    assert result.max_weight == pytest.approx(0.6 * 88 / 38)  # not 0.15 * 88 / 3 = 4.4


def test_a_characteristic_with_too_few_respondents_for_two_groups_is_left_out():
    sample = _rows({"Female": 15, "Male": 4}, "sex")
    result = rake(sample, {"sex": {"Female": 51, "Male": 49}}, min_cell=20)
    assert result.used_columns == () and result.dropped == ["sex"]
    assert "too few respondents to keep even two groups of at least 20" in result.notes[0]
    assert result.max_weight == pytest.approx(1.0)
