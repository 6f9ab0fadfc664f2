"""Browser tests: Debian's Chromium driven by Playwright over pytest-django's live server.

They skip, saying why, where /usr/bin/chromium is missing, except in CI (CI=true), where a
missing browser is a failure: .ci/run installs it, so a skip there would hide a broken step.
"""

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test while it is running ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        # Fail loudly: CI must run the browser tests, never skip them (.ci/run installs Chromium).
        pytest.fail(f"CI is set but {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _chromium_present() -> None:
    _require_chromium()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_chromium()  # before launching: session fixtures are set up before the autouse check
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _page(browser, *, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A page in a fresh browser profile, with JavaScript off: every journey must work without it."""
    context, page = _page(browser, javascript=False)
    yield page
    context.close()


@pytest.fixture
def js_page(browser) -> Iterator[object]:
    """A page with JavaScript on, as most residents have it (and as axe-core needs to run)."""
    context, page = _page(browser, javascript=True)
    yield page
    context.close()


@pytest.fixture
def new_browser_page(browser):
    """Pages in further fresh profiles, like a resident opening a resume link on another device."""
    contexts = []

    def make(javascript: bool = False):
        context, page = _page(browser, javascript=javascript)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo_survey(transactional_db):
    from surveys.demo import demo_consultation_create
    from surveys.equality.services import equality_section_add

    _trafford_wards_load()
    survey = demo_consultation_create()
    equality_section_add(survey=survey)
    return survey


def _trafford_wards_load() -> None:
    """Trafford and its 21 wards, as load_demo loads them, so the demo's ward question has its wards."""
    from django.conf import settings

    from representativeness.census.parse import CensusUpload
    from representativeness.services.baselines import census_files_import, wards_place

    census = settings.BASE_DIR / "data" / "census"
    files = [
        census / "trafford-wards" / "2021_population_by_sex_ward_trafford.csv",
        census / "greater-manchester" / "2021_population_by_sex_la_gm.csv",
    ]
    census_files_import(uploads=[CensusUpload(file_name=p.name, data=p.read_bytes()) for p in files])
    for council, wards in json.loads((census / "ward_councils.json").read_text()).items():
        wards_place(council_code=council, ward_codes=wards)
