"""What the weighting says when it refuses, or how it went, to an officer without the equality-data
permission: nothing worked out from the counts beyond the rounded figures of the published snapshot.

The smallest possible largest weight is the census share of the most under-represented group over its
share of respondents: with the census and the total public, "3.26" gives that group's count back, as
the exact weight range would (which the protected audience is not shown either)."""

import re

import pytest
from django.urls import reverse

from representativeness.disclosure import Audience
from representativeness.errors import ReportError
from representativeness.weighting import weighting_run
from tests.factories import staff_member
from tests.representativeness.reports.conftest import AREA, add, make_survey

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r"\d\.\d|\d%")  # a weight, a ratio or a percentage worked out from the counts


@pytest.fixture
def few_men(area):
    """150 women and 21 men, against a census of 60:40: men must be weighted up by 0.4 * 171 / 21."""
    survey = make_survey("few-men")
    add(survey, 75, sex="female", religion="christian")
    add(survey, 75, sex="female", religion="no_religion")
    add(survey, 21, sex="male", religion="christian")
    return survey


def weighting_page(client, survey, query: str) -> str:
    url = reverse("representativeness:weighting", args=[survey.pk])
    return client.get(url + f"?area={AREA}&characteristics=sex&weigh=1{query}").text


def test_a_cap_that_cannot_be_met_is_refused_without_the_smallest_largest_weight(client, few_men):
    client.force_login(staff_member("officer"))
    text = weighting_page(client, few_men, "&cap=3")
    assert "No weighting to these census figures can keep every weight within 3 times the average." in text
    assert "smallest possible largest weight" not in text
    download = client.get(
        reverse("representativeness:weighting_download", args=[few_men.pk, "csv"])
        + f"?area={AREA}&characteristics=sex&weigh=1&cap=3"
    )
    assert download.status_code == 400 and not FIGURE.search(download.content.decode())

    client.force_login(staff_member("analyst", equality_data=True))  # on screen, the exact audience: the figure
    assert "the smallest possible largest weight is 3.26." in weighting_page(client, few_men, "&cap=3")


def test_the_diagnostics_give_no_weight_or_iteration_count_worked_out_from_the_counts(client, few_men):
    client.force_login(staff_member("officer"))
    text = weighting_page(client, few_men, "")
    assert "Design effect" in text
    assert "can keep every weight below" not in text and "iteration" not in text

    exact = weighting_run(survey=few_men, area_code=AREA, characteristics=["sex"], audience=Audience.EXACT)
    lines = " ".join(exact.diagnostics())
    assert "can keep every weight below 3.26 times the average" in lines and "iteration(s)" not in lines
    iterations = exact.rake.iterations
    assert f"converged in {iterations} iteration{'' if iterations == 1 else 's'}:" in lines


def test_weights_that_do_not_settle_are_refused_without_how_far_they_were(few_men):
    with pytest.raises(ReportError) as error:
        weighting_run(survey=few_men, area_code=AREA, characteristics=["sex", "religion"], max_iter=1)
    assert str(error.value).startswith("The weighting did not settle, so no weighted results are shown.")
    assert not FIGURE.search(str(error.value))
    with pytest.raises(ReportError) as exact:
        weighting_run(
            survey=few_men, area_code=AREA, characteristics=["sex", "religion"], max_iter=1, audience=Audience.EXACT
        )
    assert "after 1 iteration the weighted figures still differ from the census by up to" in str(exact.value)


def test_nothing_left_to_weight_on_is_said_without_the_raking_s_reasons(area):
    """11 and 12 respondents: each a group of at least 10 (shown in the report), but weighting needs 20
    in a group (WEIGHTING_MIN_CELL); the raking's reasons say which groups had too few."""
    survey = make_survey("two-small")
    add(survey, 12, sex="female", religion="christian")
    add(survey, 11, sex="male", religion="christian")
    with pytest.raises(ReportError) as error:
        weighting_run(survey=survey, area_code=AREA, characteristics=["sex"])
    assert str(error.value) == (
        "These 23 responses cannot be weighted: no characteristic is left to weight on. "
        "Weighting needs more responses, or broader characteristics."
    )
    with pytest.raises(ReportError) as exact:
        weighting_run(survey=survey, area_code=AREA, characteristics=["sex"], audience=Audience.EXACT)
    assert "Sex: too few respondents to keep even two groups of at least 20" in str(exact.value)


def test_bounds_between_whole_numbers_do_not_find_the_smallest_largest_weight(client, few_men):
    """Any cap may be typed: refused below 3.257..., weighted above it, so halving the gap between a
    refused cap and an accepted one found the smallest largest weight (and the men's count) to any
    precision. For the protected audience a cap counts as the whole number above it, a floor as the
    tenth below it, so caps between 3 and 4 all give the same answer."""
    client.force_login(staff_member("officer"))
    pages = [weighting_page(client, few_men, f"&cap={cap}") for cap in ("3.25", "3.27", "4")]
    assert not any("No weighting to these census figures" in page for page in pages)
    assert all("at most 4 times the average" in page or "capping at 4 times" in page for page in pages)
    result = weighting_run(survey=few_men, area_code=AREA, characteristics=["sex"], cap=3.25, floor=0.57)
    assert (result.rake.cap, result.rake.floor) == (4, 0.5)
    exact = weighting_run(
        survey=few_men, area_code=AREA, characteristics=["sex"], cap=3.27, floor=0.57, audience=Audience.EXACT
    )
    assert exact.rake.cap == 3.27
