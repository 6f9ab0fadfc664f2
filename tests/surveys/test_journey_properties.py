"""Properties of the resident journey, over sequences of actions that hypothesis makes up.

1. Whatever a resident does (answer any page, change an answer from "Check your answers", go back,
   type any page's address), then finishes and sends (twice, as a double click would): exactly one
   response is stored, holding the last answer they gave to every question they could see, and nothing
   for any question they could not. What they could see is worked out here, from the demo survey's
   rules written out by hand, not by the routing code under test.
2. Random field names and values posted to every survey page, with every action (continue, save, skip,
   skip the rest, anything), a good, missing or wrong CSRF token (the check on, as in browsers), as a
   multipart form or URL-encoded in a declared character set, UTF-8 or not, never give a server error.
"""

import datetime as dt
import itertools
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.models import Answer, Response
from tests.surveys.journey import Resident

pytestmark = pytest.mark.django_db

NOT_NEVER = {"most_days", "weekly", "monthly", "less_often"}
ROWS = ("paths", "toilets", "play_areas", "lighting", "cafe")

# Each consultation page of the demo: answers a resident might give (posted fields; all valid).
VARIANTS: dict[str, list[dict]] = {
    "1": [{"visit_frequency": "weekly"}, {"visit_frequency": "never"}, {"visit_frequency": "monthly"}],
    "2": [{"barriers": ["too_far"]}, {"barriers": ["no_time", "feel_unsafe"]}],
    "3": [
        {"main_park": "longford_park", "activities": ["walking"], **{f"facilities__row_{r}": "good" for r in ROWS}},
        {"main_park": "walton_park", "improvement": "Benches", **{f"facilities__row_{r}": "poor" for r in ROWS}},
    ],
    "4": [
        {"walk_minutes": "10", "last_visit_day": "1", "last_visit_month": "5", "last_visit_year": "2026"},
        {"walk_minutes": "0"},
    ],
    "5": [
        {"plant_trees": "agree", "meadows": "disagree", "comments": "More bins"},
        {"plant_trees": "strongly_disagree", "meadows": "agree"},
    ],
    "6": [{"updates": "yes"}, {"updates": "no"}],
    "7": [{"email": "one@example.com"}, {"email": "two@example.com"}],
    "8": [{"postcode": "M32 0TH"}, {"postcode": "wa15 8qu"}],
}
STEPS = list(VARIANTS)


def visible_pages(given: dict[str, dict]) -> list[str]:
    """The demo's page rules, by hand: page 2 for those who never visit, 3 for the rest, 7 for updates."""
    frequency = given.get("1", {}).get("visit_frequency")
    pages = ["1"]
    if frequency == "never":
        pages.append("2")
    if frequency in NOT_NEVER:
        pages.append("3")
    pages += ["4", "5", "6"]
    if given.get("6", {}).get("updates") == "yes":
        pages.append("7")
    return pages + ["8"]


def is_open(step: str, given: dict[str, dict]) -> bool:
    """A page takes answers when it is on the resident's route and every page before it is answered."""
    pages = visible_pages(given)
    missing = next((p for p in pages if p not in given), None)
    return step in pages and (missing is None or pages.index(step) <= pages.index(missing))


def expected_answers(given: dict[str, dict]) -> dict[str, list[str]]:
    """What must be stored: every visible question's last answer, written as `stored` writes it."""
    expected: dict[str, list[str]] = {}
    frequency = given["1"]["visit_frequency"]
    for step in visible_pages(given):
        fields = given[step]
        for name, value in fields.items():
            if name.startswith("last_visit"):
                continue
            if name.startswith("facilities__row_"):
                expected.setdefault("facilities", []).append(f"{name.removeprefix('facilities__row_')}={value}")
            elif name == "postcode":
                expected[name] = [{"M32 0TH": "M32 0TH", "wa15 8qu": "WA15 8QU"}[value]]
            else:
                expected[name] = sorted(value) if isinstance(value, list) else [value]
        if step == "4" and frequency in NOT_NEVER and "last_visit_day" in fields:
            expected["last_visit"] = ["2026-05-01"]
    expected["facilities"] = sorted(expected.get("facilities", []))
    return {key: values for key, values in expected.items() if values}


def stored(response: Response) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for a in Answer.objects.filter(response=response).select_related("question", "choice", "grid_row"):
        key = a.question.key
        if a.grid_row is not None:
            value = f"{a.grid_row.value}={a.choice.value}"
        elif a.choice is not None:
            value = a.choice.value
        elif a.number is not None:
            value = format(a.number.normalize(), "f")
        elif a.date is not None:
            value = a.date.isoformat()
        else:
            value = a.text
        answers.setdefault(key, []).append(value)
    return {key: sorted(values) for key, values in answers.items()}


actions = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.sampled_from(STEPS), st.integers(0, 2), st.booleans()),
        st.tuples(st.just("back"), st.sampled_from(STEPS)),
        st.tuples(st.just("open"), st.sampled_from([*STEPS, "9", "check-your-answers", "nowhere"])),
    ),
    max_size=14,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=actions)
