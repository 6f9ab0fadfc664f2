"""The report as built: its characteristics, their categories, and the headline."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from representativeness.stats.flags import FlagRule
from surveys.models import Survey

CENSUS_DATE = dt.date(2021, 3, 21)
HEADLINE_GROUPS = 6


def _in_sentence(label: str) -> str:
    """A characteristic's label inside a sentence: "Main language and English" -> "main language and English"."""
    return label[:1].lower() + label[1:]


@dataclass
class CharacteristicReport:
    key: str
    level: str  # "detailed" or "broad"
    label: str
    census_table: str
    census_base: str
    census_source: str
    asked: int | None
    answered: int | None
    prefer_not_to_say: int | None
    skipped: int | None
    not_asked: int | None
    census_not_answered_rate: float | None
    categories: list[dict[str, Any]]
    goodness_of_fit: dict[str, Any] | None
    notes: list[str] = field(default_factory=list)

    @property
    def under_represented(self) -> list[str]:
        return [c["category"] for c in self.categories if c["flag"] == "under_represented"]


@dataclass
class Report:
    survey: Survey
    area_code: str
    area_name: str
    filters: dict[str, Any]
    respondents: int
    generated_at: dt.datetime
    rule: FlagRule
    suppression_threshold: int
    suppressed: bool
    characteristics: list[CharacteristicReport]
    notes: list[str]
    asks_about_you: bool = True

    @property
    def under_represented(self) -> list[tuple[str, str, float | None]]:
        """(category, characteristic label, ratio) of every under-represented group, broad levels first."""
        seen: list[tuple[str, str, float | None]] = []
        for level in ("broad", "detailed"):
            for characteristic in self.characteristics:
                if characteristic.level == level:
                    seen.extend(
                        (row["category"], characteristic.label, row["ratio"])
                        for row in characteristic.categories
                        if row["flag"] == "under_represented"
                    )
        return seen

    @property
    def headline(self) -> str:
        groups = self.under_represented
        if not self.asks_about_you:
            return (
                'This survey does not ask the "About you" questions, so its respondents cannot be compared '
                "with the census."
            )
        if self.respondents == 0:
            return "Nobody has responded yet, so there is nothing to compare with the census."
        if not groups:
            return "No group is clearly under-represented among respondents, on the evidence so far."
        count = len(groups)
        if count > HEADLINE_GROUPS:
            # Name the groups furthest below their census share (hidden ratios last); the tables have the rest.
            groups = sorted(groups, key=lambda g: (g[2] is None, g[2] or 0.0))[:HEADLINE_GROUPS]
            names = "; ".join(f"{category} ({_in_sentence(label)})" for category, label, _ in groups)
            return f"{count} groups are under-represented. Furthest below their census share: {names}."
        names = "; ".join(f"{category} ({_in_sentence(label)})" for category, label, _ in groups)
        return f"{count} group{'s are' if count != 1 else ' is'} under-represented: {names}."
