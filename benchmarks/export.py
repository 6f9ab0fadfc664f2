"""Time and peak memory to export a survey's responses as CSV, at 100k and 1M responses, beside PostgreSQL's
own `COPY (...) TO STDOUT` of the same rows (the same pivot query), in the same run; and as SPSS .sav.

Each size runs on a fresh PostgreSQL database (127.0.0.1:5432, chorus_benchmark_export unless --database
names another). One process gives the demo consultation synthetic responses with answers; another has COPY
and our CSV export write the same rows to a file, each timed (median of 3), and measures our export's peak
memory two ways: the largest Python allocation (tracemalloc) and the process's peak resident size. A third
process does the same for the .sav export (timed once: it is the slower), so that its peak resident size
is its own. Targets: within 5 times COPY's time, and peak memory under 300 MB at 1M.

    .venv/bin/python benchmarks/export.py                   # 100k and 1M
    .venv/bin/python benchmarks/export.py --sizes 10000      # a quick look
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, django_setup, fresh_postgres_database  # noqa: E402

DATABASE = "chorus_benchmark_export"
TIME_TARGET, MEMORY_TARGET_MB = 5.0, 300


def _copy_seconds(sql: str, params: list, target: Path) -> float:
    """PostgreSQL's COPY of the export query's rows as CSV, streamed into a file."""
    from django.db import connection
    from psycopg import sql as psql

    query = psql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER)").format(
        psql.SQL(sql.replace("%s", "{}")).format(*(psql.Literal(p) for p in params))
    )
    started = time.perf_counter()
    with connection.cursor() as cursor, target.open("wb") as out, cursor.cursor.copy(query) as copy:
        for block in copy:
            out.write(block)
    return time.perf_counter() - started


def generate(size: int) -> dict:
    """In this process's (fresh) database: the demo consultation with `size` synthetic responses and answers."""
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from surveys.demo import demo_consultation_create
    from surveys.synthetic import responses_generate

    call_command("migrate", verbosity=0)
    survey = demo_consultation_create()
    started = time.perf_counter()
    responses_generate(survey=survey, count=size, seed=1, with_answers=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"generate_seconds": time.perf_counter() - started}


def measure(size: int) -> dict:
    """In a process of its own (so that its peak resident size is the export's): time COPY and our export."""
    django_setup()
    from surveys.demo import DEMO_SLUG
    from surveys.exports import ExportFormat, export_columns, responses_export
    from surveys.exports.rows import export_sql
    from surveys.models import Answer, Response, Survey

    survey = Survey.objects.get(slug=DEMO_SLUG)
    answers = Answer.objects.filter(response__survey=survey).count()
    assert Response.objects.filter(survey=survey).count() == size

    columns = export_columns(survey=survey, with_equality=False)
    sql, params = export_sql(survey=survey, columns=columns)
    with tempfile.TemporaryDirectory() as folder:
        copied, ours = Path(folder) / "copy.csv", Path(folder) / "ours.csv"
        _copy_seconds(sql, params, copied)  # warm the cache, as a second export would
        copy_times = [_copy_seconds(sql, params, copied) for _ in range(3)]
        export_times = []
        for _ in range(3):
            started = time.perf_counter()
            with ours.open("wb") as out:
                result = responses_export(survey=survey, file_format=ExportFormat.CSV, output=out, with_equality=False)
            export_times.append(time.perf_counter() - started)
        assert result.rows == size
        copy_lines = sum(1 for _ in copied.open("rb"))
        tracemalloc.start()
        with ours.open("wb") as out:
            responses_export(survey=survey, file_format=ExportFormat.CSV, output=out, with_equality=False)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        our_lines = sum(1 for _ in ours.open("rb"))
        sizes = (copied.stat().st_size, ours.stat().st_size)
    return {
        "responses": size,
        "answers": answers,
        "columns": len(columns),
        "rows_copy": copy_lines - 1,
        "rows_ours": our_lines - 1,
        "bytes_copy": sizes[0],
        "bytes_ours": sizes[1],
        "copy_seconds": statistics.median(copy_times),
        "export_seconds": statistics.median(export_times),
        "python_peak_mb": peak / 1e6,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
    }


