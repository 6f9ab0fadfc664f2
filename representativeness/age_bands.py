"""The age bands a survey's respondents are compared and weighted in."""

AGE_BAND_EDGES = (16, 25, 35, 45, 55, 65, 75)
# A group whose people are all younger than this is a young people's group: compared with residents of its
# own ages only.
ADULT_AGE = 18


def survey_age_bands(minimum_age: int, maximum_age: int | None = None) -> list[tuple[int, int | None]]:
    """16 to 24, 25 to 34, ... 75 and over, starting at the survey's youngest eligible age (and, for a
    young people's group, ending at `maximum_age`: 0 to 15, 16 to 17)."""
    edges = [minimum_age, *(e for e in AGE_BAND_EDGES if minimum_age < e and (maximum_age is None or e <= maximum_age))]
    bands: list[tuple[int, int | None]] = [(low, high - 1) for low, high in zip(edges, edges[1:], strict=False)]
    return [*bands, (edges[-1], maximum_age)]


def group_maximum_age(oldest: int | None) -> int | None:
    """The oldest age a group is compared up to: its oldest member's, when everyone in it is under 18."""
    return oldest if oldest is not None and oldest < ADULT_AGE else None


def ages_text(minimum_age: int, maximum_age: int | None = None) -> str:
    """ "aged 16 and over", or "aged 11 to 17" for a young people's group."""
    return f"aged {minimum_age} and over" if maximum_age is None else f"aged {minimum_age} to {maximum_age}"


AgeBand = tuple[int, int | None]  # inclusive; None as the upper end means "and over"


def band_label(band: AgeBand) -> str:
    """ "16 to 24", "75 and over", as the report labels its bands (single years as "16 to 16")."""
    low, high = band
    return f"{low} and over" if high is None else f"{low} to {high}"


def bands_compared(report_bands: list[AgeBand], given: list[AgeBand]) -> tuple[list[AgeBand], list[AgeBand]] | str:
    """The bands a group's ages, given in bands of its own (`given`: single years as (16, 16)), can be
    compared with the census in: the report's bands where each given band lies inside one of them, else
    the report's bands merged, as few as possible, until each does (the census counts are then added up
    over the merged band). Returns the bands and the given bands that cut across the report's; or, when a
    given band straddles the youngest (or, for a young people's group, the oldest) age compared, why
    age cannot be compared. Given bands wholly outside the ages compared are left to the caller."""
    start, end = report_bands[0][0], report_bands[-1][1]

    def index_of(age: int) -> int:
        return next(i for i, (low, high) in enumerate(report_bands) if age >= low and (high is None or age <= high))

    joined: set[int] = set()  # i: report band i is merged with band i + 1
    cutting: list[AgeBand] = []
    for low, high in sorted(set(given), key=lambda b: b[0]):
        if (high is not None and high < start) or (end is not None and low > end):
            continue
        if low < start:
            return (
                f"Age is not compared: the group's band {band_label((low, high))} holds people both younger and "
                f"older than {start}, the youngest age compared, so its people cannot be counted in the census's "
                f"bands (set the youngest age compared to {low}, or give ages from {start} in bands of their own)."
            )
        if end is not None and (high is None or high > end):
            return (
                f"Age is not compared: the group's band {band_label((low, high))} holds people both younger and "
                f"older than {end}, the oldest age compared."
            )
        first, last = index_of(low), (len(report_bands) - 1 if high is None else index_of(high))
        if first != last:
            cutting.append((low, high))
            joined.update(range(first, last))
    bands: list[AgeBand] = []
    low = start
    for i, (_, high) in enumerate(report_bands):
        if i not in joined:
            bands.append((low, high))
            if high is not None:
                low = high + 1
    return bands, cutting


def merged_bands_note(report_bands: list[AgeBand], bands: list[AgeBand], cutting: list[AgeBand]) -> str:
    """What an officer is told when the census bands were merged to match a group's own bands."""
    wider = [band_label(b) for b in bands if b not in report_bands]
    return (
        f"Age is compared in the bands {', '.join(band_label(b) for b in bands)}: the group's own bands "
        f"{', '.join(band_label(b) for b in cutting)} cut across the census's, so the census's residents are "
        f"added up over {', '.join(wider)} and the group's people counted in the band their own band lies in."
    )
