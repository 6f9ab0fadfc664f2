"""A census file after reading and checking: ready to preview or to store."""

from collections.abc import Collection
from dataclasses import dataclass, replace

from representativeness.census.choices import AreaLevel, Sex, SourceFormat
from representativeness.census.tables import CensusTable


@dataclass(frozen=True)
class ParsedArea:
    code: str
    name: str
    level: AreaLevel
    # sex (Sex.ALL for all persons) -> detailed category -> count, in canonical order
    counts: dict[Sex, dict[str, int]]
    # the table's own total where the file publishes one, else the sum of the categories
    totals: dict[Sex, int]
    # Only for a file that publishes a grouped table at its top level alone (the England and Wales TS038
    # summary): sex -> broad group -> count, and `counts` has no detailed categories.
    top_level: dict[Sex, dict[str, int]] | None = None

    def broad_counts(self, table: CensusTable, sex: Sex = Sex.ALL) -> dict[str, int]:
        """Broad groups derived from the detailed counts (published subtotals are only checked), or the
        published groups themselves where the file has only the top level."""
        if self.top_level is not None:
            return dict(self.top_level[sex])
        detailed = self.counts[sex]
        return {broad: sum(detailed[c] for c in table.parts(broad)) for broad in table.broad_categories}


@dataclass(frozen=True)
class ParsedCensusFile:
    file_name: str
    format: SourceFormat
    table: CensusTable
    areas: tuple[ParsedArea, ...]

    @property
    def area_codes(self) -> list[str]:
        return [area.code for area in self.areas]

    def restricted_to(self, area_codes: Collection[str]) -> "ParsedCensusFile":
        wanted = {code.strip().upper() for code in area_codes}
        return replace(self, areas=tuple(area for area in self.areas if area.code in wanted))

    @property
    def top_level_only(self) -> bool:
        return any(area.top_level is not None for area in self.areas)

    def category_totals(self, sex: Sex = Sex.ALL) -> dict[str, int]:
        """Each detailed category summed over the file's areas (for the preview)."""
        return {
            category: sum(area.counts[sex].get(category, 0) for area in self.areas if sex in area.counts)
            for category in self.table.categories
        }
