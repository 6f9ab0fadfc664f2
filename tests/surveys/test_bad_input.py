"""Bad input never gives a server error anywhere in the resident journey.

Every journey address is driven, in each state a resident can be in (not started, part-way, on the
check page, saved, sent), with every method; and the pages that take a form get hostile bodies:
malformed and tampered forms, wrong types, huge values, NUL bytes (PostgreSQL refuses them in text),
unknown page names, bad resume tokens and references, bodies declared in another character set. Each
must get a page a person can read, or a redirect: never a 500. What was stored must not change
beyond what a resident could have asked for.
"""

import re

import pytest
from django.test import Client

from surveys.models import Answer, Response, SavedJourney
from surveys.selectors import response_get_by_submission_key
from tests.factories import SurveyFactory
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, Resident, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _saves_not_limited(settings) -> None:
    """Hundreds of saves from one address here: the limit would refuse them before anything is kept."""
    settings.SAVES_PER_ADDRESS_PER_HOUR = 100_000


HUGE = "9" * 20
NUL = "\x00"


def journey_addresses(slug: str) -> list[str]:
    base = f"/s/{slug}"
    return [
        "/",
        f"{base}/",
        f"{base}/privacy/",
        f"{base}/questions/",
        f"{base}/questions/1/",
        f"{base}/questions/3/",
        f"{base}/questions/10/",
        f"{base}/questions/check-your-answers/",
        # Unknown page names and odd query strings.
        f"{base}/questions/999/",
        f"{base}/questions/0/",
        f"{base}/questions/{'x' * 3000}/",
        f"{base}/questions/%00/",
        f"{base}/questions/%C3%A9/",
        f"{base}/questions/1/?change={HUGE}&change=%00",
        f"{base}/start-again/",
        f"{base}/keep-alive/",
        f"{base}/timed-out/",
        f"{base}/saved/",
        f"{base}/resume/",
        f"{base}/resume/?token=",
        f"{base}/resume/?token=%00",
        f"{base}/resume/?token={'A' * 5000}",
        f"{base}/resume/?token=a&token=b",
        f"{base}/resume/?token=%FF%FE",
        f"{base}/confirmation/",
        "/s/no-such-survey/questions/1/",
        "/accessibility/",
    ]


def page_bodies(step: str) -> list[dict]:
    """Bodies a crafted request might post to survey page `step` (fields named as its form names them)."""

    def f(**fields: object) -> dict:
        return {f"{step}-{name}": value for name, value in fields.items()}

    return [
        {},
        {"action": ["save", "continue"]},
        {"action": NUL},
        {"action": "x" * 100_000},
        {**f(visit_frequency=NUL), "action": "continue"},
        {**f(visit_frequency="weekly" + NUL), "action": "save"},
        {**f(visit_frequency=["weekly", "never", "daily"]), "action": "continue"},
        {**f(main_park=NUL, activities=["walking", NUL, "x" * 10_000], activities__other="a" + NUL), "action": "save"},
        {**f(activities=["other"], activities__other="b" + NUL), "action": "continue"},
        {**f(facilities__row_paths=NUL, facilities__row_nope="good"), "action": "save"},
        {**f(walk_minutes=HUGE, last_visit_day=HUGE, last_visit_month="-999999999999999", last_visit_year=HUGE)},
        {**f(walk_minutes="1e999999", last_visit_day=NUL, last_visit_month="5", last_visit_year="2026")},
        {**f(walk_minutes="NaN", last_visit_day="1", last_visit_month="1", last_visit_year="-1"), "action": "save"},
        {**f(comments="a" + NUL + "b", plant_trees="agree"), "action": "continue"},
        {**f(comments="a" + NUL + "b", plant_trees="agree"), "action": "save"},
        {**f(email=NUL + "@example.com"), "action": "continue"},
        {**f(email="a@example.com" + NUL), "action": "save"},
        {**f(postcode="M32" + NUL + "0TH"), "action": "continue"},
        {**f(postcode="M32" + NUL + "0TH"), "action": "save"},
        {**f(about_you_date_of_birth__age=HUGE, about_you_date_of_birth_day=HUGE * 10), "action": "continue"},
        {**f(about_you_date_of_birth__age="9" * 5000, about_you_date_of_birth_year="1980" + NUL), "action": "save"},
        {**f(about_you_date_of_birth__pnts=NUL), "action": "skip_rest"},
        {NUL: NUL, "x" * 10_000: "y", f"{step}-": "z", "wizard_goto_step": "1", "action": "continue"},
        {"journey_survey-current_step": "999", "csrfmiddlewaretoken": "x", "action": "skip"},
    ]


def key_bodies(key: str) -> list[dict]:
    """Tampered hidden fields on "Check your answers"."""
    return [
        {},
        {"submission_key": NUL},
        {"submission_key": key + NUL},
        {"submission_key": "x" * 100_000},
        {"submission_key": [key, "a"]},
        {"submission_key": key[:-1]},
    ]


REFERENCE_BODIES = [
    {},
    {"action": "continue", "reference": NUL},
    {"action": "continue", "reference": "x" * 100_000},
    {"action": ["continue", "without"], "reference": ["a", "b"]},
    {"action": "without", "reference": NUL},
    {"action": NUL},
]

METHODS = ["get", "head", "options", "put", "patch", "delete", "trace"]


