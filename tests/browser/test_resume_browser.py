"""Coming back to saved About you answers in Chromium: the reference page, its error, and axe on both."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.steps import continue_
from tests.browser.test_accessibility import Audit
from tests.browser.test_journey_browser import answer_consultation_pages

pytestmark = pytest.mark.browser


def test_saved_about_you_answers_come_back_with_the_reference(live_server, demo_survey, page, new_browser_page):
    page.goto(f"{live_server.url}/s/{demo_survey.slug}/questions/")
    answer_consultation_pages(page)
    expect(page.locator("h1")).to_have_text("About you")
    continue_(page)
    page.get_by_label("If you prefer not to give your date of birth, what is your age?").fill("52")
    for _ in range(10):  # the About you questions before religion, left blank
        continue_(page)
        if "religion" in page.locator("h1").inner_text():
            break
    page.get_by_label("Buddhist").check()
    page.get_by_role("button", name="Save and come back later").click()
    link = page.locator("#resume-link").get_attribute("href")
    reference = page.locator("#reference").inner_text()

    other = new_browser_page(javascript=True)  # axe needs JavaScript
    audit = Audit(other)
    other.goto(link)
    assert "token" not in other.url  # swapped for the session's note of it at once
    expect(other.get_by_role("heading", name="Continue your response")).to_be_visible()
    expect(other.get_by_text("Buddhist")).to_have_count(0)
    audit("resume: enter your reference")
    other.get_by_label("Your reference").fill("AAAA-AAAA")
    continue_(other)
    expect(other.get_by_role("link", name=re.compile("The reference does not match"))).to_be_visible()
    assert other.title().startswith("Error: ")
    audit("resume: wrong reference")
    other.get_by_role("link", name=re.compile("The reference does not match")).click()
    expect(other.get_by_label("Your reference")).to_be_focused()
    other.get_by_label("Your reference").fill(reference.lower())
    continue_(other)
    expect(other.locator("h1")).to_contain_text("religion")
    expect(other.get_by_label("Buddhist")).to_be_checked()
    audit.assert_clean()
