"""The report as built: its characteristics, their categories, and the headline."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from representativeness.disclosure.rounding import P_BANDS
from representativeness.stats.flags import Flag, FlagRule
from surveys.models import Survey

CENSUS_DATE = dt.date(2021, 3, 21)
HEADLINE_GROUPS = 6


def clear_difference(row: dict[str, Any], rule: FlagRule) -> str | None:
    """ "more" or "fewer" where a group's figure is "can't tell yet" only because its interval reaches across an
    edge of the in-line band, while its difference from the census share is clear (q below the rule's
    threshold): more (or fewer) respondents than the census share, by a margin not yet clearly beyond the
    band. None for every other row, among them the groups with too few responses to tell anything.

    Read from what the row shows: the exact q-value, or for protected figures its band ("< 0.01" is clear
    at a threshold of 0.05; "< 0.05" only at a threshold of 0.05 or more). The flag itself is unchanged.
    """
    if row.get("flag") != Flag.TOO_FEW_RESPONSES:
        return None
    q = row.get("q_value")
    if q is not None:
        clear = q < rule.q_threshold
    else:
        clear = any(label == row.get("q_band") and bound <= rule.q_threshold for bound, label in P_BANDS)
    if not clear:
        return None
    return {"larger": "more", "smaller": "fewer"}.get(row.get("direction") or "")


def band_words(rule: FlagRule) -> str:
    """The in-line band as a reader who has not seen the report's legend can follow it."""
    return f"the in-line band ({rule.under_ratio:g} to {rule.over_ratio:g} times the census share)"


