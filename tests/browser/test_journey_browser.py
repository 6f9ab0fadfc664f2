"""A resident answers the demo consultation in real Chromium, with JavaScript turned off."""

import re

import pytest
from playwright.sync_api import Page, expect

from surveys.models import Answer, EqualityProfile, Response
from tests.browser.steps import continue_

pytestmark = pytest.mark.browser


def answer_consultation_pages(page: Page) -> None:
    """The demo's consultation pages, as a weekly visitor who wants updates."""
    page.get_by_label("At least once a week").check()
    continue_(page)
    expect(page.locator("h1")).to_have_text("Your local park")
    page.get_by_label("Which park do you visit most?").select_option(label="Longford Park")
    page.get_by_label("Walking or running").check()
    page.get_by_label("Other (please specify)").check()
    page.get_by_label("Please specify what you do there").fill("Parkrun")
    for row, rating in [
        ("Paths", "Good"),
        ("Toilets", "Poor"),
        ("Play areas", "Adequate"),
        ("Lighting", "Good"),
        ("Cafe", "Don't know"),
    ]:
        page.get_by_role("group", name=row, exact=True).get_by_label(rating, exact=True).check()
    continue_(page)
    page.get_by_label("How many minutes does it take you to walk to your nearest park?").fill("12")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("2026")
    continue_(page)
    page.get_by_role("group", name="We should plant 10,000 more trees").get_by_label("Strongly agree").check()
    page.get_by_role("group", name="We should mow less often").get_by_label("Agree", exact=True).check()
    page.get_by_label("Is there anything else you would like to tell us about our parks? (optional)").fill(
        "More benches near the lake."
    )
    continue_(page)
    page.get_by_label("Yes").check()
    continue_(page)
    page.get_by_label("What is your email address?").fill("resident@example.com")
    continue_(page)
    page.get_by_label("What is your postcode? (optional)").fill("M32 0TH")
    continue_(page)


def test_resident_completes_the_demo_without_javascript_and_changes_an_answer(live_server, demo_survey, page):
    page.goto(live_server.url)
    page.get_by_role("link", name="Future of our parks and green spaces").click()
    page.get_by_role("button", name="Respond online").click()
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_text("Section 1 of 2: Your views")).to_be_visible()

    # A mistake first: the error summary links to the question, and the title says "Error:".
    continue_(page)
    expect(page).to_have_title(re.compile(r"^Error: How often do you visit"))
    page.get_by_role("link", name="Select how often you visit a park or green space").click()
    expect(page.get_by_label("Most days")).to_be_focused()

    answer_consultation_pages(page)

    expect(page.locator("h1")).to_have_text("About you")
    continue_(page)
    page.get_by_label("If you prefer not to give your date of birth, what is your age?").fill("34")
    continue_(page)
    page.get_by_label("Female").check()
    continue_(page)
    page.get_by_label("Yes").check()  # gender identity: asked, as 34 is 16 or over
    continue_(page)
    continue_(page)  # sexual orientation: left blank
    ethnic = page.get_by_role("group", name="What is your ethnic group?")
    expect(ethnic.get_by_role("heading", name="Asian or Asian British")).to_be_visible()
    ethnic.get_by_label("Any other White background").check()
    ethnic.get_by_label("Describe your ethnic group (optional)").fill("Polish")
    continue_(page)
    while page.get_by_role("heading", name="Check your answers before sending them").count() == 0:
        continue_(page)  # the rest of About you, left blank

    # Change an answer from the check page: back to that page, then straight back to the check page.
    expect(page.get_by_text("Other (please specify): Parkrun")).to_be_visible()
    page.get_by_role("link", name=re.compile("Change.*how many minutes")).click()
    expect(page.get_by_role("link", name="Back")).to_have_attribute("href", re.compile("check-your-answers"))
    page.get_by_label("How many minutes does it take you to walk to your nearest park?").fill("20")
    continue_(page)
    expect(page.locator("h1")).to_contain_text("Check your answers before sending them")
    expect(page.get_by_text("Any other White background: Polish")).to_be_visible()
    expect(page.get_by_text("Age 34")).to_be_visible()

    page.get_by_role("button", name="Accept and send").click()
    expect(page.get_by_role("heading", name="Response sent")).to_be_visible()
    reference = page.locator("#reference").inner_text()

    response = Response.objects.get()
    assert response.reference == reference
    assert Answer.objects.get(response=response, question__key="walk_minutes").number == 20
    profile = EqualityProfile.objects.get(response=response)
    assert (profile.age, profile.sex, profile.ethnic_group) == (34, "female", "other_white")

    # Going back and sending again does not make a second response.
    page.go_back()
    page.go_back()
    assert Response.objects.count() == 1


def test_resident_saves_and_resumes_on_another_device(live_server, demo_survey, page, new_browser_page):
    page.goto(f"{live_server.url}/s/{demo_survey.slug}/questions/")
    page.get_by_label("Never").check()
    continue_(page)
    page.get_by_label("I do not feel safe there").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_role("heading", name="Your answers have been saved")).to_be_visible()
    link = page.locator("#resume-link").get_attribute("href")
    reference = page.locator("#reference").inner_text()

    other = new_browser_page()
    other.goto(link)
    expect(other.get_by_role("heading", name="Continue your response")).to_be_visible()
    continue_(other)
    expect(other.get_by_label("I do not feel safe there")).to_be_checked()
    other.get_by_label("There are no toilets").check()
    continue_(other)
    expect(other.locator("h1")).to_have_text("Getting to the park")
    # Never visits: "When did you last visit?" is routed away.
    expect(other.get_by_text("When did you last visit")).to_have_count(0)
    other.get_by_role("link", name="Back").click()
    expect(other.get_by_label("There are no toilets")).to_be_checked()

    # A mistyped link never shows anybody's answers.
    stranger = new_browser_page()
    stranger.goto(link[:-3] + "xyz/")
    expect(stranger.get_by_role("heading", name="This link has expired or is not valid")).to_be_visible()
    assert reference not in stranger.content()
