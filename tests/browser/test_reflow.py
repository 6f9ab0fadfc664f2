"""WCAG 1.4.10 and 1.4.12: at 320 CSS pixels wide, with the text spacing the criterion names, no page
needs scrolling sideways (long email addresses and links wrap, tables reflow)."""

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# What overflows, for the failure message: elements wider than the viewport, innermost first.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && el.children.length === 0)
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim().slice(0, 60)}`);
}"""


def assert_no_sideways_scrolling(page: Page, what: str) -> None:
    page.add_style_tag(content=TEXT_SPACING)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    width = page.evaluate("document.documentElement.clientWidth")
    assert scroll_width <= width, f"{what}: {scroll_width}px wide at {width}px: {page.evaluate(OVERFLOWING)}"


def test_no_page_scrolls_sideways_at_320_pixels_with_text_spacing(live_server, demo_survey, browser, settings):
    settings.COUNCIL = {
        **settings.COUNCIL,
        "contact_email": "consultation-and-engagement-team@a-long-council-name.example.gov.uk",
        "website_url": "https://www.a-long-council-name.example.gov.uk/residents/have-your-say/",
    }
    # bypass_csp: the text-spacing stylesheet is injected as a user stylesheet would be, not by the site.
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    try:
        for path in (
            "/",
            f"/s/{demo_survey.slug}/",
            f"/s/{demo_survey.slug}/privacy/",
            "/cookies/",
            "/accessibility/",
            "/privacy/",
        ):
            page.goto(live_server.url + path)
            assert_no_sideways_scrolling(page, path)
        page.goto(f"{live_server.url}/s/{demo_survey.slug}/questions/")
        assert_no_sideways_scrolling(page, "first question")
        page.get_by_role("button", name="Continue", exact=True).click()
        assert_no_sideways_scrolling(page, "first question with an error")
        page.get_by_label("At least once a week").check()
        page.get_by_role("button", name="Continue", exact=True).click()
        assert_no_sideways_scrolling(page, "dropdown, checkboxes and a grid")
    finally:
        context.close()