def in_sentence(label: str) -> str:
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
    # False where no census table gives the characteristic for the survey's ages.
    census_base_matches_survey: bool = True
    # True where the census asked it only of people older than the survey's youngest (16 and over for a
    # survey of all ages): the mismatch the other way round.
    census_only_older: bool = False
    # True where its census counts are estimated (age from 5-year bands shared out evenly over their years).
    census_estimated: bool = False
    # True where the area's census gives only the table's top level, so the comparison is at that level.
    census_top_level_only: bool = False
    # More responses, from every under-represented group together, for all of them to reach their
    # target (more than their own targets added up); None with fewer than two such groups.
    joint_outreach_needed: int | None = None

    @property
    def outreach_added_up(self) -> int:
        return sum(int(c["outreach_needed"] or 0) for c in self.categories if c["flag"] == "under_represented")

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
    # Why the figures count nobody although people have responded: none published yet (disclosure.snapshot).
    unpublished: str = ""
    # Two characteristics together against the census's joint table (sex by age): builder.intersections.
    intersections: list[CharacteristicReport] = field(default_factory=list)

    @property
    def under_represented(self) -> list[tuple[str, str, float | None]]:
        """(category, characteristic label, ratio) of every under-represented group, broad levels first."""
        return self._groups(lambda row: row["flag"] == Flag.UNDER_REPRESENTED)

    @property
    def undecided(self) -> list[tuple[str, str, float | None]]:
        """(category, characteristic label, ratio) of every group that could be under-represented but
        might not be: "can't tell yet", its interval reaching below the in-line band."""

        return self._groups(self.could_be_under)

    def could_be_under(self, row: dict[str, Any]) -> bool:
        """Whether a group's figure is "can't tell yet" with an interval reaching below the in-line band."""
        low = row.get("ratio_low")
        return row["flag"] == Flag.TOO_FEW_RESPONSES and (low is None or low < self.rule.under_ratio)

    @property
    def hidden_undecided(self) -> int:
        """Groups whose figures are hidden, flag and all: for the headline they are undecided (any finding
        is possible from what the reader sees), counted but never named."""
        return sum(1 for c in self.characteristics for row in c.categories if row["flag"] is None)

    def _groups(self, keep: Callable[[dict[str, Any]], bool]) -> list[tuple[str, str, float | None]]:
        seen: list[tuple[str, str, float | None]] = []
        for level in ("broad", "detailed"):
            for characteristic in self.characteristics:
                if characteristic.level == level:
                    seen.extend(
                        (row["category"], characteristic.label, row["ratio"])
                        for row in characteristic.categories
                        if keep(row)
                    )
        return seen

    @property
    def groups_compared(self) -> int:
        """Groups with a census population, so that a finding is possible (hidden ones included)."""
        return sum(
            1
            for characteristic in self.characteristics
            for row in characteristic.categories
            if row["flag"] != Flag.NO_CENSUS_BASELINE
        )

    def finding(self, characteristic: CharacteristicReport) -> str:
        """What one characteristic's table shows, in the table's own classes: under-represented and
        over-represented groups by name; groups whose difference from the census share is clear but not yet
        clearly beyond the in-line band by name, with which way; how many can't be told yet (hidden groups
        among them, unnamed) and how many are in line. Chart captions and the EqIA summary say it the same way."""
        rows = [row for row in characteristic.categories if row["flag"] != Flag.NO_CENSUS_BASELINE]
        under = [str(r["category"]) for r in rows if r["flag"] == Flag.UNDER_REPRESENTED]
        over = [str(r["category"]) for r in rows if r["flag"] == Flag.OVER_REPRESENTED]
        leaning = {str(r["category"]): clear_difference(r, self.rule) for r in rows}
        more = [name for name, way in leaning.items() if way == "more"]
        fewer = [name for name, way in leaning.items() if way == "fewer"]
        unsure = sum(1 for r in rows if r["flag"] in (Flag.TOO_FEW_RESPONSES, None)) - len(more) - len(fewer)
        in_line = sum(1 for r in rows if r["flag"] == Flag.IN_LINE)
        parts = [f"{_group_list(under)} under-represented"] if under else []
        if over:
            parts.append(f"{_group_list(over)} over-represented")
        if more or fewer:
            parts.append(self._clear_but_unsettled(more, fewer))
        if unsure:
            if unsure == len(rows):
                groups = "both groups" if unsure == 2 else f"all {unsure} groups" if unsure > 2 else "its group"
                parts.append(f"too early to tell for {groups}")
            else:
                parts.append(f"too early to tell for {unsure} group{'s' if unsure != 1 else ''}")
        if in_line:
            parts.append(f"{in_line} in line" if in_line != len(rows) else "every group in line")
        if not under and not unsure and not fewer:
            parts.insert(0, "no group under-represented")
        return "; ".join(parts)

    def _clear_but_unsettled(self, more: list[str], fewer: list[str]) -> str:
        """ "Female more than its census share and Male fewer, by margins not yet clearly beyond the in-line
        band (0.8 to 1.25 times the census share)": a clear difference, with no more certainty than it has."""
        sides = []
        if more:
            sides.append(f"{_group_list(more)} more than {'its' if len(more) == 1 else 'their'} census share")
        if fewer:
            sides.append(
                f"{_group_list(fewer)} fewer"
                if more
                else f"{_group_list(fewer)} fewer than {'its' if len(fewer) == 1 else 'their'} census share"
            )
        margins = "a margin" if len(more) + len(fewer) == 1 else "margins"
        return f"{' and '.join(sides)}, by {margins} not yet clearly beyond {band_words(self.rule)}"

    def characteristic_caveats(self, characteristic: CharacteristicReport) -> list[str]:
        """The caveats that concern one characteristic, said of it alone (the downloads' `caveats` column)."""
        label = in_sentence(characteristic.label.removesuffix(", broad groups"))
        caveats = []
        if not characteristic.census_base_matches_survey and characteristic.census_only_older:
            caveats.append(
                f"The census asked {label} only of people older than the survey's youngest respondents (aged "
                f"{self.survey.minimum_age} and over): its census shares leave out younger people the survey asks."
            )
        elif not characteristic.census_base_matches_survey:
            caveats.append(
                f"No census table gives {label} for people aged {self.survey.minimum_age} and over: its census "
                "shares include younger people, whom the survey does not ask."
            )
        if characteristic.census_estimated:
            caveats.append(
                f"The census for {self.area_name} gives {label} only in bands the survey's do not follow, so those "
                "census counts are estimated (each band shared out evenly over its years)."
            )
        if characteristic.census_top_level_only:
            caveats.append(
                f"The census for {self.area_name} gives {label} only at the top level, so only the broad groups "
                "are compared."
            )
        return caveats

    @property
    def caveats(self) -> list[str]:
        """What the reader of the headline must know about the census it compares with."""
        caveats = []
        younger = self._labels_where(lambda c: not c.census_base_matches_survey and not c.census_only_older)
        if younger:
            ages = f"{self.survey.minimum_age} and over"
            caveats.append(
                f"No census table gives {_listed([in_sentence(label) for label in younger])} for people aged {ages}: "
                "their census shares include younger people, whom the survey does not ask."
            )
        older = self._labels_where(lambda c: not c.census_base_matches_survey and c.census_only_older)
        if older:
            caveats.append(
                f"The census asked {_listed([in_sentence(label) for label in older], 'and')} only of people older "
                f"than the survey's youngest respondents (aged {self.survey.minimum_age} and over): their census "
                "shares leave out younger people the survey asks."
            )
        estimated = self._labels_where(lambda c: c.census_estimated)
        if estimated:
            caveats.append(
                f"The census for {self.area_name} gives {_listed([in_sentence(label) for label in estimated], 'and')} "
                "only in bands the survey's do not follow, so those census counts are estimated (each band shared "
                "out evenly over its years)."
            )
        top = self._labels_where(lambda c: c.census_top_level_only)
        if top:
            caveats.append(
                f"The census for {self.area_name} gives {_listed([in_sentence(label) for label in top])} only at "
                "the top level, so only the broad groups are compared."
            )
        return caveats

    def _labels_where(self, keep: Callable[[CharacteristicReport], bool]) -> list[str]:
        """One label per characteristic (the first level's: "Ethnic group", not its broad groups too)."""
        labels: dict[str, str] = {}
        for characteristic in self.characteristics:
            if keep(characteristic):
                labels.setdefault(characteristic.key, characteristic.label)
        return list(labels.values())

    @property
    def headline(self) -> str:
        if not self.asks_about_you:
            return (
                'This survey does not ask the "About you" questions, so its respondents cannot be compared '
                "with the census."
            )
        if self.respondents == 0:
            return self.unpublished or "Nobody has responded yet, so there is nothing to compare with the census."
        groups, undecided = self.under_represented, self.undecided
        compared, hidden = self.groups_compared, self.hidden_undecided
        # Hidden groups are undecided too: the reader cannot tell what they show (nor is told which they are).
        unsure = len(undecided) + hidden
        # Of the undecided, those with clearly fewer respondents than their census share: not "too early to
        # tell" (the shortfall is clear), only whether it goes beyond the in-line band is not.
        fewer = self._groups(lambda row: self.could_be_under(row) and clear_difference(row, self.rule) == "fewer")
        unknown = [group for group in undecided if group not in fewer]
        if not groups and unknown and 2 * (len(unknown) + hidden) >= compared:
            # Early on most intervals are wide: say so, never "no group is under-represented".
            unsure = len(unknown) + hidden
            responses = f"{self.respondents:,} response{'s' if self.respondents != 1 else ''}"
            return (
                f"Too early to tell: with only {responses} so far, the figures for {unsure} of the "
                f"{compared} groups compared fit under-representation as well as a fair share, or have too few "
                "responses to publish. More responses will show which."
                if hidden
                else f"Too early to tell: with only {responses} so far, the figures for {unsure} of the "
                f"{compared} groups compared fit under-representation as well as a fair share. "
                "More responses will show which."
            ) + self._fewer_sentence(fewer)
        if not groups:
            if undecided:
                if not fewer:
                    return (
                        "No group is clearly under-represented so far, but it is too early to tell for "
                        f"{unsure}: {_names(undecided)}{_and_hidden(hidden)}."
                    )
                sentence = "No group is clearly under-represented so far." + self._fewer_sentence(fewer)
                if unknown or hidden:
                    sentence += (
                        f" It is too early to tell for {len(unknown) + hidden}: {_names(unknown)}{_and_hidden(hidden)}."
                        if unknown
                        else f" It is too early to tell for {hidden} with too few responses to publish."
                    )
                return sentence
            if hidden:
                if 2 * hidden >= compared:
                    return (
                        f"Too early to tell: {hidden} of the {compared} groups compared have too few responses "
                        "to publish. More responses will show whether any is under-represented."
                    )
                return "No group shown is under-represented; the groups with too few responses to publish are hidden."
            return "No group is under-represented: every group compared has at least its fair share of respondents."
        count = len(groups)
        if count > HEADLINE_GROUPS:
            # Name the groups furthest below their census share (hidden ratios last); the tables have the rest.
            groups = sorted(groups, key=lambda g: (g[2] is None, g[2] or 0.0))[:HEADLINE_GROUPS]
            sentence = f"{count} groups are under-represented. Furthest below their census share: {_names(groups)}."
        else:
            sentence = f"{count} group{'s are' if count != 1 else ' is'} under-represented: {_names(groups)}."
        if fewer:
            more = len(fewer)
            sentence += (
                f" {more} more {'has' if more == 1 else 'have'} fewer respondents than "
                f"{'its' if more == 1 else 'their'} census share, by {'a margin' if more == 1 else 'margins'} "
                f"not yet clearly beyond {band_words(self.rule)}"
            )
            rest = unsure - more
            sentence += f"; it is too early to tell for {rest} more." if rest else "."
        elif unsure:
            sentence += f" It is too early to tell for {unsure} more."
        return sentence

    def _fewer_sentence(self, fewer: list[tuple[str, str, float | None]]) -> str:
        """ " 2 groups have fewer respondents than their census share, by margins not yet clearly beyond the
        in-line band (...): Male (sex); Hindu (religion)." or "" when none has."""
        if not fewer:
            return ""
        count = len(fewer)
        return (
            f" {count} group{' has' if count == 1 else 's have'} fewer respondents than "
            f"{'its' if count == 1 else 'their'} census share, by {'a margin' if count == 1 else 'margins'} not yet "
            f"clearly beyond {band_words(self.rule)}: {_names(fewer)}."
        )


def _names(groups: list[tuple[str, str, float | None]]) -> str:
    shown = groups[:HEADLINE_GROUPS]
    names = "; ".join(f"{category} ({in_sentence(label)})" for category, label, _ in shown)
    return names + (f"; and {len(groups) - len(shown)} more" if len(groups) > len(shown) else "")


def _and_hidden(hidden: int) -> str:
    return f"; and {hidden} group{'s' if hidden != 1 else ''} with too few responses to publish" if hidden else ""


def _group_list(names: list[str]) -> str:
    """Groups' names one after another; each in quotation marks where any has a comma of its own, so that
    "Female, 16 to 24" and "Asian, Asian British or Asian Welsh" do not read as several groups."""
    if any("," in name for name in names):
        names = [f"“{name}”" for name in names]
    return ", ".join(names)


def _listed(items: list[str], joined: str = "or") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {joined} " + items[-1]
