"""Trans respondents (gender identity "No") are counted in their group, as the report counts them.

The survey asks gender identity yes/no, and the library maps "No" straight onto the census's broad group
"Gender identity different from sex registered at birth" (it has no detailed category of its own).
"""

import html
import io
import itertools

import pytest
from django.urls import reverse
from docx import Document

from surveys.equality.services import equality_section_add
from surveys.models import Answer, Question, Survey
from tests.factories import TeamFactory, respondent, staff_member
from tests.representativeness.equality_analysis.conftest import _question
from tests.representativeness.equality_analysis.test_analysis import exact_json, row

SAME = "Gender identity the same as sex registered at birth"
DIFFERENT = "Gender identity different from sex registered at birth"
QUESTION = "Should the park keep its gender-neutral toilets?"


def toilets_survey_make(*, trans: int, trans_yes: int | None = None) -> Survey:
    """40 cis respondents (10 say yes) and `trans` trans respondents (`trans_yes` of them say yes: all by default)."""
    survey = Survey.objects.create(
        title="Toilets", slug="toilets", status=Survey.Status.DRAFT, team=TeamFactory(name="Parks"), minimum_age=16
    )
    page = survey.pages.create(position=1, title="Your views")
    question = _question(page, QUESTION, Question.Type.SINGLE_CHOICE, ["Yes", "No"])
    why = Question.objects.create(page=page, position=2, key="why", text="Tell us why", type=Question.Type.LONG_TEXT)
    equality_section_add(survey=survey, keys=["gender_identity"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    yes, no = question.choices.order_by("position")
    trans_yes = trans if trans_yes is None else trans_yes
    people = [("yes", yes)] * 10 + [("yes", no)] * 30 + [("no", yes)] * trans_yes + [("no", no)] * (trans - trans_yes)
    counter = itertools.count()
    for identity, choice in people:
        i = next(counter)
        response = respondent(survey, f"G{i:07d}", gender_identity=identity)
        Answer.objects.create(response=response, question=question, choice=choice)
        if identity == "no":
            Answer.objects.create(response=response, question=why, text="I need a safe toilet")
    return survey


@pytest.fixture
def toilets_survey(db) -> Survey:
    return toilets_survey_make(trans=12)


def test_trans_respondents_are_counted_and_compared(toilets_survey) -> None:
    data = exact_json("toilets")
    different = row(data, "Yes", "gender_identity", DIFFERENT, question=QUESTION)
    assert different["respondents"] == 12 and different["share"] == pytest.approx(1.0)
    assert different["others_respondents"] == 40 and different["others_share"] == pytest.approx(0.25)
    assert different["flag"] == "higher"
    assert row(data, "Yes", "gender_identity", SAME, question=QUESTION)["respondents"] == 40
    # With two groups the finding is told once: the other respondents are the 12 trans respondents.
    assert data["findings"][0].startswith(
        "Respondents whose gender identity is the same as their sex registered at birth were less likely to answer"
    )
    assert "than other respondents (100%, 76 to 100%)" in data["findings"][0]


def test_trans_respondents_words_can_be_read_as_a_group(client, toilets_survey) -> None:
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True, team="Parks"))
    address = reverse("representativeness:lived_experience", args=[toilets_survey.pk])
    page = client.get(f"{address}?group=gender_identity:{DIFFERENT}").content.decode()
    assert "Respondents whose gender identity is different from their sex registered at birth: 12 responded" in page
    assert page.count("I need a safe toilet") == 12


SAME_NAME = "Respondents whose gender identity is the same as their sex registered at birth (gender identity)"
DIFFERENT_NAME = "Respondents whose gender identity is different from their sex registered at birth (gender identity)"
OTHERS_TOO_FEW = "too few in the group compared with them (everyone else who answered) to tell for 2 of 2 answers"


