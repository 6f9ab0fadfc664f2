"""axe-core finds no WCAG 2.2 AA violations on any page of the journey, errors included."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from surveys.models import Survey
from tests.browser.axe_rules import AXE_TAGS, axe_violations, describe
from tests.browser.steps import continue_

pytestmark = pytest.mark.browser


class Audit:
    """Runs axe on each page visited and remembers what it found, to report every page at once."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: dict[str, str] = {}
        self.pages: list[str] = []

    def __call__(self, label: str) -> None:
        self.pages.append(label)
        violations = axe_violations(self.page)
        if violations:
            self.found[f"{label} ({self.page.url})"] = describe(violations)

    def assert_clean(self) -> None:
        report = "\n\n".join(f"{page}:\n{found}" for page, found in self.found.items())
        assert not self.found, f"axe found violations:\n{report}"


def test_the_rule_set_is_wcag_2_2_aa():
    assert AXE_TAGS == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_every_page_of_the_journey_passes_axe(live_server, demo_survey, js_page, new_browser_page):
    page = js_page
    audit = Audit(page)
    page.goto(live_server.url)
    audit("home")
    page.get_by_role("link", name=demo_survey.title).click()
    audit("consultation page")
    page.get_by_role("button", name="Respond online").click()
    audit("start page")
    page.get_by_role("button", name="Start now").click()
    audit("first question")
    continue_(page)
    expect(page.get_by_text("There is a problem")).to_be_visible()
    audit("first question with an error")

    page.get_by_label("Never").check()
    continue_(page)
    page.get_by_label("They are too far away").check()
    page.get_by_label("I do not feel safe there").check()
    page.get_by_label("There are no toilets").check()
    page.get_by_label("I do not have time").check()
    continue_(page)
    expect(page.get_by_text("Select no more than 3 for what stops you visiting").first).to_be_visible()
    audit("multiple choice with too many answers")
    page.get_by_role("link", name="Back").click()

    page.get_by_label("At least once a week").check()
    continue_(page)
    audit("page with a dropdown, checkboxes and a grid")
    page.get_by_label("Other (please specify)").check()
    continue_(page)
    expect(page.get_by_text("There is a problem")).to_be_visible()
    audit("page with a dropdown, checkboxes and a grid, with errors")
    page.get_by_label("Which park do you visit most?").select_option(label="Stamford Park")
    page.get_by_label("Please specify what you do there").fill("Parkrun")
    for row in ["Paths", "Toilets", "Play areas", "Lighting", "Cafe"]:
        page.get_by_role("group", name=row, exact=True).get_by_label("Good", exact=True).check()
    continue_(page)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("How many minutes does it take you to walk to your nearest park?").fill("lots")
    continue_(page)
    audit("number and date with errors")
    page.get_by_label("How many minutes does it take you to walk to your nearest park?").fill("5")
    page.get_by_label("Day").fill("1")
    continue_(page)
    audit("agreement scales and long text with a character count")
    page.get_by_role("group", name="We should plant 10,000 more trees").get_by_label("Agree", exact=True).check()
    page.get_by_role("group", name="We should mow less often").get_by_label("Agree", exact=True).check()
    continue_(page)
    page.get_by_label("Yes").check()
    continue_(page)
    audit("email question")
    continue_(page)
    audit("email question with an error")
    page.get_by_label("What is your email address?").fill("resident@example.com")
    continue_(page)
    audit("short text")
    page.get_by_role("button", name="Save and come back later").click()
    audit("saved, with the resume link")
    link = page.locator("#resume-link").get_attribute("href")
    page.get_by_role("link", name="Continue answering now").click()
    continue_(page)

    audit("About you introduction")
    continue_(page)
    audit("date of birth")
    page.get_by_label("Year").fill("1980")
    continue_(page)
    audit("date of birth with an error")
    page.get_by_label("Year").fill("")
    page.get_by_label("If you prefer not to give your date of birth, what is your age?").fill("46")
    continue_(page)
    while page.get_by_role("heading", name="Check your answers before sending them").count() == 0:
        audit(f"About you: {page.locator('h1').inner_text().splitlines()[-1]}")
        continue_(page)
    audit("check your answers")
    page.get_by_role("button", name="Accept and send").click()
    expect(page.get_by_role("heading", name="Response sent")).to_be_visible()
    audit("confirmation")
    page.goto(f"{live_server.url}/s/{demo_survey.slug}/")
    expect(page.get_by_text("A response to this consultation was sent from this device")).to_be_visible()
    audit("start page after sending")

    other = new_browser_page(javascript=True)
    other_audit = Audit(other)
    other.goto(link)
    other_audit("resume link already used")
    for path in ("/accessibility/", "/cookies/", "/privacy/", f"/s/{demo_survey.slug}/privacy/"):
        other.goto(live_server.url + path)
        other_audit(path)
    Survey.objects.filter(pk=demo_survey.pk).update(opens_at=timezone.now() + dt.timedelta(days=2))
    other.goto(f"{live_server.url}/s/{demo_survey.slug}/")
    expect(other.get_by_role("heading", name="This consultation is not open yet")).to_be_visible()
    other_audit("not open yet")
    Survey.objects.filter(pk=demo_survey.pk).update(status=Survey.Status.CLOSED)
    other.goto(f"{live_server.url}/s/{demo_survey.slug}/")
    other_audit("closed")

    assert len(audit.pages) > 25
    audit.found.update(other_audit.found)
    audit.assert_clean()


def test_pages_pass_axe_as_they_are_without_javascript(live_server, demo_survey, js_page):
    """Without JavaScript, write-in boxes are all shown and nothing is enhanced: check that state too.

    axe itself needs JavaScript, so the page keeps it but our scripts are blocked, leaving the page
    exactly as the server sent it."""
    page = js_page
    page.route("**/static/js/**", lambda route: route.abort())
    audit = Audit(page)
    page.goto(f"{live_server.url}/s/{demo_survey.slug}/questions/")
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    page.get_by_label("At least once a week").check()
    continue_(page)
    continue_(page)
    expect(page).to_have_title(re.compile("^Error: "))
    audit("grid page with errors, scripts blocked")
    audit.assert_clean()


def test_starting_again_and_a_timed_out_journey_pass_axe(live_server, demo_survey, js_page):
    from django.contrib.sessions.models import Session

    page = js_page
    audit = Audit(page)
    page.goto(f"{live_server.url}/s/{demo_survey.slug}/questions/")
    page.get_by_label("At least once a week").check()
    continue_(page)
    audit("page with the About you section to come")
    page.goto(f"{live_server.url}/s/{demo_survey.slug}/")
    audit("start page with answers in progress")
    page.get_by_role("link", name="start again").click()
    expect(page.get_by_role("heading", name="Are you sure you want to start again?")).to_be_visible()
    audit("are you sure you want to start again")
    page.get_by_role("button", name="Yes, delete the answers and start again").click()
    page.get_by_label("At least once a week").check()
    Session.objects.all().delete()  # as if an hour had passed
    continue_(page)
    expect(page.get_by_role("heading", name="You’ll have to start again")).to_be_visible()
    audit("you'll have to start again")
    audit.assert_clean()
