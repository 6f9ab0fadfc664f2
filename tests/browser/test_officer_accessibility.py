"""No axe violations (WCAG 2.2 AA) on any officer page: every GET page under /officers/, read from the URL
configuration so a new page cannot be missed, then the error states, the publish checklist and the
sign-in and password pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from access.table import guarded_routes
from audit.services import Actor
from engagement.builder.services.structure import QuestionDetails, page_add, question_add
from engagement.models import Document, Event
from exports.models import ResponseExport
from plans.models import Activity, Partner, TargetGroup
from representativeness.models import GroupDataset
from representativeness.populations.datasets import counts_as_json, dataset_counts, table_rows
from representativeness.services.baselines import census_shipped_load
from surveys.equality.services import equality_section_add
from surveys.models import Question, Response, Survey
from surveys.synthetic import responses_generate
from tests.browser.axe_rules import axe_violations, describe
from tests.factories import TeamFactory, staff_member

pytestmark = pytest.mark.browser
# Long flows on a shared machine: wait longer than the default before calling a page or check failed.
SLOW = 60_000
PASSWORD = "a-long-test-password"


@pytest.fixture
def world(transactional_db):
    census_shipped_load()
    admin = staff_member("admin", role="Administrator", team=None, equality_data=True, password=PASSWORD)
    staff_member("officer", password=PASSWORD)
    survey = Survey.objects.create(
        title="Parks", slug="parks", team=TeamFactory(name="Parks"), status=Survey.Status.DRAFT, minimum_age=16
    )
    first = survey.pages.create(position=1, title="Visits")
    often = question_add(
        page=first,
        details=QuestionDetails(text="How often?", hint="", type=Question.Type.SINGLE_CHOICE, required=True),
        choices=["Weekly", "Never"],
    )
    question_add(
        page=first,
        details=QuestionDetails(text="Rate them", hint="", type=Question.Type.GRID, required=False),
        choices=["Good", "Poor"],
        rows=["Paths", "Toilets"],
    )
    why = page_add(survey=survey, title="Why not")
    equality_section_add(survey=survey, keys=["sex", "ethnic_group"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    responses_generate(survey=survey, count=30, seed=5)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.DRAFT)
    response = Response.objects.filter(survey=survey).first()
    group = TargetGroup.objects.create(survey=survey, characteristic="sex", category="Female", target=40)
    activity = Activity.objects.create(survey=survey, kind="event", title="Drop-in", date="2027-01-09")
    activity.target_groups.add(group)
    partner = Partner.objects.create(name="Age UK Trafford", communities=["sex:Female"])
    header, rows = table_rows(
        file_name="users.csv", data=("Sex,Ethnicity\n" + "Female,A\n" * 30 + "Male,C\n" * 12 + "M,Z\n").encode()
    )
    dataset = GroupDataset.objects.create(
        team=survey.team,
        title="Users",
        file_name="users.csv",
        minimum_age=16,
        people=43,
        counts=counts_as_json(dataset_counts(header, rows, on=dt.date(2027, 1, 1))),
    )
    export = ResponseExport.objects.create(survey=survey, requested_by=admin, file_format="csv")
    document = Document.objects.create(survey=survey, title="Draft plan", kind="pdf", file="documents/plan.pdf", size=9)
    starts = timezone.now() + dt.timedelta(days=7)
    event = Event.objects.create(
        survey=survey, title="Drop-in", starts_at=starts, ends_at=starts + dt.timedelta(hours=2), place="Library"
    )
    return {
        "document_id": document.pk,
        "event_id": event.pk,
        "survey_id": survey.pk,
        "export_id": export.pk,
        "page_id": first.pk,
        "why_page_id": why.pk,
        "question_id": often.pk,
        "kind": "choices",
        "option_id": often.choices.first().pk,
        "question_type": "single_choice",
        "response_id": response.pk,
        "user_id": admin.pk,
        "team_id": survey.team_id,
        "file_format": "csv",
        "actor": Actor(user=admin),
        "group_id": group.pk,
        "activity_id": activity.pk,
        "partner": partner.pk,
        "dataset_id": dataset.pk,
    }


def sign_in(page: Page, base: str, username: str = "admin") -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your consultations")


def assert_accessible(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}\n{describe(violations)}"


def test_every_officer_page_passes_axe(live_server, js_page, world):
    page, base = js_page, live_server.url
    page.set_default_timeout(SLOW)
    sign_in(page, base)
    checked = 0
    for route in guarded_routes():
        rule = route.rule
        is_file = "." in route.route.rstrip("/").rsplit("/", 1)[-1]  # audit.csv, representativeness.<format>
        if route.is_admin or rule is None or "GET" not in rule.methods or is_file:
            continue
        url = base + reverse(route.name, kwargs={a: world[a] for a in route.arguments})
        response = page.goto(url)
        assert response is not None and response.status < 500, url
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue  # a download
        assert_accessible(page, url)
        checked += 1
    assert checked >= 30


def test_error_states_and_the_publish_checklist_pass_axe(live_server, js_page, world):
    page, base = js_page, live_server.url
    page.set_default_timeout(SLOW)
    survey_id = world["survey_id"]

    def officers(path: str) -> str:
        return f"{base}/officers/surveys/{survey_id}/{path}"

    # Sign-in and password pages, with their errors.
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "sign-in error")
    page.goto(f"{base}/accounts/password_reset/")
    assert_accessible(page, "password reset")
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Send the link").click()
    assert page.title().startswith("Error:")
    assert_accessible(page, "password reset error")

    sign_in(page, base)
    forms = [
        (f"{base}/officers/surveys/new/", "Create the survey"),
        (officers("pages/new/"), "Add the page"),
        (officers(f"pages/{world['page_id']}/questions/new/"), "Continue"),
        (officers(f"pages/{world['page_id']}/questions/new/single_choice/"), "Add the question"),
        (officers(f"questions/{world['question_id']}/choices/new/"), "Add the choice"),
        (officers(f"pages/{world['why_page_id']}/condition/"), "Continue"),
        (officers(f"preview/{world['page_id']}/"), "Check these answers"),
        (f"{base}/officers/staff/new/", "Add them and send a link to choose a password"),
        (f"{base}/officers/teams/new/", "Add the team"),
        (f"{base}/accounts/password_change/", "Change your password"),
    ]
    for url, button in forms:
        page.goto(url)
        page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert page.title().startswith("Error:"), url
        assert_accessible(page, f"errors on {url}")

    # A refused change, and a condition's second step.
    page.goto(officers(f"questions/{world['question_id']}/"))
    page.get_by_label("Question", exact=True).fill("How often do you go?")
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_text("Confirm that the new wording asks the same thing").first).to_be_visible()
    assert_accessible(page, "reword needing confirmation")
    page.goto(officers(f"pages/{world['why_page_id']}/condition/") + f"?question={world['question_id']}")
    page.get_by_role("button", name="Save the condition").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "condition answers, none chosen")
    page.goto(officers(f"questions/{world['question_id']}/delete/"))
    expect(page.get_by_text("It cannot be deleted")).to_be_visible()
    assert_accessible(page, "deletion refused: the question has answers")

    # The publish checklist, full of problems.
    page.goto(officers("publish/"))
    expect(page.get_by_text("The survey cannot be published yet")).to_be_visible()
    assert_accessible(page, "publish checklist")
    # The audit log with a bad date.
    page.goto(f"{base}/officers/audit/?date_from_0=31&date_from_1=2&date_from_2=2026")
    assert page.title().startswith("Error:")
    assert_accessible(page, "audit log error")
    # The lock-out page.
    page.context.clear_cookies()
    for _ in range(5):
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("officer")
        page.get_by_label("Password").fill("wrong password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Too many attempts to sign in")
    assert_accessible(page, "locked out")


def test_equality_analysis_eqia_and_lived_experience_pass_axe(live_server, js_page, world):
    page, base = js_page, live_server.url
    page.set_default_timeout(SLOW)
    url = f"{base}/officers/surveys/{world['survey_id']}/equality-analysis/"
    # A survey asking sex and date of birth: the page adds them together against the census (TS009).
    joint = Survey.objects.create(
        title="Libraries", slug="libraries", team=TeamFactory(name="Parks"), status=Survey.Status.OPEN, minimum_age=16
    )
    joint.pages.create(position=1, title="Visits")
    equality_section_add(survey=joint, keys=["sex", "date_of_birth"])
    responses_generate(survey=joint, count=150, seed=7)
    for username in ("officer", "admin"):  # the administrator here has the equality-data permission
        page.context.clear_cookies()
        sign_in(page, base, username)
        for query in ("", "?weighted=on"):
            page.goto(url + query)
            expect(page.locator("h1")).to_have_text("How each group answered")
            assert_accessible(page, f"equality analysis{query} as {username}")
        page.goto(f"{base}/officers/surveys/{joint.pk}/equality-analysis/")
        expect(page.get_by_role("heading", name="Who answered, by sex and age together")).to_be_visible()
        expect(page.get_by_role("table", name="Sex and age: respondents against the census")).to_be_visible()
        assert_accessible(page, f"equality analysis with sex and age together as {username}")
        page.goto(f"{base}/officers/surveys/{world['survey_id']}/equality-impact-assessment/")
        expect(page.locator("h1")).to_contain_text("Equality Impact Assessment")
        assert_accessible(page, f"EqIA summary as {username}")
    # Lived experience (the administrator has the equality-data permission): a group, and one too small.
    for group in ("sex:Female", "sex:Male"):
        page.goto(f"{base}/officers/surveys/{world['survey_id']}/lived-experience/?group={group}")
        expect(page.locator("h1")).to_have_text("What one group wrote")
        assert_accessible(page, f"lived experience {group}")
