"""Which of the report's counts to hide, deciding the levels of a characteristic together."""

import pandas as pd

from representativeness.census.tables import CENSUS_TABLES
from representativeness.reports.builder.comparisons import Comparison
from representativeness.stats.suppression import SumGroup, suppression_mask

# The cell of a characteristic's counts that its categories add up to (see `suppression_masks`).
ANSWERED = "__answered__"


def suppression_masks(comparisons: list[Comparison], threshold: int) -> dict[tuple[str, str], pd.Series]:
    """Which category cells to hide, per (characteristic, level), deciding a characteristic's levels together.

    A characteristic's detailed and broad tables show counts that add up (each broad group is the sum of
    its detailed groups, and the number who answered is the sum of either), so secondary suppression must
    see both at once, or a hidden detailed count could be recovered from its broad group. The counts of
    "Prefer not to say", skipped and not asked are always shown: they say nothing about which category
    anyone is in, and hiding them would force the number who answered, and so every share, to be hidden.
    A hidden count's flag is still shown: it says only which side of the thresholds the group falls.
    """
    by_key: dict[str, dict[str, Comparison]] = {}
    for comparison in comparisons:
        by_key.setdefault(comparison.key, {})[comparison.level] = comparison
    masks: dict[tuple[str, str], pd.Series] = {}
    for key, levels in by_key.items():
        cells: dict[str, int] = {}
        groups: list[SumGroup] = []
        detailed, broad = levels.get("detailed"), levels.get("broad")
        any_level = detailed or broad
        assert any_level is not None
        cells[ANSWERED] = int(any_level.respondents.sum())
        for level, comparison in levels.items():
            cells.update({f"{level}:{c}": int(n) for c, n in comparison.respondents.items()})
        top = broad or detailed
        assert top is not None
        groups.append(SumGroup(ANSWERED, tuple(f"{top.level}:{c}" for c in top.respondents.index)))
        if detailed is not None and broad is not None:
            table = CENSUS_TABLES[detailed.table]
            for group in broad.respondents.index:
                groups.append(SumGroup(f"broad:{group}", tuple(f"detailed:{c}" for c in table.parts(group))))
        # The number who answered is always shown: it is the total less the three counts shown beside it.
        mask = suppression_mask(pd.Series(cells, dtype="int64"), groups, threshold=threshold, always_shown=[ANSWERED])
        for level, comparison in levels.items():
            level_mask = pd.Series(
                [bool(mask[f"{level}:{c}"]) for c in comparison.respondents.index], index=comparison.respondents.index
            )
            masks[(key, level)] = level_mask
    return masks
