"""A small, fully known census area and survey, shared by the report tests."""

import pytest

from representativeness.census.parse import CensusUpload
from representativeness.services.baselines import census_files_import
from surveys.equality.services import equality_section_add
from surveys.models import Answer, Choice, EqualityProfile, Page, Question, Response, Survey
from tests.factories import TeamFactory

AREA = "E08000099"

SEX_CSV = (
    "area_code,area_name,geography,period,indicator,measure,unit,value\n"
    f"{AREA},Testborough,Local authority,2021-03-21,All persons,Count,Persons,1000\n"
    f"{AREA},Testborough,Local authority,2021-03-21,Female,Count,Persons,600\n"
    f"{AREA},Testborough,Local authority,2021-03-21,Male,Count,Persons,400\n"
)
RELIGION = {
    "No religion": 300,
    "Christian": 500,
    "Buddhist": 10,
    "Hindu": 20,
    "Jewish": 10,
    "Muslim": 100,
    "Sikh": 10,
    "Other religion": 10,
    "Not answered": 40,
}
RELIGION_CSV = "area_code,area_name,geography,period,indicator,religion,measure,unit,value\n" + "".join(
    f"{AREA},Testborough,Local authority,2021-03-21,Religious affiliation,{label},Count,Persons,{n}\n"
    for label, n in RELIGION.items()
)


@pytest.fixture
def area():
    census_files_import(
        uploads=[
            CensusUpload(file_name="sex.csv", data=SEX_CSV.encode()),
            CensusUpload(file_name="religion.csv", data=RELIGION_CSV.encode()),
        ]
    )
    return AREA


def make_survey(slug: str = "parks") -> Survey:
    survey = Survey.objects.create(title="Parks", slug=slug, status=Survey.Status.OPEN, team=TeamFactory(name="Parks"))
    Page.objects.create(survey=survey, position=1, title="Your views")
    equality_section_add(survey=survey, keys=["sex", "religion"])
    return survey


def add(survey: Survey, count: int, channel: str = "online", **values) -> None:
    start = Response.objects.count()
    for i in range(start, start + count):
        response = Response.objects.create(
            survey=survey, reference=f"T{i:07d}", submission_key=f"k{i}", channel=channel
        )
        EqualityProfile.objects.create(
            response=response,
            survey=survey,
            channel=channel,
            submitted_at=response.submitted_at,
            library_version="test",
            **values,
        )


@pytest.fixture
def survey(area):
    survey = make_survey()
    add(survey, 60, sex="female", religion="no_religion")
    add(survey, 90, sex="female", religion="christian")
    add(survey, 40, sex="male", religion="christian")
    add(survey, 4, sex="male", religion="muslim")
    add(survey, 6, sex="male", religion="hindu")
    add(survey, 7, sex="prefer_not_to_say", religion="prefer_not_to_say")
    add(survey, 3, sex="skipped", religion="skipped")
    add(survey, 5, section_skipped=True)
    return survey


@pytest.fixture
def voted(survey):
    """Women (over-represented 150 to 50 against 60:40) prefer play areas; men prefer paths."""
    page = Page.objects.get(survey=survey, position=1)
    question = Question.objects.create(page=page, position=1, key="first", text="What first?", type="single_choice")
    play = Choice.objects.create(question=question, position=1, value="play", label="Play areas")
    paths = Choice.objects.create(question=question, position=2, value="paths", label="Paths")
    for response in Response.objects.select_related("equality_profile"):
        sex = response.equality_profile.sex
        if sex in ("female", "male"):
            Answer.objects.create(response=response, question=question, choice=play if sex == "female" else paths)
    return survey
