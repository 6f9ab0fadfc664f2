"""Weighting on a group the report hides as the complement of a small one, for an officer without the
equality-data permission and for an analyst with it.

100 people with no religion, 90 Christians and 4 Buddhists: the report hides Buddhist (4) and, beside it,
No religion (100), leaving Christian 90 and the 194 who answered. Raking on No religion by itself, its
weight (the census share over its share of respondents) and so the design effect and effective sample size
depend on its count, which the report hides. For the protected audience it is weighted together with the
other hidden and empty groups, as one group of 194 - 90 = 104 that the shown counts give; the exact audience
still rakes on it.
"""

import re

import pytest
from django.urls import reverse

from representativeness.disclosure import Audience
from representativeness.weighting import weighting_run
from tests.factories import staff_member
from tests.representativeness.disclosure.test_attacks import download_rows
from tests.representativeness.reports.conftest import AREA, RELIGION, add, make_survey

pytestmark = pytest.mark.django_db

CENSUS = {label: n for label, n in RELIGION.items() if label != "Not answered"}


def _survey(slug: str, no_religion: int, buddhist: int):
    survey = make_survey(slug)
    add(survey, no_religion, sex="female", religion="no_religion")
    add(survey, 90, sex="male", religion="christian")
    add(survey, buddhist, sex="female", religion="buddhist")
    return survey


def kish(groups: list[tuple[int, float]]) -> float:
    """Kish's effective sample size of post-stratification to (respondents, census count) groups: each group's
    weight is its census share over its share of respondents."""
    n, population = sum(g[0] for g in groups), sum(g[1] for g in groups)
    weights = [(target / population) / (count / n) for count, target in groups]
    return sum(c * w for (c, _), w in zip(groups, weights, strict=True)) ** 2 / sum(
        c * w * w for (c, _), w in zip(groups, weights, strict=True)
    )


def _page(client, survey) -> str:
    url = reverse("representativeness:weighting", args=[survey.pk]) + f"?area={AREA}&characteristics=religion&weigh=1"
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(url).content.decode()))
    words = re.sub(r"published on [^.]*\.", "published on ...", words)
    return words[words.index("How the weighting went") :]


@pytest.fixture
def surveys(area):
    return _survey("truth", 100, 4), _survey("other", 98, 6)


def test_a_large_group_the_report_hides_is_not_raked_on_by_itself_for_the_protected_audience(client, surveys):
    truth, other = surveys
    client.force_login(staff_member("officer"))
    for survey in surveys:
        religion = {
            r["category"]: r["respondents"] for r in download_rows(client, survey) if r["characteristic"] == "Religion"
        }
        assert religion["No religion"] == religion["Buddhist"] == "" and religion["Christian"] == "90"

    result = weighting_run(survey=truth, area_code=AREA, characteristics=["religion"], audience=Audience.PROTECTED)
    # Christian against the rest (No religion, Buddhist and the empty groups), whose 104 the report gives.
    rest = sum(n for label, n in CENSUS.items() if label != "Christian")
    assert result.rake.effective_sample_size == pytest.approx(kish([(90, CENSUS["Christian"]), (104, rest)]))
    lines = result.diagnostics()
    assert (
        "Religion: groups with fewer than 10 responses, or whose counts the report hides, are weighted together."
        in lines
    )
    assert not any("No religion" in line or "Buddhist" in line for line in lines)

    # The page, whatever the split of the 104 the report leaves possible, is the same (before, No religion's
    # own weight moved the effective sample size: 100 or 98 of them gave different figures).
    page = _page(client, truth)
    assert "design effect" in page.lower() and page == _page(client, other)


def test_the_exact_audience_still_rakes_on_the_group_the_report_hides(surveys):
    truth, other = surveys
    sizes = {}
    for survey, no_religion in ((truth, 100), (other, 98)):
        result = weighting_run(survey=survey, area_code=AREA, characteristics=["religion"], audience=Audience.EXACT)
        # No religion by itself; the rest (fewer than WEIGHTING_MIN_CELL, 20, in every other group) together.
        rest = sum(n for label, n in CENSUS.items() if label != "No religion")
        expected = kish([(no_religion, CENSUS["No religion"]), (194 - no_religion, rest)])
        assert result.rake.effective_sample_size == pytest.approx(expected)
        sizes[no_religion] = result.rake.effective_sample_size
    assert sizes[100] != pytest.approx(sizes[98])  # its count is in the exact figures
