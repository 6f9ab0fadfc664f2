"""The engagement plan's activity-by-group table and its weekly progress, attacked as an officer without the
equality-data permission would (issue #10, the plan part of issue #15): reading every figure the plan page
shows, with the report's own counts and the number of responses each week, and solving for the counts the
page does not show as a linear programme.

The two target groups are nested: "Disabled under the Equality Act" (broad) holds "Day-to-day activities
limited a lot" (detailed). Before, each figure was protected on its own, so Disabled through the forum (13)
minus limited a lot through it (10) gave the 3 limited a little who came through it; week 1's 23 Disabled
minus its 20 limited a lot gave week 1's 3 limited a little; and Disabled's total (53) minus what came
through each activity (13 and 37) gave the 3 Disabled who came through none.
"""

import datetime as dt

import lxml.html
import pytest
from django.utils import timezone

from plans.models import Activity, Attribution, TargetGroup
from surveys.models import EqualityProfile, Response
from tests.attacker import count_ranges
from tests.factories import staff_member
from tests.representativeness.reports.test_census_bases import GM, TRAFFORD, _load, _survey

pytestmark = pytest.mark.django_db

DISABLED = "Disabled under the Equality Act"
A_LOT = "Day-to-day activities limited a lot"
LEAVES = ("a_lot", "a_little", "other")  # limited a lot, limited a little, everyone else
IN_GROUP = {DISABLED: ("a_lot", "a_little"), A_LOT: ("a_lot",)}
STORED = {
    "a_lot": {"long_term_condition": "yes", "disability": "a_lot"},
    "a_little": {"long_term_condition": "yes", "disability": "a_little"},
    "not_limited": {"long_term_condition": "yes", "disability": "not_at_all"},
    "no_condition": {"long_term_condition": "no"},
}


def _respond(survey, count: int, answer: str, *, week: int, activity: Activity | None = None) -> None:
    """`count` responses with one disability answer, sent in the plan's `week`, through `activity`."""
    sent = survey.opens_at + dt.timedelta(days=7 * (week - 1) + 1)
    for _ in range(count):
        n = Response.objects.count()
        response = Response.objects.create(survey=survey, reference=f"G{n:07d}", submission_key=f"g{n}")
        Response.objects.filter(pk=response.pk).update(submitted_at=sent)
        EqualityProfile.objects.create(
            response=response, survey=survey, submitted_at=sent, library_version="test", **STORED[answer]
        )
        if activity is not None:
            Attribution.objects.create(activity=activity, response=response, how="named")


@pytest.fixture
def plan(settings):
    """193 respondents over two weeks, all of whose disability counts the report shows (30 limited a lot,
    23 a little, 40 not limited, 100 with no condition), two activities, and the two nested groups."""
    settings.COUNCIL = {**settings.COUNCIL, "area_code": TRAFFORD}
    _load(TRAFFORD, GM / "2021_disability_la_gm.csv")
    survey = _survey(["long_term_condition", "disability"], slug="forum")
    survey.opens_at = timezone.now() - dt.timedelta(days=10)
    survey.save()
    forum = Activity.objects.create(survey=survey, kind="focus_group", title="Disability forum", date="2027-01-10")
    mailing = Activity.objects.create(survey=survey, kind="partner_mailing", title="Mailing", date="2027-01-12")
    for category in (DISABLED, A_LOT):
        level = "broad" if category == DISABLED else "detailed"
        group = TargetGroup.objects.create(
            survey=survey, characteristic="disability", level=level, category=category, target=100
        )
        forum.target_groups.add(group)
    _respond(survey, 20, "a_lot", week=1, activity=mailing)
    _respond(survey, 3, "a_little", week=1, activity=forum)
    _respond(survey, 10, "a_lot", week=2, activity=forum)
    _respond(survey, 17, "a_little", week=2, activity=mailing)
    _respond(survey, 3, "a_little", week=2)
    _respond(survey, 20, "no_condition", week=2, activity=forum)
    _respond(survey, 80, "no_condition", week=2)
    _respond(survey, 40, "not_limited", week=2)
    return survey


