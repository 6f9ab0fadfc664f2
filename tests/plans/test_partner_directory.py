"""The partner directory as an engagement officer uses it: communities by age, ward targets matched with the
partners working in that ward, communities shown by name, and deleting an organisation without losing
which activities were run with it."""

import pytest

from audit.models import AuditEntry
from plans.models import Activity, Partner, TargetGroup
from surveys.models import ResidenceArea
from tests.factories import staff_member
from tests.surveys.journey import text

pytestmark = pytest.mark.django_db
NO_PARTNER = "No partner in the"


def test_the_partner_form_offers_age_bands_and_a_partner_for_young_people_is_suggested_for_an_age_target(
    client, survey
):
    client.force_login(staff_member("officer"))
    form = text(client.get("/officers/partners/new/"))
    assert 'value="age:16 to 24"' in form and 'value="age:0 to 15"' in form and 'value="age:75 and over"' in form
    client.post("/officers/partners/new/", {"name": "Youth Forum", "communities": ["age:16 to 24"]})
    assert Partner.objects.get().communities == ["age:16 to 24"]
    # The plan's band starts at the survey's youngest age (18 here): a partner for 16 to 24 works with 18 to 24.
    survey.minimum_age = 18
    survey.save(update_fields=["minimum_age"])
    TargetGroup.objects.create(survey=survey, characteristic="age", category="18 to 24", target=40)
    TargetGroup.objects.create(survey=survey, characteristic="age", category="65 to 74", target=40)
    plan = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert plan.count("Partners who work with this group: ") == 1 and "Youth Forum" in plan
    assert plan.count(NO_PARTNER) == 1


def test_a_ward_target_is_matched_with_the_partners_working_in_that_ward(client, survey):
    stretford = ResidenceArea.objects.create(code="E05000001", name="Stretford")
    village = ResidenceArea.objects.create(code="E05000002", name="Village")
    mosque = Partner.objects.create(name="Stretford Mosque", communities=["religion:Muslim"])
    mosque.areas.set([stretford])
    Partner.objects.create(name="Village Hall").areas.set([village])
    TargetGroup.objects.create(survey=survey, characteristic="area", category="Stretford", target=30)
    client.force_login(staff_member("officer"))
    plan = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert "Partners who work with this group: " in plan and "Stretford Mosque" in plan
    assert NO_PARTNER not in plan and "Village Hall" not in plan


def test_the_directory_names_communities_as_people_read_them(client, db):
    Partner.objects.create(name="Mosque", communities=["religion:Muslim", "ethnic_group:Pakistani", "age:16 to 24"])
    client.force_login(staff_member("officer"))
    directory = text(client.get("/officers/partners/"))
    assert "Religion: Muslim; Ethnic group: Pakistani; Age: 16 to 24" in directory
    assert "religion:Muslim" not in directory and "ethnicgroup" not in directory


def test_a_deleted_partner_leaves_its_name_on_the_activities_run_with_it(client, survey):
    partner = Partner.objects.create(name="Age UK Trafford")
    activity = Activity.objects.create(
        survey=survey, kind="event", title="Tea dance", date="2027-03-06", partner=partner
    )
    client.force_login(staff_member("officer"))
    url = f"/officers/partners/{partner.pk}/delete/"
    assert f'href="{url}"' in text(client.get(f"/officers/partners/{partner.pk}/"))
    confirm = text(client.get(url))
    assert "Delete “Age UK Trafford” from the directory?" in confirm and "Tea dance (Parks)" in confirm
    assert Partner.objects.exists()  # asking is not deleting
    response = client.post(url)
    assert response["Location"] == "/officers/partners/"
    assert not Partner.objects.exists()
    activity.refresh_from_db()
    assert (activity.partner, activity.partner_name) == (None, "Age UK Trafford")
    plan = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert "with Age UK Trafford (no longer in the directory)" in plan
    entry = AuditEntry.objects.get(action="partner_changed", object_label="Age UK Trafford")
    assert entry.detail == {"deleted": True, "activities": 1}
    viewer = staff_member("viewer", role="Viewer")
    client.force_login(viewer)
    other = Partner.objects.create(name="Carers")
    assert client.post(f"/officers/partners/{other.pk}/delete/").status_code == 403
    assert Partner.objects.filter(pk=other.pk).exists()
