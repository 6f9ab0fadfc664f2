"""Every page, found from the URL configuration (tests/browser/every_page.py), public and officer, in
real Chromium:

- the Content Security Policy is never broken (Chromium reports each refused inline script or style,
  or anything from elsewhere, on the console);
- at 320 CSS pixels wide nothing scrolls sideways (WCAG 1.4.10);
- at 200% text size (Chromium's own font-size setting, as a resident would set it) nothing is cut off
  and nothing scrolls sideways (WCAG 1.4.4).

The resident journey is also walked through with answers, error states included, in each of these.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from surveys.selectors import survey_structure_get
from tests.browser import test_journey_browser
from tests.browser.every_page import officer_urls, public_urls
from tests.browser.steps import continue_
from tests.browser.test_officer_accessibility import sign_in, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser
SLOW = 60_000

CUT_OFF = """() => {
  const found = [];
  const name = el => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 40)}"`;
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    // The innermost elements that stick out: none of their children does.
    const out = el => el.getBoundingClientRect().right > width + 1 ||
      (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && !el.closest('svg'));
    const wide = [...document.querySelectorAll('body *')]
      .filter(el => out(el) && ![...el.children].some(out)).slice(0, 3);
    found.push(...wide.map(el => `sideways: ${name(el)}`));
    if (!wide.length) {
      // Nothing sticks out itself: name what is widest inside a scrolling box, for the message.
      const widest = [...document.querySelectorAll('body *')].sort((a, b) => b.scrollWidth - a.scrollWidth).slice(0, 3);
      found.push(`sideways: ${document.documentElement.scrollWidth}px at ${width}px, widest inside: ` +
        widest.map(el => `${name(el)} ${el.scrollWidth}px`).join('; '));
    }
  }
  for (const el of document.querySelectorAll('body *')) {
    const hidden = '.govuk-visually-hidden, .visually-hidden, .govuk-skip-link, [hidden], script, style, svg, select';
    if (el.closest(hidden)) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2 || !el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    const clipsX = ['hidden', 'clip'].includes(style.overflowX), clipsY = ['hidden', 'clip'].includes(style.overflowY);
    if ((clipsX && el.scrollWidth > el.clientWidth + 1) || (clipsY && el.scrollHeight > el.clientHeight + 1)) {
      found.push(`cut off: ${name(el)}`);
    }
  }
  return found.slice(0, 5);
}"""


class Findings:
    """What each page broke, gathered over every page so that one run reports them all."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}
        self.pages = 0

    def add(self, where: str, problems: list[str]) -> None:
        self.pages += 1
        if problems:
            self.found.setdefault(where, []).extend(problems)

    def assert_none(self, what: str) -> None:
        report = "\n".join(f"{where}: {problems}" for where, problems in self.found.items())
        assert not self.found, f"{what}:\n{report}"


def watch_csp(context: BrowserContext, findings: Findings, page_url: Callable[[], str]) -> None:
    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            findings.found.setdefault(page_url(), []).append(message.text[:200])

    context.on("console", on_console)


def layout_check(page: Page, findings: Findings, label: str = "") -> None:
    findings.add(label or page.url, page.evaluate(CUT_OFF))


def visit(page: Page, base: str, urls: list[str], check: Callable[[Page, str], None]) -> None:
    for url in urls:
        if page.request.get(base + url, max_redirects=0).status == 405:
            continue  # POST only (sign out, keep-alive): no page to show
        response = page.goto(base + url)
        assert response is not None and response.status < 500, url
        if "text/html" in (response.headers.get("content-type") or ""):
            check(page, url)


def walk_the_journey(page: Page, base: str, survey, check: Callable[[Page, str], None], monkeypatch) -> None:
    """Answer the demo survey to the end, an error state first, checking every page on the way."""

    def continue_and_check(p: Page) -> None:
        continue_(p)
        check(p, p.url)

    page.goto(f"{base}/s/{survey.slug}/questions/")
    check(page, "first question")
    continue_(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, "first question with an error")
    monkeypatch.setattr(test_journey_browser, "continue_", continue_and_check)
    test_journey_browser.answer_consultation_pages(page)
    page.get_by_role("button", name="Skip this section").click()
    check(page, "check your answers")
    page.get_by_role("button", name="Accept and send").click()
    expect(page.locator("#reference")).to_be_visible()
    check(page, "confirmation")


