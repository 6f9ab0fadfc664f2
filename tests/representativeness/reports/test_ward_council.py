"""Wards are compared only with their own council's census (issue 11, "Wards and the area compared"): the
Trafford demo compared with Stoke-on-Trent leaves out Trafford's wards, with a note saying why, in the
command's JSON, on the page and in the weighting; compared with Trafford it keeps them."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from representativeness.disclosure import Audience
from representativeness.weighting import weighting_run
from surveys.models import Survey

pytestmark = pytest.mark.django_db

TRAFFORD, STOKE = "E08000009", "E06000021"
NOTE = "Wards are compared only with their own council's census: these respondents' wards are in Trafford."


@pytest.fixture
def demo():
    call_command("load_demo", "--password", "x-correct-horse-battery", verbosity=0)
    return Survey.objects.get(slug="future-of-our-parks")


def _json(survey: Survey, area: str) -> dict:
    out = StringIO()
    call_command("representativeness_report", survey.slug, "--area", area, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_command_leaves_out_another_councils_wards_and_says_why(demo):
    stoke = _json(demo, STOKE)
    assert stoke["area"] == {"code": STOKE, "name": "Stoke-on-Trent"}
    assert "area" not in {c["key"] for c in stoke["characteristics"]}
    assert NOTE in stoke["notes"]
    assert "sex" in {c["key"] for c in stoke["characteristics"]}  # the rest is still compared

    trafford = _json(demo, TRAFFORD)
    (ward,) = [c for c in trafford["characteristics"] if c["key"] == "area"]
    assert ward["census_source"] == "the age baseline of each ward"
    assert NOTE not in trafford["notes"]


def test_the_page_leaves_out_another_councils_wards_and_says_why(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="analyst"))
    url = reverse("representativeness:report", args=[demo.pk])
    stoke = client.get(url, {"area": STOKE})
    assert stoke.status_code == 200
    assert "Stoke-on-Trent" in stoke.text
    assert "the age baseline of each ward" not in stoke.text
    assert "Timperley" not in stoke.text
    assert (
        "Wards are compared only with their own council&#x27;s census: these respondents&#x27; wards are in Trafford."
        in stoke.text
    )

    trafford = client.get(url, {"area": TRAFFORD})
    assert "Timperley" in trafford.text
    assert "Wards are compared only with their own council" not in trafford.text


def test_the_weighting_does_not_rake_on_another_councils_wards(demo):
    stoke = weighting_run(survey=demo, area_code=STOKE, characteristics=["sex", "area"], audience=Audience.EXACT)
    assert stoke.characteristics == ["sex"]
    assert any(NOTE in note for note in stoke.notes)

    trafford = weighting_run(survey=demo, area_code=TRAFFORD, characteristics=["sex", "area"], audience=Audience.EXACT)
    assert trafford.characteristics == ["sex", "area"]


@pytest.mark.django_db
def test_a_council_without_ward_baselines_offers_residents_no_other_councils_wards(client, django_user_model, settings):
    """Stoke-on-Trent's site with the shipped files alone (no ward baselines for it): the hub's filter and a
    listing's wards offered all 21 of Trafford's wards."""
    settings.COUNCIL = {**settings.COUNCIL, "area_code": STOKE}
    call_command("load_demo", "--password", "x-correct-horse-battery", "--responses", "0", verbosity=0)
    hub = client.get("/").content.decode()
    assert 'id="id_area"' not in hub and "Ashton upon Mersey" not in hub
    client.force_login(django_user_model.objects.get(username="officer"))
    survey = Survey.objects.get(slug="future-of-our-parks")
    listing = client.get(f"/officers/surveys/{survey.pk}/listing/").content.decode()
    assert "The wards it is about" not in listing and "Ashton upon Mersey" not in listing


def test_the_councils_own_wards_are_offered_on_the_hub(demo, client):
    hub = client.get("/").content.decode()
    assert 'id="id_area"' in hub and "Ashton upon Mersey" in hub and "Stretford" in hub
