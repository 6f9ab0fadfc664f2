"""Reports read from a replica, when there is one (DATABASE_REPLICA_URL).

The report pages named in REPORT_URL_NAMES (ReplicaForReportsMiddleware), and any view wrapped in
`reads_from_replica`, read consultation data (the surveys and representativeness apps) from the
"replica" database. Everything else stays on the primary: every write, and the reads that
decide access (users, teams, sessions) or record it (the audit log), which must never lag behind.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# The apps whose data a report reads; reading them a moment behind the primary changes no decision.
REPLICA_APPS = frozenset({"surveys", "representativeness"})

# The report pages and downloads: what they read may be a moment behind the primary.
REPORT_URL_NAMES = frozenset(
    {
        "representativeness:report",
        "representativeness:report_download",
        "representativeness:weighting",
        "representativeness:weighting_download",
    }
)

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a report view: its reads of consultation data go to the replica, if one is configured."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaForReportsMiddleware:
    """Reads of consultation data by the report pages (REPORT_URL_NAMES) go to the replica; nothing else
    changes. Who may see the report is decided from users, roles and teams, always on the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any) -> Any:
        match = request.resolver_match
        if match is None or match.view_name not in REPORT_URL_NAMES:
            return None
        return reads_from_replica(view)(request, *args, **kwargs)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReportsReadReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading_reports.get() and replica_configured() and model._meta.app_label in REPLICA_APPS:
            return REPLICA
        return None  # the primary

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # the replica copies the primary's schema; it is never migrated itself