def _number(cell) -> int | None:
    words = cell.text_content().split()
    return int(words[0].replace(",", "")) if words and words[0].replace(",", "").isdigit() else None


def shown_figures(client, survey) -> list[tuple[dict, int]]:
    """Every count of the plan page as an equation: {(row, leaf): coefficient}, value. Rows are ("week", n)
    and ("through", activity title or None for no activity)."""
    page = lxml.html.fromstring(client.get(f"/officers/surveys/{survey.pk}/plan/").content)
    equations = []
    for group, leaves in IN_GROUP.items():
        (table,) = page.xpath(f'//table[caption[contains(., "Responses from {group} by week")]]')
        for row in table.xpath(".//tbody/tr"):
            week = int(row.xpath("./th")[0].text_content().split()[0])
            in_week, so_far = (_number(td) for td in row.xpath("./td"))
            if in_week is not None:
                equations.append(({(("week", week), leaf): 1 for leaf in leaves}, in_week))
            if so_far is not None:
                equations.append(({(("week", w), leaf): 1 for w in range(1, week + 1) for leaf in leaves}, so_far))
        heading = page.xpath(f'//section[h3[starts-with(normalize-space(.), "{group}")]]/p')[0].text_content()
        if "of a target of" in heading:
            total = int(heading.split()[0].replace(",", ""))
            equations.append(({(("week", w), leaf): 1 for w in (1, 2) for leaf in leaves}, total))
    (table,) = page.xpath('//table[caption[contains(., "Responses through each activity")]]')
    columns = [th.text_content().strip().removeprefix("From ") for th in table.xpath(".//thead//th")[3:]]
    for row in table.xpath(".//tbody/tr"):
        title = row.xpath("./th/a")[0].text_content().strip()
        through, *cells = (_number(td) for td in row.xpath("./td")[1:])
        equations.append(({(("through", title), leaf): 1 for leaf in LEAVES}, through))  # always shown
        for group, value in zip(columns, cells, strict=True):
            if value is not None:
                equations.append(({(("through", title), leaf): 1 for leaf in IN_GROUP[group]}, value))
    return equations


def what_the_officer_knows_anyway(survey) -> list[tuple[dict, int]]:
    """The report's counts (every disability count is shown there), how many responded each week (the
    responses list), and how many came through no activity (all respondents less each activity's)."""
    totals = {"a_lot": 30, "a_little": 23, "other": 140}
    weeks = {1: 23, 2: 170}
    equations = []
    for leaf, total in totals.items():
        equations.append(({(("week", w), leaf): 1 for w in weeks}, total))
        equations.append(({(("through", a), leaf): 1 for a in ("Disability forum", "Mailing", None)}, total))
    for week, total in weeks.items():
        equations.append(({(("week", week), leaf): 1 for leaf in LEAVES}, total))
    return equations


SMALL = {
    (("week", 1), "a_little"): 3,  # week 1's Disabled less its limited a lot
    (("through", "Disability forum"), "a_little"): 3,  # Disabled through the forum less limited a lot
    (("through", None), "a_little"): 3,  # Disabled's total less what came through each activity
}


def test_the_plan_gives_no_small_count_back_by_subtraction_across_nested_groups_activities_or_weeks(client, plan):
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    exact = count_ranges(shown_figures(client, plan) + what_the_officer_knows_anyway(plan))
    for cell, value in SMALL.items():
        assert exact[cell] == (value, value)  # the attack works on the figures the exact audience sees

    client.force_login(staff_member("officer"))
    figures = shown_figures(client, plan)
    assert figures, "the officer still sees figures"
    protected = count_ranges(figures + what_the_officer_knows_anyway(plan))
    for cell in SMALL:
        low, high = protected[cell]
        assert high - low >= 4, (cell, protected[cell])
    # The large figures that give nothing away stay shown: the groups' totals.
    page = client.get(f"/officers/surveys/{plan.pk}/plan/").content.decode()
    assert "53 of a target of 100" in page and "30 of a target of 100" in page
