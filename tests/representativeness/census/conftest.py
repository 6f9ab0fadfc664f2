"""Fixtures for the census baseline tests: the fixture files, the shipped data, officers, a snapshot of the
baseline tables to prove that a refused import changed nothing."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management import call_command

from representativeness.models import Area, Baseline, BaselineCount

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHIPPED = Path(settings.BASE_DIR) / "data" / "census"
STOCKPORT = "E08000007"


@pytest.fixture
def fixture_path() -> Callable[[str], Path]:
    def find(name: str) -> Path:
        path = FIXTURES / name
        assert path.is_file(), f"no fixture {name}"
        return path

    return find


@pytest.fixture
def shipped() -> Callable[[str], Path]:
    def find(name: str) -> Path:
        path = SHIPPED / name
        assert path.is_file(), f"no shipped census file {name}"
        return path

    return find


def database_snapshot() -> dict[str, object]:
    """Everything an import could change, to compare before and after a refused one."""
    return {
        "areas": list(Area.objects.order_by("pk").values_list("pk", "code", "name", "level")),
        "baselines": list(
            Baseline.objects.order_by("pk").values_list("pk", "area_id", "table", "source_file_name", "imported_at")
        ),
        "counts": list(BaselineCount.objects.order_by("pk").values_list("pk", "category", "sex", "level", "count")),
    }


@pytest.fixture
def snapshot() -> Callable[[], dict[str, object]]:
    return database_snapshot


@pytest.fixture
def stockport_loaded(fixture_path: Callable[[str], Path]) -> None:
    """Something already in the database, so that 'unchanged' means more than 'still empty'."""
    call_command("import_census", str(fixture_path("census2021-ts021-ltla.csv")), "--area", STOCKPORT)
    call_command("import_census", str(fixture_path("census2021-ts038-ltla.csv")), "--area", STOCKPORT)


def _user(username: str, *permissions: str) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery staple")
    for codename in permissions:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="representativeness", codename=codename)
        )
    return user


@pytest.fixture
def officer() -> User:
    """Can see and import baselines."""
    return _user("officer", "view_baseline", "add_baseline")


@pytest.fixture
def viewer() -> User:
    """Can see baselines but not import them."""
    return _user("viewer", "view_baseline")


@pytest.fixture
def nobody() -> User:
    """Signed in, with no permissions here."""
    return _user("nobody")
