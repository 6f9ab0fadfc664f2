"""Every answer under /api/ is JSON, an unknown address too: never Django's HTML page, whatever DEBUG says."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "path", ["/api/v1/", "/api/v1/surveys/123/", "/api/v1/no-such-thing/", "/api/", "/api/v1/surveys/123/publish/"]
)
def test_an_unknown_api_address_is_a_json_404(staff, path, debug):
    with override_settings(DEBUG=debug):
        reply = staff.client("officer").get(path)
    assert reply.status_code == 404
    assert reply["Content-Type"] == "application/json"
    assert reply.json() == {
        "message": "There is nothing at this address, or it has been deleted.",
        "errors": [{"field": None, "message": "There is nothing at this address, or it has been deleted."}],
    }


def test_an_api_address_without_its_last_slash_says_where_it_is(staff):
    reply = staff.client("officer").post("/api/v1/surveys", {}, format="json")
    assert reply.status_code == 404
    assert reply.json()["message"] == "There is nothing at this address: did you mean /api/v1/surveys/ ?"
