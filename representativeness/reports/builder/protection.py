"""The report's figures as the audience may see them, through representativeness.disclosure."""

from collections.abc import Hashable, Mapping, Sequence

import pandas as pd

from representativeness.census.tables import CENSUS_TABLES
from representativeness.disclosure import (
    Level,
    ProtectedCharacteristic,
    Protection,
    family_size,
    protect_characteristic,
)
from representativeness.reports.builder.comparisons import Comparison, broad_of
from representativeness.stats.flags import FlagRule


def characteristic_counts(comparison: Comparison) -> dict[str, int]:
    """How many were asked, answered, preferred not to say, skipped and were not asked."""
    tally = comparison.tally
    return {
        "asked": tally.answered + tally.prefer_not_to_say + tally.skipped,
        "answered": int(comparison.respondents.sum()),
        "prefer_not_to_say": tally.prefer_not_to_say,
        "skipped": tally.skipped,
        "not_asked": tally.not_asked,
    }


def characteristics_protect(
    comparisons: list[Comparison],
    tables: Mapping[Hashable, pd.DataFrame],
    *,
    total: int,
    rule: FlagRule,
    protection: Protection,
    margins: Mapping[str, Mapping[Hashable, Sequence[Hashable]]] | None = None,
    reference: Mapping[tuple[str, str], pd.Series] | None = None,
) -> dict[str, ProtectedCharacteristic]:
    """Each characteristic's tables and counts as the audience may see them, its levels decided together.

    A characteristic's detailed and broad tables show counts that add up (each broad group is the sum of
    its detailed groups, and the number who answered is the sum of either), so they are protected
    together, or a hidden detailed count could be worked out from its broad group. `margins`: by key,
    the rows and columns of a joint table; `reference`: by (key, level), the census complements are
    chosen by (see `protect_characteristic`).
    """
    by_key: dict[str, dict[str, Comparison]] = {}
    for comparison in comparisons:
        by_key.setdefault(comparison.key, {})[comparison.level] = comparison
    family = family_size(list(tables.values()))
    protected = {}
    for key, levels in by_key.items():
        detailed = levels.get("detailed")
        broad = levels.get("broad")
        # An area whose census has only the top level: its broad groups are protected with the detailed
        # counts, as in the report of an area that has them, so both hide the same broad groups.
        unpublished = (
            {"detailed": broad.unpublished_detailed}
            if detailed is None and broad is not None and broad.unpublished_detailed is not None
            else {}
        )
        parts = None
        if broad is not None and (detailed is not None or unpublished):
            table = CENSUS_TABLES[broad.table]
            source = detailed or broad
            categories = detailed.respondents.index if detailed is not None else unpublished["detailed"].index
            parts = {
                group: [c for c in categories if broad_of(table, c, source.merged) == group]
                for group in broad.respondents.index
            }
        protected[key] = protect_characteristic(
            name=key,
            levels={
                level: Level(respondents=c.respondents, census=c.census, table=tables[(key, level)])
                for level, c in levels.items()
            },
            broad_parts=parts,
            counts=characteristic_counts(next(iter(levels.values()))),
            total=total,
            rule=rule,
            family_size=family,
            protection=protection,
            margins=(margins or {}).get(key),
            reference={
                level: census
                for level in [*levels, *unpublished]
                if (census := (reference or {}).get((key, level))) is not None
            },
            unpublished=unpublished,
        )
    return protected
