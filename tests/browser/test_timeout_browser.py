"""The GOV.UK timeout warning in Chromium: a dialog 5 minutes before answers are deleted, "Continue
answering" keeps them, and when the time is up the resident is told they'll have to start again."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accessibility import Audit

pytestmark = pytest.mark.browser


def test_timeout_warning_lets_a_resident_carry_on_or_start_again(live_server, demo_survey, js_page):
    page = js_page
    page.clock.install()
    page.goto(f"{live_server.url}/s/{demo_survey.slug}/questions/")
    page.get_by_label("At least once a week").check()
    dialog = page.get_by_role("dialog", name="Your answers will be deleted soon")
    expect(dialog).to_be_hidden()

    page.clock.fast_forward("55:01")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("we will delete your answers in 5 minutes unless you carry on")
    audit = Audit(page)
    audit("timeout warning")
    audit.assert_clean()

    page.clock.fast_forward("01:00")
    expect(dialog).to_contain_text("in 4 minutes")
    before = Session.objects.get().expire_date
    dialog.get_by_role("button", name="Continue answering").click()
    expect(dialog).to_be_hidden()
    assert Session.objects.get().expire_date > before  # the server keeps the answers for another hour
    assert Session.objects.get().expire_date > timezone.now() + dt.timedelta(minutes=59)
    expect(page.get_by_label("At least once a week")).to_be_checked()  # nothing on the page was lost

    page.clock.fast_forward("55:01")
    expect(dialog).to_be_visible()
    page.clock.fast_forward("05:00")
    expect(page.get_by_role("heading", name="You’ll have to start again")).to_be_visible()


def test_save_and_come_back_later_from_the_warning(live_server, demo_survey, js_page):
    page = js_page
    page.clock.install()
    page.goto(f"{live_server.url}/s/{demo_survey.slug}/questions/")
    page.get_by_label("Never").check()
    page.clock.fast_forward("55:01")
    page.get_by_role("dialog").get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_role("heading", name="Your answers have been saved")).to_be_visible()
