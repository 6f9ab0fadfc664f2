"""The officer's report and weighting pages in Chromium: sign in, read the report, no axe violations."""

import pytest
from playwright.sync_api import expect

from representativeness.services.baselines import census_shipped_load
from surveys.models import ResidenceArea
from surveys.synthetic import responses_generate
from tests.browser.axe_rules import axe_violations, describe
from tests.factories import TeamFactory, staff_member

pytestmark = pytest.mark.browser


@pytest.fixture
def reported_survey(demo_survey):
    census_shipped_load()
    from representativeness.models import Area

    for ward in Area.objects.filter(level="ward"):
        ResidenceArea.objects.get_or_create(code=ward.code, defaults={"name": ward.name})
    from surveys.equality.services import equality_section_add

    equality_section_add(survey=demo_survey)  # again, now that the wards are known
    responses_generate(survey=demo_survey, count=400, seed=3)
    demo_survey.team = TeamFactory(name="Parks")
    demo_survey.save()
    return demo_survey


def sign_in(page, live_server, *, equality_data: bool = False) -> None:
    # An engagement officer in Parks, the survey's team.
    staff_member("officer", password="a-long-test-password", equality_data=equality_data)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()


def test_report_and_weighting_pages_pass_axe(live_server, reported_survey, js_page):
    page = js_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/officers/surveys/{reported_survey.pk}/representativeness/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has responded, compared with the 2021 Census")
    expect(page.get_by_text("under-represented").first).to_be_visible()
    assert page.locator("figure svg").count() >= 8
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.get_by_role("link", name="See the results weighted as if respondents had matched the census").click()
    expect(page.get_by_text("Design effect")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    for name in ["Age", "Sex", "Ethnic group", "Disability", "Ward"]:
        page.get_by_role("checkbox", name=name, exact=True).uncheck()
    page.get_by_role("button", name="Weight the results").click()
    expect(page.get_by_text("Choose at least one characteristic to weight on").first).to_be_visible()
    assert page.title().startswith("Error: ")
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_report_works_without_javascript(live_server, reported_survey, page):
    sign_in(page, live_server, equality_data=True)  # filtering is for staff who may see small numbers
    page.goto(f"{live_server.url}/officers/surveys/{reported_survey.pk}/representativeness/")
    page.get_by_label("Channel").select_option("paper")
    page.get_by_role("button", name="Update report").click()
    expect(page.get_by_text("(paper only)")).to_be_visible()
