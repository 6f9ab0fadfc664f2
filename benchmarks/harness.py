"""What the benchmarks share: Django set up with the project's own settings, and a fresh PostgreSQL database.

Benchmarks are run as scripts (`python benchmarks/report.py`), so they import this as `harness`.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def django_setup(**environment: str) -> None:
    """Django with config.settings, not the test settings (whose instrumented template rendering would be
    timed too); `environment` adds settings from the environment, as a deployment would."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    for name, value in environment.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def fresh_postgres_database(name: str) -> str:
    """Drop and create the database `name` on the local PostgreSQL; returns its URL."""
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{POSTGRES}/{name}"
