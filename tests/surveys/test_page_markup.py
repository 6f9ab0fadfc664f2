"""Every page of the journey keeps exactly the markup residents had: blank, answered, with errors, and
"Check your answers".

The pages are built for speed (issue 9: no survey page above 3 times a minimal page's server time,
benchmarks/journey.py): option markup in Python rather than in template loops, answers read back from the
journey rather than validated again. What residents see must not change with it, so each page's main
content is compared, byte for byte, with a copy kept in tests/surveys/markup/. A deliberate change to the
markup updates the copies: CHORUS_UPDATE_MARKUP=1 .venv/bin/python -m pytest tests/surveys/test_page_markup.py
"""

import os
import re
from pathlib import Path

import pytest

from tests.surveys.weekly_visitor import WEEKLY_VISITOR_PAGES

pytestmark = pytest.mark.django_db

MARKUP = Path(__file__).parent / "markup"
ANSWERS = {**WEEKLY_VISITOR_PAGES, "10": {"about_you_date_of_birth__age": "40"}}
# What differs between runs (tokens, keys, references, when answers expire) or with the date (the date hint's example).
VARYING = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken" value="TOKEN"'),
    (re.compile(r'name="submission_key" value="[^"]+"'), 'name="submission_key" value="KEY"'),
    (re.compile(r'name="journey" value="[^"]+"'), 'name="journey" value="COPY"'),
    (re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b"), "REFERENCE"),
    # Any time of day as GOV.UK writes it (common/templatetags/govuk_dates.py): "4:53pm", "4am" on the
    # hour, "midday", "midnight".
    (re.compile(r"\b(\d{1,2}(:\d{2})?(am|pm)|midday|midnight)\b"), "TIME"),
    (re.compile(r'data-expires[a-z-]*="[^"]*"'), 'data-expires="WHEN"'),
    (re.compile(r"For example, \d+ \d+ \d{4}"), "For example, DAY MONTH YEAR"),
]


def main_content(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for pattern, replacement in VARYING:
        main = pattern.sub(replacement, main)
    return main


def pages_as_shown(resident) -> dict[str, str]:
    """Each page of the demo journey blank, refused (nothing, then nonsense in every field), answered,
    and "Check your answers" with a Change link followed."""
    client = resident.client
    shown: dict[str, str] = {}
    url = client.get(resident.url())["Location"]
    while not url.endswith("/check-your-answers/"):
        step = url.rstrip("/").rsplit("/", 1)[-1]
        shown[f"{step}-blank"] = main_content(client.get(url))
        refused = client.post(url, {"action": "continue"})
        if refused.status_code == 200:
            shown[f"{step}-nothing"] = main_content(refused)
        nonsense = {f"{step}-{name}": "x" * 600 for name in ANSWERS.get(step, {})}
        refused = client.post(url, {**nonsense, "action": "continue"})
        if refused.status_code == 200:
            shown[f"{step}-nonsense"] = main_content(refused)
        data = {f"{step}-{name}": value for name, value in ANSWERS.get(step, {}).items()}
        sent = client.post(url, {**data, "action": "continue"})
        assert sent.status_code == 302, (step, sent.content.decode()[:2000])
        shown[f"{step}-answered"] = main_content(client.get(url))
        url = sent["Location"]
    shown["check"] = main_content(client.get(url))
    shown["change-3"] = main_content(client.get(resident.url("3") + "?change=1"))
    return shown


def test_every_page_keeps_its_markup(resident):
    shown = pages_as_shown(resident)
    if os.environ.get("CHORUS_UPDATE_MARKUP"):
        MARKUP.mkdir(exist_ok=True)
        for old in MARKUP.glob("*.html"):
            old.unlink()
        for name, html in shown.items():
            (MARKUP / f"{name}.html").write_text(html)
    kept = {path.stem: path.read_text() for path in MARKUP.glob("*.html")}
    assert sorted(shown) == sorted(kept)
    for name, html in shown.items():
        assert html == kept[name], name