def test_a_large_group_compared_with_a_few_is_not_called_too_few(client, db) -> None:
    """40 cis respondents (25% say yes) against 20 trans respondents (50%): nobody can tell yet,
    because of the 20, and the 40 are never said to be too few (on the page, in the JSON and the EqIA)."""
    survey = toilets_survey_make(trans=20, trans_yes=10)
    lines = exact_json("toilets")["too_few_to_tell"]
    assert f"{SAME_NAME}: {OTHERS_TOO_FEW}" in lines
    assert f"{DIFFERENT_NAME}: can't tell yet for 2 of 2 answers" in lines
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True, team="Parks"))
    page = html.unescape(client.get(reverse("representativeness:equality_analysis", args=[survey.pk])).content.decode())
    assert f"{SAME_NAME}: {OTHERS_TOO_FEW}" in page
    assert f"{SAME_NAME}: can't tell yet" not in page
    response = client.get(reverse("representativeness:eqia_download", args=[survey.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert f"{SAME_NAME}: {OTHERS_TOO_FEW}" in text
    assert "in the group or in the group compared with them, to tell" in text
    assert f"{SAME_NAME}: can't tell yet" not in text


def test_a_hidden_handful_compared_with_a_large_group_stays_hidden(client, db) -> None:
    """With only 6 trans respondents the protected figures hide both sides: the EqIA says so, never the 6, and
    never that the 40 are too few."""
    survey = toilets_survey_make(trans=6, trans_yes=2)
    assert f"{SAME_NAME}: {OTHERS_TOO_FEW}" in exact_json("toilets")["too_few_to_tell"]
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True, team="Parks"))
    page = html.unescape(client.get(reverse("representativeness:eqia", args=[survey.pk])).content.decode())
    assert f"{SAME_NAME}: can't tell yet for 2 of 2 answers (2 hidden to protect the people who answered)" in page
    section = page.split("Groups with too few")[1].split("Method")[0]
    assert OTHERS_TOO_FEW not in section and "6" not in section


def test_a_group_nobody_in_which_answered_is_read_as_no_respondents_not_hidden(client, db) -> None:
    """Only cis respondents answer the cafe question: for the analyst, who sees every figure, the trans group's
    empty side reads "No respondents", never "hidden" to a screen reader."""
    from surveys.models import Response

    survey = toilets_survey_make(trans=12)
    cafe = _question(survey.pages.get(position=1), "Do you use the cafe?", Question.Type.SINGLE_CHOICE, ["Yes", "No"])
    Question.objects.filter(pk=cafe.pk).update(position=3)
    yes, no = cafe.choices.order_by("position")
    for i, response in enumerate(Response.objects.filter(survey=survey, equality_profile__gender_identity="yes")):
        Answer.objects.create(response=response, question=cafe, choice=yes if i % 3 else no)
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True, team="Parks"))
    page = client.get(reverse("representativeness:equality_analysis", args=[survey.pk])).content.decode()
    table = page.split("Do you use the cafe? – Yes</caption>")[1].split("</table>")[0]
    trans_row = table.split(DIFFERENT)[1].split("</tr>")[0]
    cis_row = table.split(SAME)[1].split("</tr>")[0]
    assert "hidden" not in table.replace('aria-hidden="true"', "")
    assert ">0</td>" in trans_row and "No respondents</td>" in trans_row
    assert "No respondents to compare" in trans_row and "No respondents to compare" in cis_row
    assert "65% (50% to 78%)" in cis_row and "No respondents</td>" in cis_row  # everyone else: nobody


def test_a_group_too_few_to_tell_partly_because_of_the_others_reads_without_nested_brackets() -> None:
    from representativeness.equality_analysis.findings import _too_few_line

    line = _too_few_line("Straight or heterosexual respondents", few=30, compared=33, hidden=15, others_fewer=15)
    assert line == (
        "Straight or heterosexual respondents: can't tell yet for 30 of 33 answers (15 because the group compared "
        "with them, everyone else who answered, is too few; 15 hidden to protect the people who answered)"
    )