def _steps(survey) -> list[str]:
    return [p.step for p in survey_structure_get(survey=survey).pages] + ["check-your-answers"]


def _context(browser, **options) -> tuple[BrowserContext, Page, Findings]:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", **options)
    context.set_default_timeout(SLOW)
    page = context.new_page()
    findings = Findings()
    watch_csp(context, findings, lambda: page.url)
    return context, page, findings


def text_at_200_percent(page: Page, base: str) -> None:
    """Chromium's font-size setting doubled (16 to 32 pixels), as a resident who needs larger text sets it."""
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    page.goto(f"{base}/accessibility/")
    body_text = page.evaluate("parseFloat(getComputedStyle(document.querySelector('p.govuk-body')).fontSize)")
    assert body_text >= 36, f"body text is {body_text}px: the text size setting did not take"


def test_the_csp_watch_sees_an_inline_style_refused(browser, live_server):
    """The watch itself: a page with an inline style under our policy is reported."""
    context, page, findings = _context(browser)
    try:
        page.route(
            f"{live_server.url}/probe/",
            lambda route: route.fulfill(
                status=200,
                content_type="text/html",
                headers={"Content-Security-Policy": "style-src 'self'"},
                body="<!DOCTYPE html><title>probe</title><p style='color: red'>inline</p>",
            ),
        )
        page.goto(f"{live_server.url}/probe/")
        page.wait_for_timeout(200)
        assert findings.found, "an inline style was not reported"
    finally:
        context.close()


def test_public_pages_keep_the_csp_reflow_at_320_and_take_200_percent_text(
    live_server, demo_survey, browser, monkeypatch
):
    base = live_server.url
    urls, unfilled = public_urls(demo_survey, _steps(demo_survey))
    # Every public page but those that need an object the demo does not have (an emailed token, a document).
    assert len(urls) >= 15 and "s/<slug:slug>/questions/<str:step>/" not in unfilled
    urls += ["/no-such-page/"]  # the 404 page
    settings_for = {
        "320 pixels wide": {"viewport": {"width": 320, "height": 800}},
        "200% text": {"viewport": {"width": 1280, "height": 800}},
    }
    csp = Findings()
    layout = Findings()
    for label, options in settings_for.items():
        context, page, findings = _context(browser, java_script_enabled=True, **options)
        if label == "200% text":
            text_at_200_percent(page, base)
        try:

            def check(p: Page, where: str, label: str = label) -> None:
                layout_check(p, layout, f"{label}: {where}")

            visit(page, base, urls, check)
            walk_the_journey(page, base, demo_survey, check, monkeypatch)
        finally:
            context.close()
        for where, problems in findings.found.items():
            csp.found.setdefault(where, []).extend(problems)
    assert layout.pages > 2 * len(urls)
    csp.assert_none("Content Security Policy violations")
    layout.assert_none("Pages that scroll sideways or cut text off")


def test_officer_pages_keep_the_csp_reflow_at_320_and_take_200_percent_text(live_server, browser, world):  # noqa: F811
    base = live_server.url
    urls = officer_urls(world) + ["/admin/", "/admin/surveys/survey/", "/officers/audit/"]
    assert len(urls) >= 30
    csp = Findings()
    layout = Findings()
    for label, options in {
        "320 pixels wide": {"viewport": {"width": 320, "height": 800}},
        "200% text": {"viewport": {"width": 1280, "height": 800}},
    }.items():
        context, page, findings = _context(browser, java_script_enabled=True, **options)
        if label == "200% text":
            text_at_200_percent(page, base)
        try:
            sign_in(page, base)

            def check(p: Page, where: str, label: str = label) -> None:
                layout_check(p, layout, f"{label}: {where}")

            visit(page, base, urls, check)
        finally:
            context.close()
        for where, problems in findings.found.items():
            csp.found.setdefault(where, []).extend(problems)
    csp.assert_none("Content Security Policy violations")
    layout.assert_none("Officer pages that scroll sideways or cut text off")
