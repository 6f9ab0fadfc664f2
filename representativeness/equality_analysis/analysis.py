"""What the equality analysis hands to pages, files and the command: one comparison per row."""

from dataclasses import dataclass, field
from typing import Any

from representativeness.stats.group_differences import DifferenceRule
from surveys.models import Survey


@dataclass
class GroupResult:
    """One group against everyone else who answered the characteristic, for one answer.

    Figures are as published for the audience: for the protected audience, None where hidden and
    rounded otherwise (see `protection`). `weighted` holds the weighted figures when asked for.
    """

    group: str
    name: str  # "Disabled respondents"
    suppressed: bool
    figures: dict[str, Any]
    weighted: dict[str, Any] | None = None
    mirror: bool = False  # the other side of a comparison already reported (second of two groups or answers)

    @property
    def flag(self) -> str | None:
        return self.figures.get("flag")

    @property
    def weighted_flag(self) -> str | None:
        return self.weighted.get("flag") if self.weighted else None

    @property
    def weighting_changes_flag(self) -> bool:
        return self.weighted is not None and self.flag is not None and self.weighted_flag not in (None, self.flag)


@dataclass
class CharacteristicResult:
    key: str
    label: str
    respondents: int | None  # answered the question and this characteristic (None: hidden)
    groups: list[GroupResult]
    level: str = "broad"  # or "detailed" (the census's detailed categories, where counts allow)


@dataclass
class OutcomeResult:
    """One answer of one question (or grid row), by every characteristic."""

    question: str
    row: str
    kind: str
    answer: str
    phrase: str
    characteristics: list[CharacteristicResult]
    net_agreement: bool = False  # the "agree" answer of an agreement scale: groups carry net agreement

    @property
    def columns(self) -> int:
        """How many columns its table has after the group's name (for a hidden row's colspan)."""
        return 6 + int(self.net_agreement)


@dataclass
class Finding:
    text: str
    flag: str
    q_value: float | None
    difference: float | None
    weighted: bool = False


@dataclass
class EqualityAnalysis:
    survey: Survey
    generated_at: Any
    rule: DifferenceRule
    respondents: int
    suppression_threshold: int
    suppressed: bool
    weighted: bool
    outcomes: list[OutcomeResult]
    findings: list[Finding] = field(default_factory=list)
    too_few_to_tell: list[str] = field(default_factory=list)
    without_findings: str = ""  # what the findings say when there are none (findings_write)
    weighting_changes: list[str] = field(default_factory=list)
    # How many comparisons weighting only made too uncertain to tell, in a sentence ("" when none): not listed.
    weighting_widened: str = ""
    notes: list[str] = field(default_factory=list)
    weighting: dict[str, Any] | None = None  # area, characteristics, design effect (rounded when protected)
    # Characteristics compared group with group only: no census table to compare them with (their labels).
    without_census: list[str] = field(default_factory=list)
