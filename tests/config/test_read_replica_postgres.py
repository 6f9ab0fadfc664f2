"""A report request against a real replica connection: its reads of consultation data go to the
replica alias, while the audit entry it writes, and the reads that decide access, go to the primary
(config/db_router.py, ReplicaForReportsMiddleware). PostgreSQL only: CI's PostgreSQL run."""

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from config import db_router
from config.db_router import REPLICA
from tests.factories import staff_member
from tests.representativeness.reports.conftest import AREA, area  # noqa: F401 (a fixture)
from tests.representativeness.reports.conftest import survey as report_survey  # noqa: F401 (a fixture)


# Committed, so that the replica's own connection sees the rows; the replica is a mirror, never flushed.
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_report_download_reads_the_replica_and_audits_on_the_primary(client, report_survey, postgres_replica):  # noqa: F811
    assert db_router.replica_configured()  # settings.DATABASES holds it too
    client.force_login(staff_member("officer"))
    url = reverse("representativeness:report_download", args=[report_survey.pk, "csv"]) + f"?area={AREA}"
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(postgres_replica) as replica:
        download = client.get(url)
        content = b"".join(download.streaming_content)  # the CSV is written as it is sent
    assert download.status_code == 200 and b"Female" in content

    def tables(queries, verb):
        return {
            table
            for q in queries
            if q["sql"].lstrip().upper().startswith(verb)
            for table in re.findall(r'"((?:surveys|representativeness|audit|auth|sessions|access)_\w+)"', q["sql"])
        }

    # The report's consultation data came from the replica, and nothing was written there.
    assert {"surveys_survey", "surveys_question", "representativeness_baseline"} <= tables(replica, "SELECT")
    assert not [q for q in replica if not q["sql"].lstrip().upper().startswith("SELECT")]
    # Who may download, and the audit entry recording it, stayed on the primary.
    assert "audit_auditentry" in tables(primary, "INSERT")
    assert not tables(replica, "SELECT") & {"auth_user", "sessions_session", "audit_auditentry"}
    entry = AuditEntry.objects.using("default").latest("pk")
    assert entry.detail["file"].endswith(".csv")
