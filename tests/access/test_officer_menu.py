"""The officers' menu leads to the council-wide pages an officer's role may open: the partner directory and
the groups compared with the census (they were reachable only by typing their addresses)."""

import pytest

from tests.factories import staff_member
from tests.surveys.journey import text

pytestmark = pytest.mark.django_db


def test_the_officers_menu_links_the_partner_directory_and_the_groups_compared_with_the_census(client, db):
    client.force_login(staff_member("viewer", role="Viewer"))
    for page in (text(client.get("/officers/")), text(client.get("/officers/partners/"))):
        assert 'href="/officers/partners/"' in page and 'href="/officers/datasets/"' in page
