"""The weighted equality analysis is counted by raking cell (decision 39): everyone with the same raking
characteristics carries the same weight, so each cell's counts, times its weight, give what weighting
every response one by one gives.

On the random survey of test_kept_counts (agreement scale, single choice, multiple choice, grid; age,
sex, ethnic group and disability raked to Trafford's census, religion not), every weighted figure of
every group is checked against the same figures worked out here from one row per respondent (their
answers, their group and their weight): shares, effective sizes and the Rao-Scott p-value. The
unweighted figures beside them are those of the unweighted analysis, byte for byte. On PostgreSQL the
counts are kept a row per cell, and the analysis from them is, byte for byte, what counting every answer
again gives, for both audiences, as responses arrive, the published snapshot lags, one is erased and one
is deleted straight in the database.
"""

import json
import math

import numpy as np
import pandas as pd
import pytest

from representativeness.age_bands import survey_age_bands
from representativeness.disclosure import Audience
from representativeness.disclosure.snapshot import SnapshotUnavailable
from representativeness.equality_analysis import equality_analysis_build
from representativeness.equality_analysis.characteristics import NOT_STATED, analysis_characteristics
from representativeness.equality_analysis.counting import _WeightedSums
from representativeness.equality_analysis.items import NOT_SELECTED, survey_items
from representativeness.equality_analysis.serialize import analysis_as_dict
from representativeness.selectors import age_band_label
from representativeness.stats.rao_scott import rao_scott_test
from representativeness.weighting import DEFAULT_CHARACTERISTICS, survey_rake
from surveys.equality import kept_counts
from surveys.equality.selectors import AGE_BAND, ProfileFilter, survey_equality_keys
from surveys.models import (
    Answer,
    EqualityAnswerCellCounts,
    EqualityAnswerCounts,
    EqualityProfile,
)
from tests.representativeness.equality_analysis.test_kept_counts import ON_POSTGRES, TWELVE_MORE, each_change
from tests.representativeness.equality_analysis.test_kept_counts import random_survey as random_survey  # noqa: F401

pytestmark = pytest.mark.django_db

TRAFFORD = "E08000009"


@pytest.fixture
def survey(shipped_census, random_survey):  # noqa: F811
    return random_survey


def build(survey, audience: Audience, *, weighted: bool = True):
    return equality_analysis_build(survey=survey, audience=audience, weighted=weighted, area_code=TRAFFORD)


def text(survey, audience: Audience, monkeypatch=None, *, kept: bool = True, weighted: bool = True) -> str:
    if kept:
        data = analysis_as_dict(build(survey, audience, weighted=weighted))
    else:
        with monkeypatch.context() as patched:  # count every answer again, as without kept counts
            patched.setattr(ProfileFilter, "keeps_counts", property(lambda self: False))
            data = analysis_as_dict(build(survey, audience, weighted=weighted))
    data.pop("generated_at")
    return json.dumps(data, indent=2, allow_nan=False)


def respondents(survey) -> pd.DataFrame:
    """One row per respondent: their profile's columns, their age band and their answers' choices."""
    profiles = pd.DataFrame(
        EqualityProfile.objects.filter(survey=survey).values(
            "response_id", "age", "sex", "ethnic_group", "long_term_condition", "disability", "religion"
        )
    )
    labels = []
    for age in profiles["age"]:
        band = None
        for low, high in survey_age_bands(survey.minimum_age):
            if age is not None and not math.isnan(age) and low <= age and (high is None or age <= high):
                band = age_band_label((low, high))
        labels.append(band)
    profiles[AGE_BAND] = labels
    return profiles.astype(object).where(profiles.notna(), None).set_index("response_id")