def test_any_sequence_of_answers_changes_and_back_stores_exactly_the_visible_answers_once(demo_survey, actions):
    resident = Resident(Client(), demo_survey)
    resident.start()
    given: dict[str, dict] = {}  # the last answers the journey has accepted, by page
    for action in actions:
        if action[0] == "answer":
            _, step, variant, change = action
            fields = VARIANTS[step][variant % len(VARIANTS[step])]
            response = resident.answer(step, fields, change=change)
            assert response.status_code == 302, (step, response.status_code)
            if is_open(step, given):
                if step == "4" and given.get("1", {}).get("visit_frequency") not in NOT_NEVER:
                    # Not shown the date of their last visit: what was posted for it is not theirs.
                    fields = {k: v for k, v in fields.items() if not k.startswith("last_visit")}
                given[step] = fields
        elif action[0] == "back":
            page = resident.client.get(resident.url(action[1]))
            assert page.status_code in (200, 302)
            if page.status_code == 200:
                back = page.context["back_url"]
                assert resident.client.get(back).status_code in (200, 302)
        else:
            assert resident.client.get(resident.url(action[1])).status_code in (200, 302)

    # Finish: "Check your answers" sends the resident to each page still to answer, and only those.
    for _ in range(20):
        check = resident.check_page()
        if check.status_code == 200:
            break
        step = check["Location"].rstrip("/").rsplit("/", 1)[-1]
        if step == "9":
            assert resident.skip_about_you().status_code == 302
            continue
        assert step in visible_pages(given), f"asked for page {step}, which this resident cannot see"
        assert step not in given, f"page {step} was answered ({given[step]}) but its answers were lost"
        given[step] = VARIANTS[step][0]
        response = resident.answer(step, given[step])
        assert response.status_code == 302, (step, response.content.decode()[:1000])
    assert check.status_code == 200
    if not check.context["equality_skipped"]:
        resident.skip_about_you()

    before = Response.objects.count()
    key = resident.check_page().context["submission_key"]
    first, second = resident.send(key), resident.send(key)  # a double click
    assert first["Location"] == second["Location"] == f"/s/{demo_survey.slug}/confirmation/"
    assert Response.objects.count() == before + 1
    response = Response.objects.latest("submitted_at")
    assert stored(response) == expected_answers(given)


# Random posts never give a server error --------------------------------------------------------

texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "\x00", "9" * 25, "-1", "1e999", "NaN", "weekly", "other", "2026", "M32 0TH", "on"]),
    st.text(alphabet="0123456789", min_size=15, max_size=40),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_field_names_and_values_on_every_page_never_give_a_server_error(demo_survey, settings, data):
    settings.SAVES_PER_ADDRESS_PER_HOUR = 100_000
    # With the CSRF check on, as in every browser: it reads the form first, so a body it cannot read fails there.
    resident = Resident(Client(enforce_csrf_checks=True, raise_request_exception=False), demo_survey)
    resident.answer("1", {"visit_frequency": data.draw(st.sampled_from(["weekly", "never"]))})
    step = data.draw(st.sampled_from([str(n) for n in range(1, 24)] + ["check-your-answers"]))
    real_names = [f"{step}-{name}" for names in VARIANTS.values() for name in names] + [
        f"{step}-about_you_date_of_birth_{part}" for part in ("day", "month", "year", "_age", "_pnts")
    ]
    names = st.one_of(st.sampled_from(real_names), st.text(max_size=20), st.just("submission_key"))
    body = data.draw(st.dictionaries(names, st.one_of(texts, st.lists(texts, max_size=3)), max_size=8))
    body["action"] = data.draw(st.sampled_from(["continue", "save", "skip", "skip_rest", "", "\x00"]))
    body.update(data.draw(st.sampled_from([resident.csrf(), {}, {"csrfmiddlewaretoken": "x" * 64}])))
    address = resident.url(step) + data.draw(st.sampled_from(["", "?change=1"]))
    # As a browser's multipart form, or URL-encoded in a character set, declared, that may not be UTF-8.
    charset = data.draw(st.sampled_from([None, "utf-8", "latin-1", "utf-16"]))
    if charset is None:
        response = resident.client.post(address, body)
    else:
        encoded = urlencode(body, doseq=True).encode(charset)
        kind = f"application/x-www-form-urlencoded; charset={charset}"
        response = resident.client.generic("POST", address, data=encoded, content_type=kind)
    assert response.status_code < 500, (step, body, charset)
    assert resident.client.get(resident.url(step)).status_code < 500


def test_the_hand_written_rules_agree_with_the_demo_survey(demo_survey):
    """The test's own model of the demo's routing is right about every page it describes."""
    from surveys import routing
    from surveys.selectors import survey_structure_get

    structure = survey_structure_get(survey=demo_survey)
    consultation = [p for p in structure.pages if p.step in STEPS]
    for frequency, updates in itertools.product(["weekly", "never"], ["yes", "no"]):
        answers = {"visit_frequency": frequency, "updates": updates}
        shown = [
            p.step
            for p in consultation
            if routing.page_is_shown(p, answers, equality_skipped=True, today=dt.date(2026, 6, 1))
        ]
        assert shown == visible_pages({"1": {"visit_frequency": frequency}, "6": {"updates": updates}})
