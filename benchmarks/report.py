"""Time and peak memory to build the representativeness report, at 10k, 100k and 1M responses.

Runs once per database (a fresh SQLite file, and PostgreSQL at 127.0.0.1:5432 unless --no-postgres),
each in its own process, and prints a table: seconds (median of 3 builds), peak Python memory during a
build (tracemalloc), and both as ratios to the 10k run on the same database. The target: 1M responses
on PostgreSQL in under 2 seconds, with memory that does not grow with the number of responses.

    .venv/bin/python benchmarks/report.py            # 10k, 100k, 1M on SQLite and PostgreSQL
    .venv/bin/python benchmarks/report.py --sizes 10000 100000
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, django_setup, fresh_postgres_database  # noqa: E402

AREA = "E08000009"  # Trafford


def run_one(sizes: list[int]) -> list[dict]:
    """In this process's database: build the survey, grow it to each size, time the report at each."""
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from representativeness.reports.builder import report_build
    from surveys.equality.services import equality_section_add
    from surveys.models import Page, ResidenceArea, Survey
    from surveys.synthetic import responses_generate

    call_command("migrate", verbosity=0)
    call_command("load_census", verbosity=0)
    from representativeness.models import Area

    for ward in Area.objects.filter(level="ward"):
        ResidenceArea.objects.get_or_create(code=ward.code, defaults={"name": ward.name})
    survey = Survey.objects.create(title="Benchmark", slug="benchmark", status=Survey.Status.OPEN)
    Page.objects.create(survey=survey, position=1, title="Views")
    equality_section_add(survey=survey)

    results, have = [], 0
    for seed, size in enumerate(sizes, start=1):
        started = time.perf_counter()
        responses_generate(survey=survey, count=size - have, seed=seed, with_answers=False)
        have = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE surveys_equalityprofile")
        generated = time.perf_counter() - started
        report_build(survey=survey, area_code=AREA)  # warm caches, as a second visit would
        times = []
        for _ in range(3):
            started = time.perf_counter()
            report_build(survey=survey, area_code=AREA)
            times.append(time.perf_counter() - started)
        tracemalloc.start()
        report = report_build(survey=survey, area_code=AREA)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert report.respondents == size, (report.respondents, size)
        results.append(
            {
                "database": connection.vendor,
                "responses": size,
                "seconds": statistics.median(times),
                "peak_mib": peak / 2**20,
                "generate_seconds": generated,
            }
        )
        print(f"  {connection.vendor} {size:>9,}: {statistics.median(times):.3f} s", file=sys.stderr, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.sizes)))
        return

    runs = []
    with tempfile.TemporaryDirectory() as folder:
        databases = [f"sqlite:///{folder}/benchmark.sqlite3"]
        if not args.no_postgres:
            databases.append(fresh_postgres_database("chorus_benchmark"))
        for url in databases:
            env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "benchmark-only"}
            command = [sys.executable, __file__, "--child", "--sizes", *map(str, args.sizes)]
            output = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
            sys.stderr.write(output.stderr)
            runs.extend(json.loads(output.stdout.strip().splitlines()[-1]))

    print(f"{'database':<11}{'responses':>11}{'seconds':>10}{'x 10k':>8}{'peak MiB':>10}{'x 10k':>8}")
    for run in runs:
        base = next(r for r in runs if r["database"] == run["database"])
        time_ratio, memory_ratio = run["seconds"] / base["seconds"], run["peak_mib"] / base["peak_mib"]
        print(
            f"{run['database']:<11}{run['responses']:>11,}{run['seconds']:>10.3f}"
            f"{time_ratio:>8.2f}{run['peak_mib']:>10.2f}{memory_ratio:>8.2f}"
        )
    postgres_million = [r for r in runs if r["database"] == "postgresql" and r["responses"] == 1_000_000]
    if postgres_million:
        seconds = postgres_million[0]["seconds"]
        print(f"Target 1M responses on PostgreSQL under 2 s: {seconds:.3f} s, {'met' if seconds < 2 else 'NOT met'}.")


if __name__ == "__main__":
    main()
