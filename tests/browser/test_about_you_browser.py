"""The "About you" section in Chromium: answered in full, skipped, and "Prefer not to say", checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from surveys.models import EqualityProfile
from tests.browser.axe_rules import axe_violations, describe
from tests.browser.steps import continue_
from tests.browser.test_journey_browser import answer_consultation_pages

pytestmark = pytest.mark.browser
CHECK = "Check your answers before sending them"


def start(page: Page, live_server, survey) -> None:
    page.goto(f"{live_server.url}/s/{survey.slug}/")
    page.get_by_role("button", name="Start now").click()
    answer_consultation_pages(page)
    expect(page.locator("h1")).to_have_text("About you")


def send(page: Page) -> EqualityProfile:
    expect(page.get_by_role("heading", name=CHECK)).to_be_visible()
    page.get_by_role("button", name="Accept and send").click()
    expect(page.get_by_role("heading", name="Response sent")).to_be_visible()
    return EqualityProfile.objects.get()


def test_resident_answers_every_about_you_question_and_each_page_passes_axe(live_server, demo_survey, js_page):
    page = js_page
    start(page, live_server, demo_survey)
    found: dict[str, str] = {}

    def audit() -> None:
        violations = axe_violations(page)
        if violations:
            found[page.locator("h1").inner_text()] = describe(violations)

    audit()
    expect(page.get_by_text("optional")).not_to_have_count(0)
    continue_(page)
    audit()
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("1961")
    continue_(page)
    answers = [
        ("What is your sex?", "Male"),
        ("Is the gender you identify with the same as your sex registered at birth?", "Yes"),
        ("Which of the following best describes your sexual orientation?", "Straight or Heterosexual"),
        ("What is your ethnic group?", "Pakistani"),
        ("Do you have any physical or mental health conditions", "Yes"),
        ("Do any of your conditions or illnesses reduce your ability", "Yes, a little"),
        ("What is your religion?", "Muslim"),
        ("Do you look after, or give any help or support to, anyone", "Yes, 9 hours a week or less"),
        ("What is your main language?", "Other, write in (optional)"),
        ("How well can you speak English?", "Well"),
        ("What is your legal marital or registered civil partnership status?", "Married"),
        ("Are you pregnant, or have you given birth in the last 26 weeks?", "No"),
    ]
    for heading, label in answers:
        expect(page.locator("h1")).to_contain_text(heading)
        expect(page.get_by_text("Why we ask and how we use your answer")).to_be_visible()
        audit()
        page.get_by_label(label, exact=True).check()
        continue_(page)
    expect(page.locator("h1")).to_contain_text("Which ward do you live in?")
    audit()
    page.get_by_label("Which ward do you live in?").select_option(label="Prefer not to say")
    continue_(page)
    audit()
    expect(page.get_by_text("Pakistani")).to_be_visible()  # the check page shows the About you answers too
    assert not found, "\n\n".join(f"{page}:\n{violations}" for page, violations in found.items())

    profile = send(page)
    assert (profile.sex, profile.ethnic_group, profile.religion) == ("male", "pakistani", "muslim")
    assert (profile.long_term_condition, profile.disability) == ("yes", "a_little")
    assert (profile.main_language, profile.english_proficiency) == ("other", "well")
    assert profile.area == "prefer_not_to_say" and profile.age >= 64 and profile.age_status == "answered"


def test_resident_skips_the_whole_section(live_server, demo_survey, page):
    start(page, live_server, demo_survey)
    page.get_by_role("button", name="Skip this section").click()
    expect(page.get_by_role("heading", name=CHECK)).to_be_visible()
    profile = send(page)
    assert profile.section_skipped is True
    assert (profile.sex, profile.ethnic_group, profile.age) == (None, None, None)


def test_prefer_not_to_say_is_kept_apart_from_skipping(live_server, demo_survey, page):
    start(page, live_server, demo_survey)
    continue_(page)
    page.get_by_label("Prefer not to say").check()  # date of birth
    continue_(page)
    page.get_by_label("Prefer not to say").check()  # sex
    continue_(page)
    continue_(page)  # gender identity: asked (age unknown) and left blank
    while page.get_by_role("heading", name=CHECK).count() == 0:
        if "What is your ethnic group?" in page.locator("h1").inner_text():
            page.get_by_label("Prefer not to say").check()
        continue_(page)
    profile = send(page)
    assert profile.age_status == "prefer_not_to_say" and profile.age is None
    assert profile.sex == "prefer_not_to_say"
    assert profile.gender_identity == "skipped"
    assert profile.ethnic_group == "prefer_not_to_say"
    assert profile.section_skipped is False
