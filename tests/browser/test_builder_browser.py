"""The survey builder in Chromium: an officer builds, previews and publishes a survey by keyboard alone,
a resident answers it, and the officer sees the response and the report; the builder also works with
JavaScript off."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from representativeness.services.baselines import census_shipped_load
from surveys.models import Response, Survey
from surveys.synthetic import responses_generate
from tests.factories import TeamFactory, staff_member

pytestmark = pytest.mark.browser
# Long flows on a shared machine: wait longer than the default before calling a page or check failed.
SLOW = 60_000
PASSWORD = "a-long-test-password"


# Keyboard only: move focus with Tab (never a click), then type, press Space, Enter or arrow keys.


def tab_to(page: Page, target: Locator, limit: int = 300) -> None:
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
    raise AssertionError(f"Tab never reached {target}")


def key_fill(page: Page, field: Locator, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def key_press(page: Page, target: Locator, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def key_radio(page: Page, group: Locator, label: str) -> None:
    """Tab into a group of radios, Space to choose the one with focus, then arrow down to the wanted one."""
    tab_to(page, group.get_by_role("radio").first)
    page.keyboard.press("Space")
    wanted = group.get_by_label(label, exact=True)
    for _ in range(30):
        if wanted.is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"Arrow keys never reached {label}")


def key_date(page: Page, group: str, day: dt.date) -> None:
    fields = page.get_by_role("group", name=group)
    for label, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        key_fill(page, fields.get_by_label(label), str(value))


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    key_fill(page, page.get_by_label("Username"), username)
    key_fill(page, page.get_by_label("Password"), PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Your consultations")


def test_an_officer_builds_and_publishes_by_keyboard_and_a_resident_answers(live_server, js_page, new_browser_page):
    census_shipped_load()
    staff_member("officer", password=PASSWORD)
    page, base = js_page, live_server.url
    page.set_default_timeout(SLOW)
    today = timezone.localdate()

    sign_in(page, base, "officer")
    key_press(page, page.get_by_role("link", name="Create a survey"))
    key_fill(page, page.get_by_label("Title"), "Playground improvements")
    key_fill(page, page.get_by_label("Web address"), "playgrounds")
    key_fill(page, page.get_by_label("Summary (optional)"), "New equipment for Longford Park.")
    key_date(page, "Opening date (optional)", today)
    key_date(page, "Closing date (optional)", today + dt.timedelta(days=30))
    key_fill(page, page.get_by_label("Privacy notice (optional)"), "Trafford Council runs this consultation.")
    key_press(page, page.get_by_role("button", name="Create the survey"))
    expect(page.locator("h1")).to_contain_text("Playground improvements")

    # Page 1: one required choice question.
    key_press(page, page.get_by_role("link", name="Add a question to page Playground improvements"))
    key_radio(page, page.get_by_role("group", name="What kind of question is it?"), "Single choice (radios)")
    key_press(page, page.get_by_role("button", name="Continue"))
    key_fill(page, page.get_by_label("Question", exact=True), "Do you use the playground?")
    key_press(page, page.get_by_label("Residents must answer this question"), " ")
    key_fill(page, page.get_by_label("Choices (optional)"), "Yes")
    page.keyboard.press("Enter")
    page.keyboard.type("No")
    key_press(page, page.get_by_role("button", name="Add the question"))
    expect(page.get_by_text("The question “Do you use the playground?” has been added.")).to_be_visible()

    # Page 2, for people who do not use it.
    key_press(page, page.get_by_role("link", name="Add a page"))
    key_fill(page, page.get_by_label("Page title"), "Why not")
    key_press(page, page.get_by_role("button", name="Add the page"))
    key_radio(page, page.get_by_role("group", name="What kind of question is it?"), "Long text")
    key_press(page, page.get_by_role("button", name="Continue"))
    key_fill(page, page.get_by_label("Question", exact=True), "What would make you use it?")
    key_press(page, page.get_by_role("button", name="Add the question"))
    key_press(page, page.get_by_role("link", name="Who sees it for page Why not"))
    key_radio(page, page.get_by_role("group", name="Which earlier answer decides it?"), "Do you use the playground?")
    key_press(page, page.get_by_role("button", name="Continue"))
    key_press(page, page.get_by_label("No", exact=True), " ")
    key_press(page, page.get_by_role("button", name="Save the condition"))
    expect(page.get_by_text("Only if the answer to “Do you use the playground?” is No")).to_be_visible()

    # About you: sex and ethnic group only.
    key_press(page, page.get_by_role("link", name="Change the “About you” questions"))
    expect(page.locator("h1")).to_have_text('"About you" questions')
    for question in page.locator("fieldset legend").all_inner_texts():
        if not question.startswith(("What is your sex?", "What is your ethnic group?")):
            box = page.get_by_role("group", name=question, exact=True).get_by_label("Ask this question")
            if box.is_checked():
                key_press(page, box, " ")
    key_press(page, page.get_by_role("button", name='Save "About you" questions'))
    expect(page.get_by_text('The "About you" section now asks 2 questions.')).to_be_visible()

    # Preview, then publish.
    key_press(page, page.get_by_role("link", name="Preview"))
    expect(page.get_by_text("Nothing you enter here is saved")).to_be_visible()
    expect(page.get_by_text("Do you use the playground?")).to_be_visible()
    key_press(page, page.get_by_role("link", name="Next page: Why not"))
    expect(page.get_by_text("Only if the answer to “Do you use the playground?” is No.")).to_be_visible()
    key_press(page, page.get_by_role("link", name="Back to the survey"))
    key_press(page, page.get_by_role("link", name="Publish", exact=True))
    expect(page.locator("h1")).to_have_text("Publish the survey")
    key_press(page, page.get_by_role("button", name="Publish the survey"))
    expect(page.get_by_text("is published at /s/playgrounds/")).to_be_visible()
    survey = Survey.objects.get(slug="playgrounds")
    assert survey.status == Survey.Status.OPEN and survey.team.name == "Parks"

    # A resident answers it, without JavaScript.
    resident = new_browser_page()
    resident.set_default_timeout(SLOW)
    resident.goto(f"{base}/s/playgrounds/")
    resident.get_by_role("button", name="Start now").click()
    resident.get_by_label("No", exact=True).check()
    resident.get_by_role("button", name="Continue", exact=True).click()
    resident.get_by_label("What would make you use it?").fill("Swings for older children")
    resident.get_by_role("button", name="Continue", exact=True).click()
    expect(resident.locator("h1")).to_have_text("About you")
    resident.get_by_role("button", name="Continue", exact=True).click()
    resident.get_by_label("Female").check()
    resident.get_by_role("button", name="Continue", exact=True).click()
    resident.get_by_label("Irish", exact=True).check()
    resident.get_by_role("button", name="Continue", exact=True).click()
    resident.get_by_role("button", name="Accept and send").click()
    expect(resident.locator("h1")).to_have_text("Response sent")
    reference = resident.locator("#reference").inner_text()

    # The officer sees it, and the report.
    page.goto(f"{base}/officers/surveys/{survey.pk}/responses/")
    key_press(page, page.get_by_role("link", name=reference))
    expect(page.get_by_text("Swings for older children")).to_be_visible()
    assert Response.objects.get(reference=reference).survey == survey
    # Other residents answer too (a report of one response is all hidden), then the report.
    responses_generate(survey=survey, count=40, seed=11)
    page.goto(f"{base}/officers/surveys/{survey.pk}/")
    key_press(page, page.get_by_role("link", name="Who has responded: representativeness report"))
    expect(page.locator("h1")).to_have_text("Who has responded, compared with the 2021 Census")
    expect(page.get_by_text("Sex", exact=True).first).to_be_visible()


def test_the_builder_works_without_javascript(live_server, page):
    staff_member("officer", password=PASSWORD)
    TeamFactory(name="Parks")
    base = live_server.url
    page.set_default_timeout(SLOW)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Create a survey").click()
    page.get_by_role("button", name="Create the survey").click()
    assert page.title().startswith("Error: ")
    page.get_by_role("link", name="Enter the survey's title").click()
    expect(page.get_by_label("Title")).to_be_focused()
    page.get_by_label("Title").fill("Allotments")
    page.get_by_label("Web address").fill("allotments")
    page.get_by_role("button", name="Create the survey").click()
    for text in ("First question?", "Second question?"):
        page.get_by_role("link", name="Add a question to page Allotments").click()
        page.get_by_label("Short text").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Question", exact=True).fill(text)
        page.get_by_role("button", name="Add the question").click()
    page.get_by_role("button", name="Move up Second question?").click()
    rows = page.locator(".chorus-builder-page tbody tr td:first-child")
    expect(rows.first).to_contain_text("Second question?")
    expect(rows.nth(1)).to_contain_text("First question?")
    page.get_by_role("link", name="Publish", exact=True).click()
    checklist = page.locator(".govuk-error-summary")
    expect(checklist).to_contain_text("The survey has no closing date")
    expect(checklist).to_contain_text("The survey has no privacy notice")
    checklist.get_by_role("link", name="The survey has no closing date. Set the date it closes.").click()
    assert page.url.endswith("/details/#id_closes_on_0")
