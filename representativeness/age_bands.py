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
