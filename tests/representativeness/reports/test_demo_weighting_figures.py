"""The figures issue 11 reported on the demo consultation (1,500 synthetic responses, Trafford), as cases.

Raked on age, sex, 19 ethnic groups, disability and 21 wards with cells of 2 the demo got a largest
weight of 17 and a design effect of 3.8, and a linear programme showed 10.05 to be the smallest possible
largest weight: caps of 5 and 3 cannot be met. Collapsing small categories first lowers the design
effect; impossible caps are refused with the figure, and nothing weighted is shown for them.
"""

import math
import re

import pytest
from django.core.management import call_command

from representativeness.disclosure import Audience
from representativeness.errors import ReportError
from representativeness.stats.bounds import smallest_max_weight
from representativeness.weighting import weighting_run
from surveys.models import Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", "--password", "x-correct-horse-battery", verbosity=0)
    return Survey.objects.get(slug="future-of-our-parks")


def test_demo_weighting_figures_from_the_issue(demo):
    raw = weighting_run(audience=Audience.EXACT, survey=demo, area_code="E08000009", min_cell=1)
    assert raw.rake.collapsed == {}
    assert round(raw.rake.max_weight) == 17
    assert round(raw.rake.design_effect, 1) == 3.8
    assert round(smallest_max_weight(raw.rake), 2) == 10.05

    collapsed = weighting_run(audience=Audience.EXACT, survey=demo, area_code="E08000009")  # WEIGHTING_MIN_CELL, 20
    assert set(collapsed.rake.collapsed) == {"ethnic_group", "area"}
    assert collapsed.rake.design_effect < raw.rake.design_effect
    smallest = smallest_max_weight(collapsed.rake)
    for cap in (5, 3):
        assert cap < smallest
        with pytest.raises(ReportError) as error:
            weighting_run(audience=Audience.EXACT, survey=demo, area_code="E08000009", cap=cap)
        assert f"the smallest possible largest weight is {math.ceil(smallest * 100) / 100:.2f}." in str(error.value)
    assert collapsed.rake.smallest_possible_max_weight == pytest.approx(smallest)
    shown = f"can keep every weight below {math.ceil(smallest * 100) / 100:.2f} times the average"
    assert any(shown in line for line in collapsed.diagnostics())
    # Wards by name, never by code: "Ward: E05000834, E05000837 and E05000839 have fewer than 20 respondents".
    combined = next(line for line in collapsed.diagnostics() if line.startswith("Ward: "))
    assert not re.search(r"E0\d{7}", " ".join(collapsed.diagnostics())), combined
    assert re.match(r"Ward: [A-Z][a-z].* fewer than 20 respondents", combined), combined


def test_demo_outreach_for_the_broad_ethnic_groups_together(demo):
    from representativeness.disclosure import Audience
    from representativeness.reports.builder import report_build

    report = report_build(survey=demo, area_code="E08000009", audience=Audience.EXACT)
    broad = next(c for c in report.characteristics if c.key == "ethnic_group" and c.level == "broad")
    # The issue's figures: 203 group by group, 238 to reach the under-represented broad groups together.
    assert broad.outreach_added_up == 203
    assert broad.joint_outreach_needed == 238


def test_demo_trial_trimming_far_from_the_census_is_refused(demo):
    """The trial: cap=3&floor=0.3&bounds=trim on the five default characteristics showed full results "if
    matched to census" with one line saying they "differ from the census by up to 82.9%"."""
    with pytest.raises(ReportError) as error:
        weighting_run(audience=Audience.EXACT, survey=demo, area_code="E08000009", cap=3, floor=0.3, trim=True)
    assert "more than 5 percentage points from the census" in str(error.value)
    assert "Nothing weighted is shown." in str(error.value)
    assert not re.search(r"E0\d{7}", str(error.value))  # a ward among the worst groups is named
    with pytest.raises(ReportError) as protected:
        weighting_run(audience=Audience.PROTECTED, survey=demo, area_code="E08000009", cap=3, floor=0.3, trim=True)
    assert "more than 5 percentage points from the census (some groups of" in str(protected.value)
