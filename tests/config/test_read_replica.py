"""Reports read consultation data from the replica when one is configured; sign-in, access and the audit
log, and every write, stay on the primary (config/db_router.py)."""

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.urls import reverse

from audit.models import AuditEntry
from config import db_router
from config.db_router import REPLICA, ReportsReadReplicaRouter, replica_reads
from representativeness.models import Baseline
from surveys.models import Answer, Response, Survey
from tests.factories import staff_member
from tests.representativeness.reports.conftest import AREA, area  # noqa: F401 (a fixture)
from tests.representativeness.reports.conftest import survey as report_survey  # noqa: F401 (a fixture)

ROUTER = ReportsReadReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """A replica in the settings (DATABASE_REPLICA_URL; the router only asks whether there is one)."""
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)


def test_without_a_replica_everything_reads_the_primary():
    with replica_reads():
        assert ROUTER.db_for_read(Survey) is None and ROUTER.db_for_read(Answer) is None


def test_inside_a_report_consultation_data_is_read_from_the_replica(with_replica):
    assert ROUTER.db_for_read(Survey) is None  # not in a report
    with replica_reads():
        assert ROUTER.db_for_read(Survey) == REPLICA
        assert ROUTER.db_for_read(Response) == REPLICA
        assert ROUTER.db_for_read(Baseline) == REPLICA
        # What decides and records access never lags behind.
        assert ROUTER.db_for_read(User) is None
        assert ROUTER.db_for_read(Session) is None
        assert ROUTER.db_for_read(AuditEntry) is None
        assert ROUTER.db_for_write(Survey) is None
    assert ROUTER.db_for_read(Survey) is None  # and the report is over


def test_only_the_report_pages_go_to_the_replica():
    from django.urls import get_resolver

    names = {
        f"{ns}:{name}"
        for ns, (_, resolver) in get_resolver().namespace_dict.items()
        for name in resolver.reverse_dict
        if isinstance(name, str)
    }
    assert names >= db_router.REPORT_URL_NAMES, "a report page was renamed: update REPORT_URL_NAMES"


def test_the_replica_is_never_migrated():
    assert ROUTER.allow_migrate(REPLICA, "surveys") is False
    assert ROUTER.allow_migrate("default", "surveys") is True


@pytest.mark.django_db
def test_the_report_and_weighting_pages_read_from_the_replica(client, report_survey, monkeypatch, with_replica):  # noqa: F811
    """Which database each read of the report page would use: the router's answers, recorded (the reads
    themselves still go to the test database, which a replica mirrors)."""
    decisions: list[tuple[str, str | None]] = []
    real = ReportsReadReplicaRouter.db_for_read

    def spy(self, model, **hints):
        decisions.append((model._meta.label, real(self, model, **hints)))
        return None

    monkeypatch.setattr(db_router.ReportsReadReplicaRouter, "db_for_read", spy)
    client.force_login(staff_member("officer"))
    for name in ("representativeness:report", "representativeness:weighting"):
        decisions.clear()
        page = client.get(reverse(name, args=[report_survey.pk]) + f"?area={AREA}")
        assert page.status_code == 200
        replica = {label for label, db in decisions if db == REPLICA}
        primary = {label for label, db in decisions if db is None}
        assert {"surveys.Question", "representativeness.Baseline"} <= replica, (name, decisions)
        assert "auth.User" in primary and not replica & {"auth.User", "sessions.Session", "audit.AuditEntry"}
