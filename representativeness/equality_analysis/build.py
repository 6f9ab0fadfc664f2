"""equality_analysis_build: answers by group, tested, adjusted, flagged, protected and put into words."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils import timezone
from django.utils.text import get_text_list

from representativeness.age_bands import survey_age_bands
from representativeness.disclosure import Audience, Protection, protection_for
from representativeness.disclosure.snapshot import published_snapshot
from representativeness.equality_analysis.analysis import (
    CharacteristicResult,
    EqualityAnalysis,
    GroupResult,
    OutcomeResult,
)
from representativeness.equality_analysis.characteristics import Characteristic, analysis_characteristics
from representativeness.equality_analysis.counting import ItemCounts, analysis_cells, stated_counts
from representativeness.equality_analysis.findings import findings_write
from representativeness.equality_analysis.items import AGREE, DISAGREE, Item, quoted_title, survey_items
from representativeness.equality_analysis.protection import ANSWERED, cell, hidden_cells, known_groups
from representativeness.equality_analysis.serialize import GROUP_FIELDS
from representativeness.errors import ReportError
from representativeness.reports.builder import report_build
from representativeness.selectors import report_area_default_code
from representativeness.stats.group_differences import (
    DifferenceRule,
    GroupComparison,
    benjamini_hochberg,
    compare_counts,
    compare_weighted_table,
    difference_flag,
    net_agreement,
)
from representativeness.weighting import DEFAULT_CHARACTERISTICS, RakedSurvey, survey_rake
from surveys.equality.selectors import ProfileFilter, equality_profile_count, one_reading, survey_equality_keys
from surveys.models import Survey


def difference_rule_from_settings() -> DifferenceRule:
    config = settings.REPRESENTATIVENESS
    return DifferenceRule(q_threshold=config["Q_THRESHOLD"], margin=config["DIFFERENCE_MARGIN"])


@dataclass
class _Comparison:
    """One group, one answer: the exact statistics before protection."""

    outcome: tuple[int, int]
    characteristic: str
    group: str
    unweighted: GroupComparison
    weighted: GroupComparison | None
    net: tuple[float, float] | None  # (group, everyone else) net agreement, on the Agree row
    weighted_net: tuple[float, float] | None
    # The comparison whose test this one is (counted once in the family and written up once): with two
    # groups, the second group's "everyone else" is the first group; with two answers that are complements,
    # the second answer's table is the first's (`Outcome.complement_of`). None for a test of its own.
    twin: "_Comparison | None" = None
    q: float = math.nan
    weighted_q: float = math.nan

    @property
    def mirror(self) -> bool:
        return self.twin is not None


def _counts_allow(grid: pd.DataFrame, characteristic: Characteristic, item: Item, threshold: int) -> bool:
    """Whether every cell a detailed comparison of the question is built from has at least `threshold`
    respondents: each detailed group's count for each answer, and everyone else's beside it. Then the
    detailed groups are compared (and nothing in their table needs hiding), otherwise only the broad ones."""
    cells = _group_counts(grid, characteristic)
    others = cells.sum(axis=0) - cells
    return bool((cells >= threshold).all() and (others >= threshold).all())


def _group_counts(grid: pd.DataFrame, characteristic: Characteristic) -> np.ndarray:
    """The groups' rows of an item's grid (all but its last, NOT_STATED), as integers."""
    return grid.to_numpy(dtype=np.int64)[: len(characteristic.groups)]


def _partition_of(item: Item, column: str) -> list[str]:
    return next(p for p in item.partitions if column in p)


def _net(shares: dict[str, float]) -> float:
    return net_agreement(shares.get(AGREE, 0.0), shares.get(DISAGREE, 0.0))


def _compare(
    item_index: int,
    item: Item,
    characteristic: Characteristic,
    counted: ItemCounts,
    rule: DifferenceRule,
) -> list[_Comparison]:
    groups = list(characteristic.groups)
    counts = _group_counts(counted.grid, characteristic)  # everyone else's is the total less the group's
    position = {column: j for j, column in enumerate(item.columns)}
    weighted = counted.weighted
    tables = None if weighted is None else _weighted_tables(counted)
    comparisons: list[_Comparison] = []
    agreement = AGREE in item.columns and DISAGREE in item.columns
    nets = _agreement_nets(counts, position) if agreement else None
    tested: dict[tuple[str, str], _Comparison] = {}  # (answer column, group) -> the comparison making the test
    for outcome_index, outcome in enumerate(item.outcomes):
        partition = _partition_of(item, outcome.column)
        answered = counts[:, [position[c] for c in partition]].sum(axis=1)
        chose = counts[:, position[outcome.column]]
        all_answered, all_chose = int(answered.sum()), int(chose.sum())
        # The weighted 2 x 2 tables' columns: the answer, and the partition's other answers.
        sides = ([position[outcome.column]], [position[c] for c in partition if c != outcome.column])
        for index, group in enumerate(groups):
            n, k = int(answered[index]), int(chose[index])
            unweighted = compare_counts(k, n, all_chose - k, all_answered - n, rule=rule)
            weighted_result = None
            if tables is not None:
                respondents, weights, squares = (_two_by_two(table, index, len(groups), sides) for table in tables)
                weighted_result = compare_weighted_table(respondents, weights, squares, rule=rule)
            net = weighted_net = None
            if nets is not None and outcome.column == AGREE:
                net = nets[index]
                if weighted is not None:
                    weighted_net = _weighted_agreement_nets(
                        weighted.weights[: len(groups)], index, [position[c] for c in partition], position
                    )
            twin = None
            if outcome.complement_of is not None:
                twin = tested[(outcome.complement_of, group)]
            elif len(groups) == 2 and group == groups[1]:
                twin = tested[(outcome.column, groups[0])]
            comparison = _Comparison(
                (item_index, outcome_index),
                characteristic.slot,
                group,
                unweighted,
                weighted_result,
                net,
                weighted_net,
                twin=twin,
            )
            tested[(outcome.column, group)] = twin or comparison
            comparisons.append(comparison)
    return comparisons


def _weighted_tables(counted: ItemCounts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stated groups' respondents, weights and squared weights by answer column (NOT_STATED left out)."""
    assert counted.weighted is not None
    stated = len(counted.grid) - 1
    return (
        counted.grid.to_numpy(dtype=np.float64)[:stated],
        counted.weighted.weights[:stated],
        counted.weighted.squares[:stated],
    )


