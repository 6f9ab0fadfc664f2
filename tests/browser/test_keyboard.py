"""The demo survey completed with the keyboard alone (Tab, Space, arrows, typing, Enter), from the home page
to the reference, with the focus visible at every stop: each focused element is on screen and shows
GOV.UK's focus style (an outline, a box shadow or the yellow background). WCAG 2.1.1, 2.4.7, 2.4.11."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
MAX_TABS_PER_PAGE = 120

# What is focused, and whether its focus can be seen.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const group = el.name ? [...document.getElementsByName(el.name)] : [el];
  const label = (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent || el.value || '').trim();
  return {
    tag: el.tagName.toLowerCase(), type: (el.type || '').toLowerCase(), name: el.name || '', label: label.slice(0, 80),
    value: el.value || '', anyChecked: group.some(e => e.checked),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none', yellow: style.backgroundColor === 'rgb(255, 221, 0)',
    onScreen: box.bottom > 0 && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth,
  };
}"""


def focus_visible(focused: dict) -> bool:
    return focused["onScreen"] and (focused["outline"] or focused["shadow"] or focused["yellow"])


def typed_value(focused: dict) -> str:
    name = focused["name"]
    if name.endswith("_day"):
        return "3"
    if name.endswith("_month"):
        return "5"
    if name.endswith("_year"):
        return "2026"
    if focused["type"] == "email":
        return "resident@example.com"
    if "postcode" in name:
        return "M32 0TH"
    if focused["type"] == "number" or "minutes" in name:
        return "12"
    return "Answered with the keyboard"


class Keyboard:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.stops = 0
        self.unseen: list[str] = []

    def tab(self) -> dict | None:
        self.page.keyboard.press("Tab")
        focused = self.page.evaluate(FOCUSED)
        if focused is not None:
            self.stops += 1
            if not focus_visible(focused):
                self.unseen.append(f"{self.page.url}: {focused['tag']} '{focused['label']}'")
        return focused

    def press_on(self, label: str, key: str = "Enter") -> None:
        """Tab to the control with this text and press a key on it, waiting for the page it leads to."""
        for _ in range(MAX_TABS_PER_PAGE):
            focused = self.tab()
            if focused and label in focused["label"]:
                with self.page.expect_navigation(wait_until="load"):
                    self.page.keyboard.press(key)
                return
        pytest.fail(f"could not reach '{label}' with Tab on {self.page.url}")

    def answer_page(self) -> None:
        """Answer every question on the page once, then press Continue (or skip About you)."""
        for _ in range(MAX_TABS_PER_PAGE):
            focused = self.tab()
            if focused is None:
                continue
            kind, label = focused["type"] if focused["tag"] == "input" else focused["tag"], focused["label"]
            if label in ("Continue", "Skip this section", "Accept and send") and focused["tag"] == "button":
                with self.page.expect_navigation(wait_until="load"):
                    self.page.keyboard.press("Enter")
                return
            if kind in ("radio", "checkbox") and not focused["anyChecked"] and "Prefer not to say" not in label:
                self.page.keyboard.press("Space")
            elif kind == "select" and not focused["value"]:
                self.page.keyboard.press("ArrowDown")
            elif kind == "checkbox" and "Prefer not to say" in label:
                continue  # an answer was given
            elif focused["name"].endswith("age"):
                continue  # "or your age": the date of birth is given instead, one or the other
            elif kind in ("text", "email", "number", "tel", "textarea") and not focused["value"]:
                self.page.keyboard.type(typed_value(focused))
        pytest.fail(f"no Continue reached with Tab on {self.page.url}")


def test_the_demo_survey_can_be_completed_with_the_keyboard_alone_with_focus_always_visible(
    live_server, demo_survey, js_page
):
    page = js_page
    page.set_default_timeout(60_000)  # a shared machine: slow is not wrong
    keys = Keyboard(page)
    page.goto(live_server.url)
    keys.press_on(demo_survey.title)
    if "/consultations/" in page.url:  # the consultation's hub page, then the survey's start page
        keys.press_on("Respond online")
    keys.press_on("Start now")
    for _ in range(20):  # the demo's pages, with room to spare
        if page.locator("#reference").count():
            break
        errors = page.locator(".govuk-error-summary")
        assert not errors.count(), f"{page.url}: {errors.inner_text()}"
        keys.answer_page()
    expect(page.locator("#reference")).to_be_visible()
    assert keys.stops > 50
    assert not keys.unseen, "focus not visible at:\n" + "\n".join(keys.unseen)