def measure_sav(size: int) -> dict:
    """In a process of its own: time our .sav export once, and its peak memory (Python's, then resident)."""
    django_setup()
    from surveys.demo import DEMO_SLUG
    from surveys.exports import ExportFormat, responses_export
    from surveys.models import Survey

    survey = Survey.objects.get(slug=DEMO_SLUG)
    with tempfile.TemporaryDirectory() as folder:
        ours = Path(folder) / "ours.sav"
        started = time.perf_counter()
        with ours.open("wb") as out:
            result = responses_export(survey=survey, file_format=ExportFormat.SAV, output=out, with_equality=False)
        seconds = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        import pyreadstat  # to count the rows written, once the export's own peak is taken

        _, meta = pyreadstat.read_sav(str(ours), metadataonly=True)
        assert result.rows == meta.number_rows == size, (result.rows, meta.number_rows)
        tracemalloc.start()
        with ours.open("wb") as out:
            responses_export(survey=survey, file_format=ExportFormat.SAV, output=out, with_equality=False)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size_bytes = ours.stat().st_size
    return {"sav_seconds": seconds, "sav_python_peak_mb": peak / 1e6, "sav_max_rss_mb": rss, "bytes_sav": size_bytes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--database", default=DATABASE, help="The PostgreSQL database to (re)create and use.")
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure-sav", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate or args.measure or args.measure_sav:
        step = generate(args.generate) if args.generate else None
        step = step or (measure(args.measure) if args.measure else measure_sav(args.measure_sav))
        print(json.dumps(step))
        return
    runs = []
    for size in args.sizes:
        postgres_url = fresh_postgres_database(args.database)
        run = {}
        for step in ("--generate", "--measure", "--measure-sav"):
            env = {**os.environ, "DATABASE_URL": postgres_url, "SECRET_KEY": "benchmark-only"}
            command = [sys.executable, __file__, step, str(size)]
            output = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
            run.update(json.loads(output.stdout.strip().splitlines()[-1]))
        runs.append(run)
        print(
            f"  {size:,} responses ({run['answers']:,} answers) generated in {run['generate_seconds']:.0f} s",
            file=sys.stderr,
            flush=True,
        )

    print(
        f"{'responses':>10}{'columns':>8}{'COPY s':>9}{'CSV s':>8}{'x COPY':>8}{'Python MB':>11}{'RSS MB':>8}"
        f"{'.sav s':>9}{'Python MB':>11}{'RSS MB':>8}{'.sav MB':>9}"
    )
    for run in runs:
        ratio = run["export_seconds"] / run["copy_seconds"]
        print(
            f"{run['responses']:>10,}{run['columns']:>8}{run['copy_seconds']:>9.2f}{run['export_seconds']:>8.2f}"
            f"{ratio:>8.2f}{run['python_peak_mb']:>11.1f}{run['max_rss_mb']:>8.0f}"
            f"{run['sav_seconds']:>9.2f}{run['sav_python_peak_mb']:>11.1f}{run['sav_max_rss_mb']:>8.0f}"
            f"{run['bytes_sav'] / 1e6:>9.1f}"
        )
        assert run["rows_copy"] == run["rows_ours"] == run["responses"], run
    largest = runs[-1]
    ratio = largest["export_seconds"] / largest["copy_seconds"]
    peak = max(largest["max_rss_mb"], largest["sav_max_rss_mb"])
    print(
        f"Targets at {largest['responses']:,}: within {TIME_TARGET:g} x COPY's time: {ratio:.2f} x, "
        f"{'met' if ratio <= TIME_TARGET else 'NOT met'}; peak memory under {MEMORY_TARGET_MB} MB: "
        f"CSV {largest['max_rss_mb']:.0f} MB resident ({largest['python_peak_mb']:.1f} MB Python), "
        f".sav {largest['sav_max_rss_mb']:.0f} MB resident ({largest['sav_python_peak_mb']:.1f} MB Python), "
        f"{'met' if peak < MEMORY_TARGET_MB else 'NOT met'}."
    )


if __name__ == "__main__":
    main()