class Probe:
    """Sends requests and collects any that got a server error, so that one run reports them all."""

    def __init__(self) -> None:
        self.failures: list[tuple] = []

    def send(self, client: Client, method: str, url: str, **kwargs) -> None:
        if isinstance(kwargs.get("data"), bytes):  # sent as it is, whatever the content type says
            response = client.generic(method.upper(), url, **kwargs)
        else:
            response = getattr(client, method)(url, **kwargs)
        if response.status_code >= 500:
            exc = response.exc_info[1] if getattr(response, "exc_info", None) else None
            self.failures.append((method, url[:60], repr(kwargs.get("data"))[:100], repr(exc)[:160]))


def resident(survey) -> Resident:
    return Resident(Client(raise_request_exception=False), survey)


def residents_in_every_state(survey) -> dict[str, Resident]:
    """Residents who have not started, are part-way, are on the check page, have saved, have sent."""
    not_started = resident(survey)
    part_way = resident(survey)
    part_way.answer("1", {"visit_frequency": "weekly"})
    checking = resident(survey)
    checking.answer_all(WEEKLY_VISITOR_PAGES)
    checking.skip_about_you()
    saved = resident(survey)
    saved.answer("1", {"visit_frequency": "weekly"})
    saved.answer("3", {"main_park": "longford_park"}, action="save")
    sent = resident(survey)
    sent.answer_all(WEEKLY_VISITOR_PAGES)
    sent.skip_about_you()
    assert sent.send().status_code == 302
    return {"not started": not_started, "part way": part_way, "checking": checking, "saved": saved, "sent": sent}


def test_every_journey_address_in_every_state_with_every_method(demo_survey):
    probe = Probe()
    for state, someone in residents_in_every_state(demo_survey).items():
        for url in journey_addresses(demo_survey.slug):
            for method in METHODS if state == "part way" else ["get", "head", "put"]:
                probe.send(someone.client, method, url)
            probe.send(someone.client, "post", url, data={})
    assert probe.failures == []


def test_hostile_forms_on_every_kind_of_survey_page(demo_survey):
    """Every body on pages of each kind: choices, a grid and write-ins, number and date, text, email,
    postcode, the About you introduction, a date of birth; part-way and from the check page."""
    probe = Probe()
    for state in ("part way", "checking"):
        someone = resident(demo_survey)
        someone.answer_all(WEEKLY_VISITOR_PAGES)
        if state == "checking":
            someone.answer("9")
            for step in range(10, 24):
                someone.answer(str(step))
        for step in ("1", "3", "4", "5", "7", "8", "9", "10"):
            for body in page_bodies(step):
                probe.send(someone.client, "post", someone.url(step), data=body)
                probe.send(someone.client, "post", someone.url(step) + "?change=1", data=body)
    assert probe.failures == []


def test_tampered_submission_keys_send_nothing_and_the_real_one_sends_once(demo_survey):
    probe = Probe()
    someone = resident(demo_survey)
    someone.answer_all(WEEKLY_VISITOR_PAGES)
    someone.skip_about_you()
    key = someone.check_page().context["submission_key"]
    for body in key_bodies(key):
        probe.send(someone.client, "post", someone.url("check-your-answers"), data=body)
    assert probe.failures == []
    assert Response.objects.count() == 0
    assert someone.send(key).status_code == 302
    assert Response.objects.count() == 1 and Answer.objects.filter(question__key="main_park").count() == 1


def test_bad_resume_references_and_tokens(demo_survey):
    probe = Probe()
    someone = resident(demo_survey)
    someone.answer("1", {"visit_frequency": "weekly"})
    saved = someone.answer("3", {"main_park": "longford_park"}, action="save")
    assert saved.status_code == 302
    page = someone.client.get(saved["Location"]).content.decode()
    link = re.search(r'id="resume-link" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    other = Client(raise_request_exception=False)
    assert other.get(link).status_code == 302  # the link is swapped for a note in the session
    for body in REFERENCE_BODIES:
        probe.send(other, "post", f"/s/{demo_survey.slug}/resume/", data=body)
    assert probe.failures == []


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=utf-16",
        "application/x-www-form-urlencoded; charset=x-no-such-charset",
        "application/x-www-form-urlencoded; charset=latin-1",
        "application/json",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "text/plain; charset=utf-8",
    ],
)
def test_a_body_in_another_character_set_or_format(demo_survey, content_type):
    probe = Probe()
    someone = resident(demo_survey)
    someone.answer("1", {"visit_frequency": "weekly"})
    bodies = ["3-main_park=longford_park&action=continue".encode("utf-16"), b"\xff\xfe\x00\x00=\x00", b"{}", b"%"]
    for url in (someone.url("3"), someone.url("check-your-answers"), f"/s/{demo_survey.slug}/resume/"):
        for body in bodies:
            probe.send(someone.client, "post", url, data=body, content_type=content_type)
    assert probe.failures == []


def test_a_null_character_gets_a_message_naming_the_question_and_nothing_is_kept(demo_survey):
    someone = resident(demo_survey)
    someone.answer_all({step: WEEKLY_VISITOR_PAGES[step] for step in "134"})
    fields = {"plant_trees": "agree", "meadows": "agree", "comments": "More bins" + NUL}
    message = "What else you would like to tell us must not include a null character: remove it and try again"
    for action in ("continue", "save"):
        page = text(someone.answer("5", fields, action=action))
        assert page.count(message) == 2, action  # in the error summary and beside the box
    assert SavedJourney.objects.count() == 0
    assert someone.client.get(someone.url("6"))["Location"] == someone.url("5")  # not answered either


def test_a_submission_key_no_journey_could_have_matches_nothing():
    assert response_get_by_submission_key(survey=SurveyFactory(), submission_key="a" + NUL) is None
    assert response_get_by_submission_key(survey=SurveyFactory(), submission_key="k" * 65) is None
