"""The age bands a survey's respondents are compared and weighted in."""

AGE_BAND_EDGES = (16, 25, 35, 45, 55, 65, 75)


def survey_age_bands(minimum_age: int) -> list[tuple[int, int | None]]:
    """16 to 24, 25 to 34, ... 75 and over, starting at the survey's youngest eligible age."""
    edges = [minimum_age, *(e for e in AGE_BAND_EDGES if e > minimum_age)]
    return [(low, high - 1) for low, high in zip(edges, edges[1:], strict=False)] + [(edges[-1], None)]
