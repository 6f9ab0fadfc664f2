"""Target groups as an officer sets them: the suggested target filled in, a hidden one explained, and groups
nobody can belong to (a ward within another ward, the census's "Not answered") refused."""

import pytest

from audit.services import Actor
from plans.forms import TargetGroupForm
from plans.models import TargetGroup
from plans.services import PlanError, target_add
from plans.suggestions import report_suggestions
from representativeness.disclosure import Audience
from representativeness.reports.builder import report_build
from surveys.models import ResidenceArea
from tests.factories import staff_member
from tests.surveys.journey import text

from .conftest import AREA

pytestmark = pytest.mark.django_db


def test_editing_a_suggestions_target_starts_from_the_suggested_figure(client, survey):
    client.force_login(staff_member("officer"))
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/targets/new/?group=sex|detailed|Male"))
    assert 'name="target" type="text"' in page or 'name="target"' in page
    assert 'value="100"' in page  # 50 responses so far and about 50 more
    assert "Set the target for Male" in page


def test_accepting_a_suggestion_whose_target_is_hidden_says_why_and_keeps_the_group(client, survey):
    client.force_login(staff_member("officer"))
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    hidden = [s for s in report_suggestions(report_build(survey=survey, area_code=AREA, audience=Audience.PROTECTED))]
    hidden = [s for s in hidden if s.target is None]
    assert hidden, "the fixture has a suggestion whose target is hidden from an officer without the permission"
    value = f"{hidden[0].characteristic}|{hidden[0].level}|{hidden[0].category}"
    assert "hidden (small numbers)" in page
    response = client.post(f"/officers/surveys/{survey.pk}/plan/suggestions/", {"group": value, "decision": "accept"})
    form = text(client.get(response["Location"]))
    assert "its suggested target is hidden from you" in form and "Set a target by hand" in form
    assert f'<option value="{value}" selected>' in form
    assert not TargetGroup.objects.exists()


def test_a_ward_within_a_ward_is_refused(client, survey):
    stretford = ResidenceArea.objects.create(code="E05000001", name="Stretford")
    village = ResidenceArea.objects.create(code="E05000002", name="Village")
    officer = staff_member("officer")
    client.force_login(officer)
    url = f"/officers/surveys/{survey.pk}/plan/targets/new/"
    page = text(client.post(url, {"group": "area|detailed|Stretford", "ward": village.pk, "target": "10"}))
    assert "Nobody lives in both Stretford and Village. Choose Anywhere for the ward" in page
    page = text(client.post(url, {"group": "area|detailed|Stretford", "ward": stretford.pk, "target": "10"}))
    assert "“Stretford” is a ward already, so it cannot be within a ward" in page
    assert not TargetGroup.objects.exists()
    with pytest.raises(PlanError, match="Nobody lives in both"):
        target_add(
            survey=survey,
            characteristic="area",
            level="detailed",
            category="Stretford",
            ward=village,
            target=10,
            actor=Actor(user=officer),
        )
    client.post(url, {"group": "area|detailed|Stretford", "ward": "", "target": "10"})
    assert TargetGroup.objects.get().category == "Stretford"


@pytest.mark.parametrize(
    ("characteristic", "level"),
    [("religion", "detailed"), ("sexual_orientation", "detailed"), ("gender_identity", "broad")],
)
def test_the_census_not_answered_is_neither_offered_nor_accepted_as_a_target(client, survey, characteristic, level):
    value = f"{characteristic}|{level}|Not answered"
    form = TargetGroupForm(survey=survey)
    assert value not in {v for v, _ in form.fields["group"].choices}
    assert "|Not answered" not in "".join(v for v, _ in form.fields["group"].choices)
    officer = staff_member("officer")
    client.force_login(officer)
    page = text(client.post(f"/officers/surveys/{survey.pk}/plan/targets/new/", {"group": value, "target": "10"}))
    assert "Select the group" in page
    with pytest.raises(PlanError, match="did not answer the census question"):
        target_add(
            survey=survey,
            characteristic=characteristic,
            level=level,
            category="Not answered",
            ward=None,
            target=10,
            actor=Actor(user=officer),
        )
    assert not TargetGroup.objects.exists()
