"""Which respondents an area is compared with: everyone for a council, only those who live in it for a ward.

Comparing a whole borough's respondents with one ward's census would mislead, so a ward (or a custom
area made of wards) is compared only with the respondents who chose it, or one of its wards, in the
survey's ward question; without that question it is refused. Wards are areas inside their council, so the
ward-by-ward comparison (and raking on wards) is made only against that council's census.
"""

from collections.abc import Collection

from representativeness.census.choices import AreaLevel
from representativeness.errors import ReportError
from representativeness.models import Area
from representativeness.selectors import ward_councils
from surveys.equality.selectors import survey_area_codes, survey_equality_keys
from surveys.models import Survey


def _ward_codes(area: Area) -> tuple[str, ...] | None:
    if area.level == AreaLevel.WARD:
        return (area.code,)
    if area.is_composite:
        components = list(area.components.all())
        if components and all(c.level == AreaLevel.WARD for c in components):
            return tuple(sorted(c.code for c in components))
    return None


def respondent_wards(*, survey: Survey, area: Area) -> tuple[str, ...] | None:
    """The ward codes whose residents are compared with `area`, or None for everyone (a council).

    Raises ReportError when the area is a ward the survey's respondents cannot be placed in.
    """
    wards = _ward_codes(area)
    if wards is None:
        return None
    if "area" not in survey_equality_keys(survey_id=survey.pk):
        raise ReportError(
            f"{area.name} is a ward: it can be compared only with the respondents who live in it, and this "
            "survey does not ask which ward residents live in. Compare with the council instead."
        )
    offered = set(survey_area_codes(survey_id=survey.pk))
    missing = [code for code in wards if code not in offered]
    if missing:
        raise ReportError(
            f"{area.name} is not among the wards this survey's residents could choose, so nobody can be "
            "placed in it. Compare with the council, or with one of the survey's wards."
        )
    return wards


class WardNeedsExactAudience(ReportError):
    """A ward refused to the protected audience: the exact report (the command's --exact) compares it."""


def respondent_wards_for(*, survey: Survey, area: Area, exact: bool) -> tuple[str, ...] | None:
    """`respondent_wards`, refused for the protected audience (`exact` False): a ward's figures count only
    the respondents who live in it, and that number (3, say) may be one the council's report hides."""
    wards = respondent_wards(survey=survey, area=area)
    if wards is not None and not exact:
        raise WardNeedsExactAudience(
            f"{area.name} is compared only with the respondents who live in it, so its figures are for staff "
            "with permission to view equality data: how many live there may be a number the council's report "
            "hides. Compare with the council instead."
        )
    return wards


def wards_elsewhere_note(*, ward_codes: Collection[str], area: Area) -> str | None:
    """Why the wards `ward_codes` are not compared with `area`'s census: they are placed in another council
    (Trafford's wards against Stoke-on-Trent). None when `area` is their council, or none is placed."""
    councils = ward_councils(ward_codes=ward_codes)
    if not councils or [c.code for c in councils] == [area.code]:
        return None
    names = " and ".join(c.name for c in councils)
    return f"Wards are compared only with their own council's census: these respondents' wards are in {names}."
