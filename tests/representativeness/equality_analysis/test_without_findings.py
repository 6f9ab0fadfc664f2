"""When no difference is found, the analysis says no more than its comparisons allow: groups hidden to
protect the people who answered are named as too few to tell, and a survey with nothing to compare
says so, never "no group answered differently"."""

import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from surveys.models import Answer, Question, Response, Survey
from tests.factories import TeamFactory, staff_member
from tests.representativeness.equality_analysis.conftest import _question
from tests.representativeness.equality_analysis.test_gender_identity import toilets_survey_make

OVERSTATED = "No group answered any question clearly differently from everyone else"
TRANS = "Respondents whose gender identity is different from their sex registered at birth (gender identity)"


def analysis_json(slug: str, *flags: str) -> dict:
    out = StringIO()
    call_command("equality_analysis", slug, "--format", "json", *flags, stdout=out)
    return json.loads(out.getvalue())


def eqia_text(client, survey: Survey) -> list[str]:
    client.force_login(staff_member("officer"))
    response = client.get(reverse("representativeness:eqia_download", args=[survey.pk]))
    return [p.text for p in Document(io.BytesIO(response.content)).paragraphs]


@pytest.mark.django_db
def test_a_difference_hidden_to_protect_six_people_is_not_reported_as_no_difference(client) -> None:
    survey = toilets_survey_make(trans=6)
    assert analysis_json("toilets", "--exact")["findings"]  # the six answered differently
    protected = analysis_json("toilets")
    assert protected["findings"] == []
    hidden = f"{TRANS}: can't tell yet for 2 of 2 answers (2 hidden to protect the people who answered)"
    assert hidden in protected["too_few_to_tell"]
    text = eqia_text(client, survey)
    assert not any(t.startswith(OVERSTATED) for t in text)
    assert "groups' figures are hidden to protect the people who answered, so this is not evidence" in " ".join(text)
    assert any(t.startswith(TRANS) for t in text)
    page = client.get(reverse("representativeness:equality_analysis", args=[survey.pk])).content.decode()
    assert OVERSTATED not in page and "hidden to protect the people who answered, so this is not evidence" in page


@pytest.mark.django_db
def test_a_survey_without_about_you_questions_compares_nobody_and_says_so(client) -> None:
    survey = Survey.objects.create(
        title="Bins", slug="bins", status=Survey.Status.OPEN, team=TeamFactory(name="Parks"), minimum_age=16
    )
    page = survey.pages.create(position=1, title="Your views")
    question = _question(page, "Do you like the new bins?", Question.Type.SINGLE_CHOICE, ["Yes", "No"])
    yes, _no = question.choices.order_by("position")
    for i in range(12):
        response = Response.objects.create(survey=survey, reference=f"B{i:07d}", submission_key=f"b{i}")
        Answer.objects.create(response=response, question=question, choice=yes)
    text = eqia_text(client, survey)
    assert not any(t.startswith(OVERSTATED) for t in text)
    assert "No groups could be compared, so this cannot say whether any group answered differently." in text
    page = client.get(reverse("representativeness:equality_analysis", args=[survey.pk])).content.decode()
    assert OVERSTATED not in page and "No groups could be compared" in page
