"""Weighting against an area whose census has only the top level (Stoke-on-Trent's disability), when the
survey's default report area (Trafford) has the detailed one, attacked as an officer without the
equality-data permission: can the weighting pages and downloads, against either area, tell apart counts the
default area's report leaves possible?

The report against Trafford of 3 limited a lot, 10 a little, 40 not limited and 100 with no condition hides
both broad groups (Disabled would leave limited a lot between 1 and 3; 6e10c54). Weighting on disability
rakes on the broad groups (Stoke-on-Trent has no others; Trafford's are collapsed to them because limited a
lot is small), so Disabled's count is in every weight: its design effect and effective sample size, even
rounded, would narrow it (13 or 14 against Stoke-on-Trent). Before, the weighting was protected only because
Disabled, with fewer than WEIGHTING_MIN_CELL (20) respondents, was combined with Not disabled: lowered to 10,
Stoke-on-Trent's rounded design effect told Disabled 11 and 12 from 13. The protected weighting now rakes
only on groups whose counts the report shows (disclosure.weighting.safe_margins), so both broad groups,
hidden, are weighted together and disability is left out whatever WEIGHTING_MIN_CELL is.
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from representativeness.disclosure import Audience
from representativeness.weighting import weighting_run
from surveys.models import Answer, Choice, Page, Question, Response
from tests.factories import staff_member
from tests.representativeness.reports.conftest import add
from tests.representativeness.reports.test_census_bases import EW, GM, STOKE, TRAFFORD, _load, _survey

pytestmark = pytest.mark.django_db

TRUE = (3, 10, 40)  # limited a lot, limited a little, not limited (and 100 with no condition)
# Other counts the report against Trafford might hide the same way, with Disabled from 11 to 14 (all but
# (4, 10, 39) give the same report; the test checks which do).
CANDIDATES = [(1, 10, 42), (2, 10, 41), (4, 10, 39), (2, 11, 40), (1, 12, 40)]


def _make(split: tuple[int, int, int], slug: str):
    a_lot, a_little, not_limited = split
    survey = _survey(["long_term_condition", "disability"], slug=slug)
    add(survey, a_lot, long_term_condition="yes", disability="a_lot")
    add(survey, a_little, long_term_condition="yes", disability="a_little")
    add(survey, not_limited, long_term_condition="yes", disability="not_at_all")
    add(survey, 100, long_term_condition="no")
    question = Question.objects.create(
        page=Page.objects.get(survey=survey, position=1), position=1, key="q", text="Agree?", type="single_choice"
    )
    yes = Choice.objects.create(question=question, position=1, value="yes", label="Yes")
    no = Choice.objects.create(question=question, position=2, value="no", label="No")
    no_condition = 0
    for response in Response.objects.filter(survey=survey).select_related("equality_profile"):
        profile = response.equality_profile
        disabled = profile.disability in ("a_lot", "a_little")
        if profile.long_term_condition == "no":
            no_condition += 1
        chosen = yes if disabled or (profile.long_term_condition == "no" and no_condition <= 30) else no
        Answer.objects.create(response=response, question=question, choice=chosen)
    return survey


def _text(content: bytes) -> str:
    """A page's or file's words, without the snapshot's publication time (which differs between surveys)."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content.decode("utf-8-sig")))
    return re.sub(r"published on [^.]*\.", "published on ...", words)


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def report_disability(client, survey) -> list[tuple[str, str]]:
    url = reverse("representativeness:report_download", args=[survey.pk, "csv"]) + f"?area={TRAFFORD}"
    rows = csv.DictReader(io.StringIO(_content(client.get(url)).decode("utf-8-sig")))
    return [(r["category"], r["respondents"]) for r in rows if r["characteristic"].startswith("Disability")]


def weighting_outputs(client, survey) -> dict:
    """Everything the weighting shows this officer on disability, against each area: the page's words (with
    the diagnostics and every share) and the CSV download."""
    query = "?area={}&characteristics=disability&weigh=1"
    outputs = {}
    for code in (TRAFFORD, STOKE):
        page = client.get(reverse("representativeness:weighting", args=[survey.pk]) + query.format(code))
        download = client.get(
            reverse("representativeness:weighting_download", args=[survey.pk, "csv"]) + query.format(code)
        )
        page_text = _text(page.content)
        start = min(page_text.find(m) % (len(page_text) + 1) for m in ("There is a problem", "How the weighting went"))
        outputs[code] = (page_text[start:], download.status_code, _text(_content(download)))
    return outputs


@pytest.fixture
def surveys(settings):
    settings.COUNCIL = {**settings.COUNCIL, "area_code": TRAFFORD}
    _load(TRAFFORD, GM / "2021_disability_la_gm.csv")
    _load(STOKE, EW / "ts038_disability_toplevel_ltla.csv")
    return _make(TRUE, "true"), {split: _make(split, f"c{i}") for i, split in enumerate(CANDIDATES)}


def test_weighting_against_a_top_level_area_tells_apart_no_counts_the_default_report_leaves_possible(
    client, settings, surveys
):
    truth, candidates = surveys
    client.force_login(staff_member("officer"))
    report = report_disability(client, truth)
    assert ("Disabled under the Equality Act", "") in report  # hidden against the default area
    alike = {split: survey for split, survey in candidates.items() if report_disability(client, survey) == report}
    assert {sum(split[:2]) for split in alike} >= {11, 12, 13}, alike  # the report cannot tell Disabled 11 from 13

    published = weighting_outputs(client, truth)
    for split, survey in alike.items():
        assert weighting_outputs(client, survey) == published, split

    # Raking on groups of 10 or more (WEIGHTING_MIN_CELL lowered to 10): before, Disabled's count changed the
    # rounded design effect and effective sample size against Stoke-on-Trent. Now the protected weighting rakes
    # only on groups the report shows, so the pages and downloads are still the same for every count.
    settings.REPRESENTATIVENESS = {**settings.REPRESENTATIVENESS, "WEIGHTING_MIN_CELL": 10}
    lowered = weighting_outputs(client, truth)
    for code in (STOKE, TRAFFORD):  # nothing is left to weight on: both broad groups are hidden
        assert "No characteristic has 10 or more responses, in counts the report shows" in lowered[code][0]
    for split, survey in alike.items():
        assert weighting_outputs(client, survey) == lowered, split

    # What the protection hides: the exact audience's weighting against Stoke-on-Trent rakes on Disabled, and
    # its effective sample size differs between the counts the report leaves possible.
    exact = {
        sum(split[:2]): round(
            weighting_run(
                survey=survey, area_code=STOKE, characteristics=["disability"], audience=Audience.EXACT
            ).rake.effective_sample_size,
            6,
        )
        for split, survey in alike.items()
    }
    assert len(set(exact.values())) == len(exact) >= 3, exact