def _two_by_two(table: np.ndarray, group: int, groups: int, sides: tuple[list[int], list[int]]) -> np.ndarray:
    """The group against everyone else (the other stated groups), by chose the answer or another."""
    others = [g for g in range(groups) if g != group]
    return np.array([[table[rows][:, columns].sum() for columns in sides] for rows in ([group], others)])


def _agreement_nets(counts: np.ndarray, position: dict[str, int]) -> list[tuple[float, float]]:
    """Each group's net agreement and everyone else's, from the groups' counts by answer column."""
    result = []
    everyone = counts.sum(axis=0)
    for mine in counts:
        pair = []
        for row in (mine, everyone - mine):
            total = int(row.sum())
            pair.append(_net_of(int(row[position[AGREE]]), int(row[position[DISAGREE]]), total))
        result.append((pair[0], pair[1]))
    return result


def _net_of(agree: int, disagree: int, total: int) -> float:
    return net_agreement(agree / total, disagree / total) if total else math.nan


def _weighted_agreement_nets(
    weights: np.ndarray, group: int, partition: list[int], position: dict[str, int]
) -> tuple[float, float]:
    """The group's weighted net agreement and everyone else's, over the agreement scale's answers."""
    result = []
    others = [g for g in range(len(weights)) if g != group]
    for rows in ([group], others):
        side = weights[rows].sum(axis=0)
        total = float(side[partition].sum())
        result.append(
            net_agreement(float(side[position[AGREE]]) / total, float(side[position[DISAGREE]]) / total)
            if total
            else math.nan
        )
    return result[0], result[1]


