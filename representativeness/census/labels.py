"""Matching the category labels found in downloaded files to the canonical labels in tables.py.

Category codes differ between ONS, Nomis bulk files and the Nomis API, so files are matched on their
labels only. Labels are compared after normalising case, spacing around colons, curly quotes, dashes
and the "; measures: Value" suffix, then looked up in an alias table built from each table's
canonical labels, their "broad group: detailed" form and the table's own extra aliases.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from representativeness.census.choices import CountLevel, PopulationBase, Sex
from representativeness.census.tables import CENSUS_TABLES, CensusTable, age_range

_MEASURES_SUFFIX = re.compile(r";\s*measures\s*:\s*value\s*$", re.IGNORECASE)
_TRANSLATE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})

# Labels ONS and Nomis use for a table's total row or column (after normalising).
_TOTAL_LABELS = frozenset(
    {"total", "all persons", "persons", "all usual residents", "all people", "all categories"}
    | {base.label.lower() for base in PopulationBase}
    | {base.label.lower().replace(" years and over", " and over") for base in PopulationBase}
)
_DOES_NOT_APPLY = "does not apply"


@dataclass(frozen=True)
class Resolved:
    """What a file's label means in a table: a detailed category, a broad group (subtotal) or the total."""

    level: CountLevel
    label: str  # canonical; empty for the total


def normalise_label(text: str) -> str:
    """Lower-case, single-spaced, ": " after every colon, straight quotes, no "; measures: Value"."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = _MEASURES_SUFFIX.sub("", text.strip().strip('"'))
    text = re.sub(r"\s*:\s*", ": ", text)
    text = re.sub(r"\s+", " ", text).strip(" .").lower()
    return text


def strip_measures_suffix(text: str) -> str:
    return _MEASURES_SUFFIX.sub("", text).strip()


def is_total_label(text: str) -> bool:
    normal = normalise_label(text)
    return normal in _TOTAL_LABELS or normal.startswith(("total:", "total ", "all categories:"))


def is_does_not_apply(text: str) -> bool:
    return normalise_label(text) == _DOES_NOT_APPLY


@cache
def _index(code: str) -> dict[str, Resolved]:
    table = CENSUS_TABLES[code]
    index: dict[str, Resolved] = {}
    for broad in table.broad_categories:
        index[normalise_label(broad)] = Resolved(CountLevel.BROAD, broad)
    for category in table.categories:
        # A detailed category that is also its own group ("Provides no unpaid care") is detailed.
        index[normalise_label(category)] = Resolved(CountLevel.DETAILED, category)
        broad = table.broad[category]
        if broad != category:
            index[normalise_label(f"{broad}: {category}")] = Resolved(CountLevel.DETAILED, category)
    for alias, target in table.aliases.items():
        index.setdefault(normalise_label(alias), index[normalise_label(target)])
    return index


def _resolve_by_age(table: CensusTable, normal: str) -> Resolved | None:
    wanted = age_range(normal)
    if wanted is None:
        return None
    for category in table.categories:
        if age_range(category) == wanted:
            return Resolved(CountLevel.DETAILED, category)
    for broad in table.broad_categories:
        if broad not in table.categories and age_range(broad) == wanted:
            return Resolved(CountLevel.BROAD, broad)
    return None


def resolve_label(table: CensusTable, label: str) -> Resolved | None:
    """The canonical meaning of `label` in `table`, or None when the table has no such category."""
    normal = normalise_label(label)
    index = _index(table.code)
    if normal in index:
        return index[normal]
    if is_total_label(normal):
        return Resolved(CountLevel.TOTAL, "")
    # "Group: detailed" where the group is spelt another way (an alias) in front of a known detail.
    for match in re.finditer(": ", normal):
        head, tail = normal[: match.start()], normal[match.end() :]
        group, detail = index.get(head), index.get(tail)
        if group and detail and detail.level == CountLevel.DETAILED and table.broad[detail.label] == group.label:
            return detail
    if table.is_age:
        return _resolve_by_age(table, normal)
    return None


def canonical_category(table_code: str, label: str) -> str | None:
    """The canonical detailed or broad label for `label` in the table, or None (for other apps' checks)."""
    resolved = resolve_label(CENSUS_TABLES[table_code.upper()], label)
    return resolved.label if resolved and resolved.level != CountLevel.TOTAL else None


_SEXES = {
    "female": Sex.FEMALE,
    "females": Sex.FEMALE,
    "male": Sex.MALE,
    "males": Sex.MALE,
}


def resolve_sex(label: str) -> Sex | None:
    """Female, Male, or all persons (for a total) from a sex label; None when it is none of those."""
    normal = normalise_label(label)
    if normal in _SEXES:
        return _SEXES[normal]
    if is_total_label(normal):
        return Sex.ALL
    return None
