"""Census age labels: reading the ages a label covers, and writing the labels ONS uses."""

import re
from types import MappingProxyType

AgeRange = tuple[int, int | None]  # inclusive; None as the upper end means "and over"

_AGE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^aged? under (\d+) years?$"), "under"),
    (re.compile(r"^aged? (\d+) (?:years? )?and under$"), "and_under"),
    (re.compile(r"^aged? (\d+) (?:years? )?(?:and over|or over|and older|plus)$"), "and_over"),
    (re.compile(r"^aged? (\d+) ?\+$"), "and_over"),
    (re.compile(r"^aged? (\d+) (?:to|-) (\d+)(?: years?)?$"), "between"),
    (re.compile(r"^aged? (\d+)(?: years?)?$"), "single"),
)


def age_range(label: str) -> AgeRange | None:
    """The inclusive ages of an age label: "Aged 5 to 9 years" -> (5, 9), "Aged 85 years and over" -> (85, None)."""
    text = re.sub(r"\s+", " ", label.strip().lower())
    for pattern, kind in _AGE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        first = int(match.group(1))
        if kind == "under":
            return (0, first - 1)
        if kind == "and_under":
            return (0, first)
        if kind == "and_over":
            return (first, None)
        if kind == "between":
            return (first, int(match.group(2)))
        return (first, first)
    return None


def single_year_labels(top: int) -> tuple[str, ...]:
    """ONS single-year labels, from "Aged under 1 year" to "Aged <top> years and over"."""
    middle = [f"Aged {age} years" for age in range(2, top)]
    return ("Aged under 1 year", "Aged 1 year", *middle, f"Aged {top} years and over")


def age_label(low: int, high: int | None) -> str:
    if low == 0 and high is not None:
        return f"Aged {high} years and under"
    if high is None:
        return f"Aged {low} years and over"
    return f"Aged {low} to {high} years"


def age_bands(categories: tuple[str, ...], bands: list[AgeRange]) -> MappingProxyType[str, str]:
    """Map single-year labels to the broad age bands that contain them."""
    mapping: dict[str, str] = {}
    for category in categories:
        low, _ = age_range(category) or (0, 0)
        for band_low, band_high in bands:
            if low >= band_low and (band_high is None or low <= band_high):
                mapping[category] = age_label(band_low, band_high)
                break
    return MappingProxyType(mapping)


FIVE_YEAR_BANDS: list[AgeRange] = [(0, 4), *[(a, a + 4) for a in range(5, 85, 5)], (85, None)]
# The subtotal columns Nomis prints between the single years of TS007 (they are not 5-year bands).
TS007_SUBTOTALS: list[AgeRange] = [
    (0, 4),
    (5, 9),
    (10, 15),
    (16, 19),
    (20, 24),
    (25, 34),
    (35, 49),
    (50, 64),
    (65, 74),
    (75, 84),
    (85, None),
]