def _published(
    comparison: GroupComparison,
    q: float,
    rule: DifferenceRule,
    protection: Protection,
    *,
    others_hidden: bool,
    net: tuple[float, float] | None,
    weighted: bool,
) -> dict[str, Any]:
    def share(value: float | None) -> float | None:
        return protection.share(_none(value))

    figures: dict[str, Any] = {
        "respondents": comparison.respondents,
        "share": share(comparison.share),
        "low": share(comparison.low),
        "high": share(comparison.high),
    }
    if weighted:
        figures["effective_respondents"] = protection.effective_size(_none(comparison.effective_size))
    if others_hidden:
        figures.update(dict.fromkeys(_COMPARED_KEYS))
        if net is not None:
            figures.update(net_agreement=None, others_net_agreement=None)
        return figures
    flag = difference_flag(q, comparison.difference_low, comparison.difference_high, rule=rule)
    figures.update(
        others_respondents=comparison.others_respondents,
        others_share=share(comparison.others_share),
        others_low=share(comparison.others_low),
        others_high=share(comparison.others_high),
        difference=share(comparison.difference),
        difference_low=share(comparison.difference_low),
        difference_high=share(comparison.difference_high),
        p_value=protection.p_value(_none(comparison.p_value)),
        q_value=protection.p_value(_none(q)),
        p_band=protection.p_band(_none(comparison.p_value)),
        q_band=protection.p_band(_none(q)),
        test=comparison.test,
        flag=flag.value,
    )
    if weighted:
        figures["others_effective_respondents"] = protection.effective_size(_none(comparison.others_effective_size))
    if net is not None:
        figures.update(net_agreement=share(_none(net[0])), others_net_agreement=share(_none(net[1])))
    return figures


