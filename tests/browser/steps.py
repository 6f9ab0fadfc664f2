"""Steps a resident takes in the browser, shared by the journey's browser tests."""

from playwright.sync_api import Page


def continue_(page: Page) -> None:
    """Press Continue and wait for the next page to load, so the test never reads the page it left."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Continue", exact=True).click()
