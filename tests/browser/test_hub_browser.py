"""The hub in Chromium: a resident finds a consultation by searching and reads its document; the hub's
pages pass axe (WCAG 2.2 AA)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from engagement.formats.services import format_contacts_delete
from engagement.models import Document, Event, FormatRequest, Listing, Outcome, Topic
from surveys.models import Answer, Choice, Response, Survey
from tests.browser.axe_rules import axe_violations, describe
from tests.factories import TeamFactory, staff_member, survey_with_routing

pytestmark = pytest.mark.browser
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def hub_world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    parks, _ = Topic.objects.get_or_create(slug="parks", defaults={"name": "Parks and open spaces"})
    survey = Survey.objects.create(
        title="New playgrounds for Sale",
        slug="playgrounds",
        summary="Where should the new play areas go?",
        status=Survey.Status.OPEN,
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=20),
    )
    Survey.objects.create(
        title="Parking charges",
        slug="parking",
        summary="Charges in council car parks.",
        status=Survey.Status.OPEN,
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=10),
    )
    Listing.objects.create(survey=survey, topic=parks, return_address="Town Hall\nSale M33 7ZZ")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "plan.pdf").write_bytes(PDF)
    Document.objects.create(survey=survey, title="The draft plan", kind="pdf", file="documents/plan.pdf", size=len(PDF))
    Event.objects.create(
        survey=survey,
        title="Drop-in at Sale Library",
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=2),
        place="Sale Library, Tatton Road",
        accessibility="Step-free access and a hearing loop.",
    )
    return survey


@pytest.fixture
def paper_world(transactional_db):
    """A Parks survey with a routed question and answers to chart, and an officer."""
    staff_member("officer", password="a-long-test-password")
    now = timezone.now()
    survey = survey_with_routing(
        title="Parks opening hours",
        slug="opening-hours",
        team=TeamFactory(name="Parks"),
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=20),
    )
    yes = Choice.objects.get(question__key="visit", value="yes", question__page__survey=survey)
    visit = yes.question
    for i in range(3):
        response = Response.objects.create(survey=survey, reference=f"OPEN-000{i}", submission_key=f"k{i}")
        Answer.objects.create(response=response, question=visit, choice=yes)
    return survey


def assert_accessible(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}\n{describe(violations)}"


def test_a_resident_finds_a_consultation_by_search_and_reads_its_document(live_server, page, hub_world):
    page.goto(live_server.url)
    page.get_by_label("Search consultations").fill("playgrounds")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 consultation found")).to_be_visible()
    expect(page.get_by_role("link", name="Parking charges")).to_have_count(0)
    page.get_by_role("link", name="New playgrounds for Sale").click()
    expect(page.locator("h1")).to_have_text("New playgrounds for Sale")
    expect(page.get_by_text("Step-free access and a hearing loop.")).to_be_visible()
    link = page.get_by_role("link", name="The draft plan")
    served = page.request.get(live_server.url + link.get_attribute("href"))
    assert served.status == 200 and served.headers["content-type"] == "application/pdf"
    assert served.body() == PDF


def test_the_hub_and_consultation_pages_pass_axe(live_server, js_page, hub_world):
    page = js_page
    page.goto(live_server.url)
    assert_accessible(page, "hub")
    page.goto(live_server.url + "/?q=nothing+matches+this&status=closed")
    expect(page.get_by_text("No consultations match your search")).to_be_visible()
    assert_accessible(page, "hub, no results")
    page.goto(live_server.url + "/?topic=nope&status=bogus&q=" + "x" * 300)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Search must be 200 characters or fewer")
    assert_accessible(page, "hub, with a bad filter and an over-long search")
    page.goto(f"{live_server.url}/consultations/{hub_world.slug}/")
    assert_accessible(page, "consultation page")


PASSWORD = "a-long-test-password"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your consultations")


def test_a_resident_asks_for_large_print(live_server, page, hub_world):
    page.goto(f"{live_server.url}/consultations/{hub_world.slug}/")
    page.get_by_role("link", name="Ask for another format").click()
    page.get_by_role("button", name="Send the request").click()
    expect(page).to_have_title(re.compile(r"^Error: Ask for another format"))
    page.get_by_label("Large print").check()
    page.get_by_label("Your name").fill("Ann Smith")
    page.get_by_label("Postal address").fill("1 High Street\nSale M33 1AA")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    request = FormatRequest.objects.get()
    assert request.formats == ["large_print"] and request.name == "Ann Smith"
    large = page.request.get(f"{live_server.url}/consultations/{hub_world.slug}/paper-large-print.pdf")
    assert large.status == 200 and large.body().startswith(b"%PDF-")


def test_an_officer_keys_in_a_paper_response(live_server, page, paper_world):
    survey = paper_world
    sign_in(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/officers/surveys/{survey.pk}/")
    page.get_by_role("link", name="Key in paper, phone, event and partner responses").click()
    page.get_by_label("Paper form", exact=True).check()
    page.get_by_label("Paper form number").fill("P0001")
    page.get_by_role("group", name="Do you visit parks?").get_by_label("No").check()
    page.get_by_role("button", name="Save this response").click()
    expect(
        page.get_by_text(re.compile(r"Response [A-Z0-9]{4}-[A-Z0-9]{4} \(paper form P0001\) has been saved"))
    ).to_be_visible()
    # The next one, on the same page: the same number is refused.
    expect(page.get_by_label("Paper form", exact=True)).to_be_checked()
    page.get_by_label("Paper form number").fill("P0001")
    page.get_by_role("group", name="Do you visit parks?").get_by_label("Yes").check()
    page.get_by_label("Which park?").fill("Walton Park")
    page.get_by_role("button", name="Save this response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Paper form P0001 has already been entered")
    assert Response.objects.filter(survey=survey, channel="paper").count() == 1


def test_the_outcome_page_shows_after_publication(live_server, page, paper_world):
    survey = paper_world
    page.goto(f"{live_server.url}/consultations/{survey.slug}/hear-the-outcome/")
    page.get_by_label("Email address").fill("ann@example.com")
    page.get_by_role("button", name="Email me the outcome").click()
    expect(page.get_by_role("heading", name="We will email you")).to_be_visible()
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED, closes_at=timezone.now())
    sign_in(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/officers/surveys/{survey.pk}/outcome/")
    page.get_by_label("We asked").fill("Whether you visit parks.")
    page.get_by_label("You said").fill("Most of you do.")
    page.get_by_label("We did").fill("We will keep the parks open longer.")
    page.get_by_label("Day").fill("5")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Publish the outcome").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date of the decision must be today or in the past")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Publish the outcome").click()
    warning = "This will email 1 resident who asked to hear the outcome; this cannot be undone."
    expect(page.get_by_text(warning)).to_be_visible()
    page.get_by_role("button", name="Publish and email 1 resident").click()
    expect(page.get_by_text("The outcome has been published. 1 resident emailed.")).to_be_visible()
    page.goto(f"{live_server.url}/?status=closed")
    page.get_by_role("link", name=re.compile("See what we decided")).click()
    expect(page.locator("h1")).to_have_text("We asked, you said, we did")
    expect(page.get_by_text("We will keep the parks open longer.")).to_be_visible()


def test_request_outcome_and_entry_pages_pass_axe(live_server, js_page, paper_world):
    page, base, survey = js_page, live_server.url, paper_world
    page.goto(f"{base}/consultations/{survey.slug}/request-a-format/")
    assert_accessible(page, "format request")
    page.get_by_role("button", name="Send the request").click()
    assert_accessible(page, "format request with errors")
    page.goto(f"{base}/consultations/{survey.slug}/hear-the-outcome/")
    assert_accessible(page, "hear the outcome")
    page.get_by_label("Email address").fill("ann@example.com")
    page.get_by_role("button", name="Email me the outcome").click()
    sign_in(page, base, "officer")
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED, closes_at=timezone.now())
    page.goto(f"{base}/officers/surveys/{survey.pk}/outcome/")
    for label, text in [("We asked", "a"), ("You said", "b"), ("We did", "c")]:
        page.get_by_label(label).fill(text)
    page.get_by_label("Day").fill("5")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Publish the outcome").click()
    assert_accessible(page, "check before publishing the outcome")
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN, closes_at=None)
    page.goto(f"{base}/officers/surveys/{survey.pk}/responses/enter/")
    assert_accessible(page, "key in a response")
    page.get_by_role("button", name="Save this response").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "key in a response, with errors")
    FormatRequest.objects.create(survey=survey, formats=["bsl"], name="Ann", email="ann@example.com")
    page.goto(f"{base}/officers/surveys/{survey.pk}/format-requests/")
    assert_accessible(page, "format requests queue")
    page.goto(f"{base}/officers/surveys/{survey.pk}/close/")
    expect(page.get_by_text("1 request for another format is still waiting.")).to_be_visible()
    assert_accessible(page, "close early, with a format request waiting")
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED, closes_at=timezone.now())
    format_contacts_delete(survey=survey)
    page.goto(f"{base}/officers/surveys/{survey.pk}/format-requests/")
    expect(page.get_by_text("Contact details deleted at closing")).to_be_visible()
    assert_accessible(page, "format requests queue after closing")
    Outcome.objects.create(
        survey=survey,
        we_asked="a",
        you_said="b",
        we_did="c",
        decided_on=timezone.localdate(),
        published_at=timezone.now(),
    )
    page.goto(f"{base}/consultations/{survey.slug}/outcome/")
    assert_accessible(page, "outcome")
    page.goto(f"{base}/consultations/{survey.slug}/")
    assert_accessible(page, "closed consultation with its outcome")
