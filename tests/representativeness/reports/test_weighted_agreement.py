"""An agreement question on the default scale (answers stored as the scale's values, no choices) is among
the weighted results, on the page and in the download, with every point of the scale."""

import csv
import io

import pytest
from django.urls import reverse

from representativeness.disclosure import Audience
from representativeness.weighting import weighting_run
from surveys.models import Answer, Page, Question, Response
from tests.factories import staff_member
from tests.representativeness.reports.conftest import AREA

pytestmark = pytest.mark.django_db


def test_default_scale_agreement_is_weighted(client, survey):
    page = Page.objects.get(survey=survey, position=1)
    question = Question.objects.create(page=page, position=3, key="agree", text="Do you agree?", type="agreement")
    for response in Response.objects.filter(survey=survey).select_related("equality_profile"):
        sex = response.equality_profile.sex
        if sex in ("female", "male"):
            Answer.objects.create(response=response, question=question, text="agree" if sex == "female" else "disagree")
    result = weighting_run(audience=Audience.EXACT, survey=survey, area_code=AREA, characteristics=["sex"])
    (agreement,) = [q for q in result.questions if q.question == "Do you agree?"]
    table = agreement.results.table
    assert list(table.index) == [
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
        "Don't know",
    ]
    # 150 women agree and 50 men disagree; weighted 60:40 as the census.
    assert table.loc["Agree", "unweighted_share"] == pytest.approx(0.75)
    assert table.loc["Agree", "weighted_share"] == pytest.approx(0.6)

    client.force_login(staff_member("officer"))
    query = f"?area={AREA}&characteristics=sex"
    download = client.get(reverse("representativeness:weighting_download", args=[survey.pk, "csv"]) + query)
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    agree = next(r for r in rows if r["question"] == "Do you agree?" and r["answer"] == "Agree")
    assert float(agree["weighted_share"]) == pytest.approx(0.6)
