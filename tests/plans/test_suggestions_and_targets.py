"""Target groups suggested from the report equal its outreach figures; officers accept, edit or dismiss them."""

import pytest

from audit.models import AuditEntry
from plans.models import TargetGroup
from plans.suggestions import report_suggestions
from representativeness.disclosure import Audience
from representativeness.reports.builder import report_build
from tests.factories import staff_member
from tests.surveys.journey import text

from .conftest import AREA

pytestmark = pytest.mark.django_db


def test_suggestions_are_the_reports_under_represented_groups_with_its_outreach_figures(survey):
    report = report_build(survey=survey, area_code=AREA, audience=Audience.EXACT)
    suggestions = {(s.characteristic, s.category): s for s in report_suggestions(report)}
    # Hand-computed: 50 of the 200 who gave their sex are male against 40% in the census;
    # x = (0.4 * 200 - 50) / (1 - 0.4) = 50 more would bring the share to 40%: a target of 100.
    male = suggestions[("sex", "Male")]
    assert (male.respondents, male.outreach, male.target) == (50, 50, 100)
    # Every suggestion is an under-represented row of the report, with the same outreach figure.
    rows = {(c.key, row["category"]): row for c in report.characteristics for row in c.categories}
    for (key, category), suggestion in suggestions.items():
        row = rows[(key, category)]
        assert row["flag"] == "under_represented"
        assert suggestion.outreach == row["outreach_needed"]
        assert suggestion.target == row["respondents"] + row["outreach_needed"]
    under_with_outreach = {
        key for key, row in rows.items() if row["flag"] == "under_represented" and row["outreach_needed"]
    }
    assert set(suggestions) == under_with_outreach


def test_the_plan_page_shows_the_suggestions_and_an_officer_accepts_one(client, survey):
    client.force_login(staff_member("officer"))
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert "Suggested by the report" in page
    assert "Male" in page and "about 50" in page
    response = client.post(
        f"/officers/surveys/{survey.pk}/plan/suggestions/", {"group": "sex|detailed|Male", "decision": "accept"}
    )
    assert response.status_code == 302
    group = TargetGroup.objects.get(survey=survey, category="Male")
    assert (group.status, group.target, group.outreach_when_suggested) == ("accepted", 100, 50)
    assert AuditEntry.objects.filter(action="plan_changed", object_id=str(survey.pk)).exists()
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert "50 of a target of 100 responses so far" in page


def test_a_dismissed_suggestion_is_not_suggested_again_and_can_be_brought_back(client, survey):
    client.force_login(staff_member("officer"))
    client.post(
        f"/officers/surveys/{survey.pk}/plan/suggestions/", {"group": "sex|detailed|Male", "decision": "dismiss"}
    )
    group = TargetGroup.objects.get(survey=survey, category="Male")
    assert group.status == "dismissed" and group.target is None
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert 'value="sex|detailed|Male"' not in page
    assert "Dismissed" in page
    response = client.post(
        f"/officers/surveys/{survey.pk}/plan/targets/{group.pk}/", {"decision": "accepted", "target": ""}
    )
    assert "Enter the target" in text(response)
    client.post(f"/officers/surveys/{survey.pk}/plan/targets/{group.pk}/", {"decision": "accepted", "target": "80"})
    group.refresh_from_db()
    assert (group.status, group.target) == ("accepted", 80)


def test_editing_a_suggestions_target_before_accepting_it(client, survey):
    client.force_login(staff_member("officer"))
    form = client.get(f"/officers/surveys/{survey.pk}/plan/targets/new/?group=sex|detailed|Male")
    assert '<option value="sex|detailed|Male" selected>' in text(form)
    client.post(f"/officers/surveys/{survey.pk}/plan/targets/new/", {"group": "sex|detailed|Male", "target": "120"})
    group = TargetGroup.objects.get(survey=survey, category="Male")
    assert (group.target, group.outreach_when_suggested) == (120, 50)


def test_a_group_added_by_hand_and_the_errors_of_the_form(client, survey):
    client.force_login(staff_member("officer"))
    url = f"/officers/surveys/{survey.pk}/plan/targets/new/"
    page = text(client.post(url, {"group": "", "target": "ten"}))
    assert "Select the group" in page and "Target must be a whole number, like 40" in page
    assert not TargetGroup.objects.exists()
    client.post(url, {"group": "religion|detailed|Buddhist", "target": "12"})
    assert TargetGroup.objects.get(category="Buddhist").target == 12
    page = text(client.post(url, {"group": "religion|detailed|Buddhist", "target": "12"}))
    assert "This group is already in the plan" in page
    assert TargetGroup.objects.count() == 1


def test_a_viewer_sees_the_plan_but_cannot_change_it(client, survey):
    client.force_login(staff_member("viewer", role="Viewer"))
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert "Suggested by the report" in page and "Accept" not in page
    response = client.post(
        f"/officers/surveys/{survey.pk}/plan/suggestions/", {"group": "sex|detailed|Male", "decision": "accept"}
    )
    assert response.status_code == 403
    assert not TargetGroup.objects.exists()