def test_every_weighted_figure_is_what_weighting_each_respondent_gives(survey):
    analysis = build(survey, Audience.EXACT)
    raked = survey_rake(
        survey=survey, area_code=TRAFFORD, characteristics=DEFAULT_CHARACTERISTICS, audience=Audience.EXACT
    )
    assert set(raked.rake.used_columns) >= {"age", "sex", "ethnic_group", "disability"}, raked.rake.notes
    people = respondents(survey)
    labelled = raked.labelled(people[list(raked.columns)].reset_index(drop=True))
    weight = raked.rake.weights_for(labelled[list(raked.rake.used_columns)]).to_numpy()
    weight_of = dict(zip(people.index, weight, strict=True))
    assert len(set(np.round(weight, 12))) > 20  # many cells, many weights
    answers = list(
        Answer.objects.filter(response__survey=survey).values_list(
            "response_id", "question_id", "grid_row_id", "choice_id"
        )
    )
    characteristics = {
        c.slot: c
        for c in analysis_characteristics(
            asked=survey_equality_keys(survey_id=survey.pk), minimum_age=survey.minimum_age, detailed=True
        )
    }
    checked = 0
    for item in survey_items(survey):
        # Each respondent's columns of this item.
        columns: dict[object, set[str]] = {}
        for response, question, row, choice in answers:
            if question == item.question_id and row == item.grid_row_id and choice in item.column_of_choice:
                columns.setdefault(response, set()).add(item.column_of_choice[choice])
        if item.multiple:
            for chosen in columns.values():
                chosen |= {f"{o.column}: {NOT_SELECTED}" for o in item.outcomes if o.column not in chosen}
        for outcome in (o for o in analysis.outcomes if (o.question, o.row) == (item.question, item.row)):
            column = next(o.column for o in item.outcomes if o.answer == outcome.answer)
            partition = next(p for p in item.partitions if column in p)
            for result in outcome.characteristics:
                characteristic = characteristics[result.key if result.level == "broad" else f"{result.key}.detailed"]
                rows = []
                for response, mine in columns.items():
                    if not mine & set(partition):
                        continue
                    values = tuple(people.at[response, c] for c in characteristic.columns)
                    group = characteristic.group_of(values)
                    if group != NOT_STATED:
                        rows.append((group, column in mine, weight_of[response]))
                frame = pd.DataFrame(rows, columns=["group", "chose", "weight"])
                for published in result.groups:
                    mine_ = frame["group"] == published.group
                    sides = []
                    for side in (frame[mine_], frame[~mine_]):
                        w = side["weight"].to_numpy()
                        total = w.sum()
                        share = w[side["chose"].to_numpy()].sum() / total if total else math.nan
                        sides.append((share, total**2 / (w * w).sum() if total else 0.0))
                    test = rao_scott_test(
                        np.where(mine_, 0, 1),
                        np.where(frame["chose"], 0, 1),
                        frame["weight"],
                        np.ones(len(frame)),
                        shape=(2, 2),
                    )
                    p_value = 1.0 if math.isnan(test.p_value) and mine_.any() and (~mine_).any() else test.p_value
                    figures = published.weighted
                    expected = {
                        "share": sides[0][0],
                        "effective_respondents": sides[0][1],
                        "others_share": sides[1][0],
                        "others_effective_respondents": sides[1][1],
                        "p_value": p_value,
                    }
                    for name, value in expected.items():
                        if figures.get(name) is None:
                            assert math.isnan(value) or name == "p_value", (name, value)
                            continue
                        assert figures[name] == pytest.approx(value, rel=1e-9, abs=1e-12), (
                            outcome.answer,
                            published.group,
                            name,
                        )
                        checked += 1
    assert checked > 500


def test_unweighted_figures_beside_the_weighted_ones_are_the_unweighted_analysis(survey):
    weighted = json.loads(text(survey, Audience.EXACT))
    unweighted = json.loads(text(survey, Audience.EXACT, weighted=False))
    for question, plain in zip(weighted["questions"], unweighted["questions"], strict=True):
        for both, alone in zip(question["characteristics"], plain["characteristics"], strict=True):
            assert both["respondents"] == alone["respondents"]
            for group, same in zip(both["groups"], alone["groups"], strict=True):
                assert {k: v for k, v in group.items() if k not in ("weighted", "weighting_changes_flag")} == same


def test_the_weighted_figures_are_the_same_wherever_the_chunks_of_cells_fall(survey, monkeypatch):
    """Cells are read a chunk at a time and their counts added up a block of cells at a time, but each sum
    takes its terms cell after cell in key order whatever the sizes: the same figures to the last digit."""
    expected = text(survey, Audience.EXACT)
    for cells, pairs, block in ((1, 2**16, 1), (7, 2**16, 50), (64, 2**16, 1000), (5000, 10, 1000)):
        with monkeypatch.context() as patched:
            patched.setattr(kept_counts, "READ_CELLS", cells)
            patched.setattr(kept_counts, "READ_PAIRS", pairs)
            patched.setattr(_WeightedSums, "BLOCK", block)
            assert text(survey, Audience.EXACT) == expected, (cells, pairs, block)


def assert_kept_same(survey, monkeypatch) -> None:
    for audience in (Audience.EXACT, Audience.PROTECTED):
        try:
            counted_again = text(survey, audience, monkeypatch, kept=False)
        except SnapshotUnavailable:  # an erasure withholds the published figures until the next refresh
            with pytest.raises(SnapshotUnavailable):
                text(survey, audience)
            continue
        assert text(survey, audience) == counted_again, audience
        assert text(survey, audience) == counted_again, audience  # and again, from the counts now kept


@ON_POSTGRES
def test_counts_kept_by_cell_give_the_same_weighted_analysis_as_counting_again(survey, monkeypatch, settings):
    settings.REPRESENTATIVENESS = {**settings.REPRESENTATIVENESS, "SNAPSHOT_REFRESH_AFTER": 25}
    assert_kept_same(survey, monkeypatch)
    # A row per raking cell, each with its counts; nothing kept in the entry's own rows.
    (entry,) = [e for e in EqualityAnswerCounts.objects.filter(survey=survey) if e.coordinates]
    assert entry.chosen == [] and entry.profiles == 400
    cells = EqualityAnswerCellCounts.objects.filter(entry=entry)
    assert 50 < cells.count() < 400
    for change in each_change(survey):
        if change == "erased":  # the cells with their entry
            assert not EqualityAnswerCellCounts.objects.filter(entry__survey=survey).exists()
        assert_kept_same(survey, monkeypatch)
        if change == TWELVE_MORE:  # the exact figures count them, the published snapshot does not yet
            assert json.loads(text(survey, Audience.PROTECTED))["respondents"] == 400