def _none(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


_HIDDEN_KEYS = ["respondents", "share", "low", "high"]
# Everything built on everyone else's counts as well as the group's.
_COMPARED_KEYS = [f for f in GROUP_FIELDS if f not in (*_HIDDEN_KEYS, "suppressed")]


class _KnownGroups:
    """By characteristic, the groups whose whole count a reader knows (`protection.known_groups`), worked out
    from the protected report only when first asked for: only a question that someone who stated the
    characteristic did not answer needs them."""

    def __init__(self, survey: Survey, protection: Protection, stated: dict[str, dict[str, int]]) -> None:
        self.survey, self.protection, self.stated = survey, protection, stated
        self._reported: dict[tuple[str, str], frozenset[str]] | None = None
        self._known: dict[str, set[str]] = {}

    def of(self, characteristic: Characteristic) -> Callable[[], set[str]]:
        def known() -> set[str]:
            if characteristic.slot not in self._known:
                if self._reported is None:
                    self._reported = _reported_groups(self.survey)
                levels = ["detailed"] if characteristic.level == "detailed" else ["broad", "detailed"]
                reported = self._reported
                table = next(
                    (reported[(characteristic.key, lv)] for lv in levels if (characteristic.key, lv) in reported), None
                )
                self._known[characteristic.slot] = known_groups(
                    self.protection, self.stated[characteristic.slot], table
                )
            return self._known[characteristic.slot]

        return known


def _reported_groups(survey: Survey) -> dict[tuple[str, str], frozenset[str]]:
    """By (characteristic, level), the groups whose counts the protected report of the published snapshot
    shows: against the survey's default report area, whose census fixes which cells every report of the
    snapshot hides (docs/disclosure-control.md). Empty where no report can be built."""
    area_code = report_area_default_code()
    if area_code is None:
        return {}
    try:
        report = report_build(survey=survey, area_code=area_code, audience=Audience.PROTECTED)
    except ValueError:  # ReportError, or a table the report cannot protect: nothing of it counts as shown
        return {}
    return {
        (table.key, table.level): frozenset(
            str(row["category"]) for row in table.categories if row.get("respondents") is not None
        )
        for table in report.characteristics
    }


def _unanswered(items: list[Item], compared: set[int]) -> list[str]:
    """The questions (or grid rows) with nobody to compare, quoted: a whole question once where none of its
    rows was answered."""
    by_question: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        by_question.setdefault(item.question, []).append(index)
    named: list[str] = []
    for question, indexes in by_question.items():
        missing = [i for i in indexes if i not in compared]
        if missing and len(missing) == len(indexes):
            named.append(quoted_title(question))
        else:
            named += [quoted_title(question, items[i].row) for i in missing]
    return named


@one_reading()  # the profiles the counts are kept from are checked once (decision 42)
def equality_analysis_build(
    *,
    survey: Survey,
    audience: Audience = Audience.PROTECTED,
    weighted: bool = False,
    area_code: str | None = None,
    rule: DifferenceRule | None = None,
) -> EqualityAnalysis:
    """The equality analysis of a survey's closed questions, by every About you characteristic it asks.

    Weighted, the responses are raked to `area_code`'s census margins (the weighting page's default
    characteristics) and every group's figures are weighted as well, with Rao-Scott tests. For the
    protected audience counts that could identify someone are hidden (`protection`) and figures rounded.
    Raises ReportError when weighting is asked for and cannot be done.
    """
    rule = rule or difference_rule_from_settings()
    protection = protection_for(audience=audience, survey=survey)
    # The protected audience's figures come from the published snapshot (docs/disclosure-control.md).
    snapshot = None if protection.exact else published_snapshot(survey=survey)
    where = ProfileFilter(survey.pk, through_id=None if snapshot is None else snapshot.through_profile_id)
    bands = survey_age_bands(survey.minimum_age)
    characteristics = analysis_characteristics(
        asked=survey_equality_keys(survey_id=survey.pk), minimum_age=survey.minimum_age, detailed=True
    )
    items = survey_items(survey)
    raked: RakedSurvey | None = None
    if weighted:
        if area_code is None:
            area_code = report_area_default_code()
        if area_code is None:
            raise ReportError("No census baselines are loaded, so the answers cannot be weighted.")
        raked = survey_rake(
            survey=survey,
            area_code=area_code,
            characteristics=DEFAULT_CHARACTERISTICS,
            audience=audience,
            least_largest_weight=False,  # no cap here, and no diagnostic that shows it
        )

    comparisons: list[_Comparison] = []
    hidden: dict[tuple[int, str], set[str]] = {}
    stated_totals: dict[tuple[int, str], int] = {}
    all_cells = analysis_cells(where=where, characteristics=characteristics, items=items, age_bands=bands, raked=raked)
    # Each group's whole count, of which every question's "answered" is part (`protection.hidden_cells`).
    stated = {} if protection.exact else stated_counts(where=where, characteristics=characteristics, age_bands=bands)
    known = _KnownGroups(survey, protection, stated)
    for characteristic in characteristics:
        per_item = all_cells[characteristic.slot]
        for item_index, (item, counted) in enumerate(zip(items, per_item, strict=True)):
            grid = counted.grid
            if characteristic.level == "detailed" and not _counts_allow(
                grid, characteristic, item, protection.threshold
            ):
                continue  # broad groups only for this question
            # The first partition's columns come first: everyone who answered and stated the characteristic.
            total = int(_group_counts(grid, characteristic)[:, : len(item.partitions[0])].sum())
            if not total:
                continue  # nobody to compare: not "can't tell yet", nor "hidden", for every group
            hidden[(item_index, characteristic.slot)] = hidden_cells(
                protection, grid, item.partitions, stated.get(characteristic.slot), known.of(characteristic)
            )
            stated_totals[(item_index, characteristic.slot)] = total
            comparisons += _compare(item_index, item, characteristic, counted, rule)

    # One family for the whole analysis (and one for its weighted version).
    family = [c for c in comparisons if not c.mirror]
    q_values = benjamini_hochberg([c.unweighted.p_value for c in family])
    weighted_q = benjamini_hochberg([c.weighted.p_value if c.weighted else math.nan for c in family])
    for comparison, q, wq in zip(family, q_values, weighted_q, strict=True):
        comparison.q, comparison.weighted_q = float(q), float(wq)
    for comparison in comparisons:
        if comparison.twin is not None:  # the same test as its twin's, which is in the family
            comparison.q, comparison.weighted_q = comparison.twin.q, comparison.twin.weighted_q

    by_key = {(c.outcome, c.characteristic, c.group): c for c in comparisons}
    outcomes: list[OutcomeResult] = []
    for item_index, item in enumerate(items):
        for outcome_index, outcome in enumerate(item.outcomes):
            partition = _partition_of(item, outcome.column)
            results = []
            for characteristic in characteristics:
                if (item_index, characteristic.slot) not in hidden:
                    continue  # detailed groups too small for this question
                secret = hidden[(item_index, characteristic.slot)]
                groups = []
                for group in characteristic.groups:
                    c = by_key[((item_index, outcome_index), characteristic.slot, group)]
                    mine_hidden = any(cell(group, col) in secret for col in (outcome.column, ANSWERED))
                    if outcome.column == AGREE and DISAGREE in partition:
                        mine_hidden = mine_hidden or cell(group, DISAGREE) in secret
                    suppressed = mine_hidden
                    figures = _published(
                        c.unweighted,
                        c.q,
                        rule,
                        protection,
                        others_hidden=suppressed,
                        net=c.net,
                        weighted=False,
                    )
                    weighted_figures = None
                    if c.weighted is not None:
                        weighted_figures = _published(
                            c.weighted,
                            c.weighted_q,
                            rule,
                            protection,
                            others_hidden=suppressed,
                            net=c.weighted_net,
                            weighted=True,
                        )
                    figures["suppressed"] = suppressed
                    if suppressed:
                        figures.update(dict.fromkeys(_HIDDEN_KEYS))
                        if weighted_figures is not None:
                            weighted_figures.update(dict.fromkeys([*_HIDDEN_KEYS, "effective_respondents"]))
                    groups.append(
                        GroupResult(
                            group, characteristic.name(group), suppressed, figures, weighted_figures, mirror=c.mirror
                        )
                    )
                results.append(
                    CharacteristicResult(
                        characteristic.key,
                        characteristic.label,
                        stated_totals[(item_index, characteristic.slot)],
                        groups,
                        level=characteristic.level,
                    )
                )
            if not results:
                continue  # nobody who stated a characteristic answered it (said in a note)
            outcomes.append(
                OutcomeResult(
                    item.question,
                    item.row,
                    item.kind,
                    outcome.answer,
                    outcome.phrase,
                    results,
                    net_agreement=outcome.column == AGREE and DISAGREE in partition,
                )
            )

    analysis = EqualityAnalysis(
        survey=survey,
        generated_at=timezone.now(),
        rule=rule,
        # The protected audience's count is the snapshot's, like its figures: the live count would say how
        # many responded since, between two snapshots ten or more apart.
        respondents=equality_profile_count(survey_id=survey.pk) if snapshot is None else snapshot.responses,
        suppression_threshold=protection.threshold,
        suppressed=not protection.exact,
        weighted=weighted,
        outcomes=outcomes,
    )
    if snapshot is not None:
        analysis.notes.append(snapshot.note())
    if not characteristics:
        analysis.notes.append("The survey asks no About you questions, so answers cannot be compared by group.")
    if not items:
        analysis.notes.append("The survey has no closed questions with answers to compare.")
    elif characteristics and (unanswered := _unanswered(items, {item_index for item_index, _ in hidden})):
        analysis.notes.append(
            f"Nobody who gave About you answers has answered {get_text_list(unanswered, 'or')} yet, so "
            f"{'they are' if len(unanswered) > 1 else 'it is'} not compared."
        )
    without_census = [c for c in characteristics if c.no_census and c.level == "broad"]
    analysis.without_census = [c.label for c in without_census]
    analysis.notes += [
        f"{c.label} has no census comparison, so its groups are compared only with each other. {c.no_census}"
        for c in without_census
    ]
    if raked is not None:
        analysis.weighting = raked.summary(protection)
        analysis.notes += [n for n in raked.notes if n not in analysis.notes]  # the snapshot's is said once
    findings_write(analysis)
    return analysis
