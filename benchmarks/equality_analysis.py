"""Time and peak memory to build the equality analysis, at 100k and 1M responses on PostgreSQL.

A survey with an agreement scale, a single-choice and a multiple-choice question and the whole About
you section gets synthetic responses (surveys.synthetic, with answers), grows to each size, and the
analysis is built for the protected audience as a page would (median of 3 builds after a first one;
peak Python memory with tracemalloc). Both are printed as ratios to the smallest size, run in the same
process. Targets: 1M responses under 3 seconds; memory flat in the number of responses (the counting
stays in the database, so Python sees cells, not responses).

The first build at each size counts every answer (the counts kept from the size before are brought up
to date, decision 32: it counts the responses added since); the timed builds read the kept counts, as
an officer's page does between responses. `--cold` times counting everything every build, as before
the counts were kept. Processor time (this process's, and PostgreSQL's backends' for the database) is
printed beside the wall-clock time, which another user of the machine's cores lengthens; so is the 1M
verdict, on each, with the load average while measuring: on a busy machine the same database can meet the
target on processor time and miss it on the clock (about 2.4 s of processor time was "met" at a load of 3
and "NOT met" at 5).

    .venv/bin/python benchmarks/equality_analysis.py                     # 100k and 1M
    .venv/bin/python benchmarks/equality_analysis.py --sizes 10000 100000
    .venv/bin/python benchmarks/equality_analysis.py --reuse             # the default database, as it is
    .venv/bin/python benchmarks/equality_analysis.py --reuse --sizes 1000000  # grown to 1M first, if smaller
    .venv/bin/python benchmarks/equality_analysis.py --reuse --cold      # the same, counting everything each time
    .venv/bin/python benchmarks/equality_analysis.py --weighted          # the weighted analysis (decision 39)
    .venv/bin/python benchmarks/equality_analysis.py --weighted --sizes 100000 --database chorus_mine_100k
    .venv/bin/python benchmarks/equality_analysis.py --reuse --weighted --database chorus_mine_100k

`--weighted` builds the weighted analysis instead (raked to the council's census on age, sex, ethnic group,
disability and ward, as the page and the command do): its first build counts every answer by raking cell,
the timed ones read the cells kept. `--database` names the database to build or reuse (default
chorus_equality_benchmark).

Without `--reuse` the database named (by `--database`, or the default) is dropped and created anew (said on
stderr first). `--reuse` measures the database named, as it is: the default one unless `--database` names
the same database again, whatever the last run built. It refuses sizes below the responses the database
holds, so a 100k figure from a database grown to 1M needs a database of its own (build it with `--sizes
100000 --database NAME`, then `--reuse --database NAME`). With `--reuse` and
`--sizes`, the survey is grown to each size it is below (with the next seed not yet used, so a database of
100k grown to 1M has the responses a run of both sizes builds), and measured there. Progress (responses
added, with the time) is printed to stderr as the responses are generated.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import POSTGRES, ROOT, django_setup, fresh_postgres_database  # noqa: E402

DATABASE = "chorus_equality_benchmark"


def _backend_seconds(pid: int) -> float | None:
    """Processor time PostgreSQL's backend `pid` has used (it runs on this machine), or None if unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _progress(total: int, have: int, seed: int):
    """A `responses_generate` progress callback printing to stderr every tenth of the way (or 100,000)."""
    started, step = time.perf_counter(), min(100_000, max(total // 10, 1))
    print(f"  adding {total:,} responses to the {have:,} there (seed {seed})", file=sys.stderr, flush=True)
    shown = [0]

    def report(added: int) -> None:
        if added - shown[0] >= step or added == total:
            shown[0] = added
            elapsed = time.perf_counter() - started
            print(
                f"    {have + added:>9,} responses ({added / total:.0%} of these) after {elapsed:.0f} s",
                file=sys.stderr,
                flush=True,
            )

    return report


def run(sizes: list[int] | None, weighted: bool, reuse: bool = False, cold: bool = False) -> list[dict]:
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from engagement.builder.services.structure import QuestionDetails, question_add
    from representativeness.disclosure import Audience
    from representativeness.equality_analysis import equality_analysis_build
    from surveys.equality.selectors import ProfileFilter
    from surveys.equality.services import equality_section_add
    from surveys.models import EqualityProfile, Question, Response, Survey
    from surveys.selectors import DEFAULT_AGREEMENT_CHOICES
    from surveys.synthetic import responses_generate

    call_command("migrate", verbosity=0)
    if cold:  # count every answer at every build, as before the counts were kept (decision 32)
        ProfileFilter.keeps_counts = property(lambda self: False)  # type: ignore[method-assign,assignment]
    survey = Survey.objects.filter(slug="benchmark").first() if reuse else None
    if survey is None:
        call_command("load_census", verbosity=0)
        from representativeness.models import Area
        from surveys.models import ResidenceArea

        for ward in Area.objects.filter(level="ward"):  # the About you section's ward question lists these
            ResidenceArea.objects.get_or_create(code=ward.code, defaults={"name": ward.name})
        survey = Survey.objects.create(title="Benchmark", slug="benchmark", status=Survey.Status.DRAFT)
        page = survey.pages.create(position=1, title="Views")
        for text, kind, choices in [
            ("Do you agree?", Question.Type.AGREEMENT, [label for _, label in DEFAULT_AGREEMENT_CHOICES]),
            ("How often?", Question.Type.SINGLE_CHOICE, ["Weekly", "Monthly", "Never"]),
            ("What do you use?", Question.Type.MULTIPLE_CHOICE, ["Paths", "Toilets", "Cafe"]),
        ]:
            question_add(
                page=page, details=QuestionDetails(text=text, hint="", type=kind, required=False), choices=choices
            )
        equality_section_add(survey=survey)
        Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    have = EqualityProfile.objects.filter(survey=survey).count()
    if sizes is None:
        sizes = [have] if reuse else [100_000, 1_000_000]
    elif reuse and any(size < have for size in sizes):
        raise SystemExit(f"The survey already has {have:,} responses: a reused database cannot measure fewer.")
    print(f"  the survey has {have:,} responses; measuring at {', '.join(f'{s:,}' for s in sizes)}", file=sys.stderr)

    results = []
    seeds = (n for n in range(1, 10_000) if not Response.objects.filter(submission_key=f"synthetic-{n}-0").exists())
    for size in sizes:
        if size > have:
            seed = next(seeds)
            responses_generate(
                survey=survey,
                count=size - have,
                seed=seed,
                multiple_choice=True,
                progress=_progress(size - have, have, seed),
            )
        have = size
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE surveys_equalityprofile")
            cursor.execute("VACUUM ANALYZE surveys_answer")
            cursor.execute("SELECT pg_backend_pid()")
            (backend,) = cursor.fetchone()

        def build():
            return equality_analysis_build(survey=survey, audience=Audience.PROTECTED, weighted=weighted)

        started = time.perf_counter()
        build()
        first = time.perf_counter() - started
        times, processor, database = [], [], []
        for _ in range(3):
            started, cpu, db = time.perf_counter(), time.process_time(), _backend_seconds(backend)
            build()
            times.append(time.perf_counter() - started)
            processor.append(time.process_time() - cpu)
            after = _backend_seconds(backend)
            database.append(None if db is None or after is None else after - db)
        tracemalloc.start()
        analysis = build()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert analysis.respondents == size
        row = {
            "responses": size,
            "seconds": statistics.median(times),
            "first_seconds": first,
            "python_cpu": statistics.median(processor),
            "database_cpu": None if None in database else statistics.median(database),
            "peak_mib": peak / 2**20,
            # The 1-minute load average just after the timed builds: how busy the cores were while measuring.
            "load": os.getloadavg()[0],
        }
        results.append(row)
        print(
            f"  {size:>9,}: {row['seconds']:.3f} s (first build {first:.3f} s; processor: Python "
            f"{row['python_cpu']:.3f} s, PostgreSQL "
            f"{'n/a' if row['database_cpu'] is None else format(row['database_cpu'], '.3f') + ' s'}), "
            f"{peak / 2**20:.1f} MiB",
            file=sys.stderr,
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        help="Responses to measure at (default 100000 1000000; with --reuse, the database as it is).",
    )
    parser.add_argument("--weighted", action="store_true", help="Build the weighted analysis (raking) instead.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help=f"Measure the database named by --database (default {DATABASE}) as it is, without dropping it; grown "
        "to --sizes above what it holds, never below them.",
    )
    parser.add_argument("--cold", action="store_true", help="Count every answer at every build (no kept counts).")
    parser.add_argument(
        "--database", default=DATABASE, help=f"The PostgreSQL database to build or reuse (default {DATABASE})."
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import json

        print(json.dumps(run(args.sizes, args.weighted, reuse=args.reuse, cold=args.cold)))
        return
    import json

    if args.reuse:
        postgres_url = f"{POSTGRES}/{args.database}"
        print(f"Reusing the database {args.database} as it is.", file=sys.stderr, flush=True)
    else:
        print(
            f"Dropping the database {args.database} (if there is one) and building it anew: a few minutes for a "
            "million responses (--reuse measures it again as it is).",
            file=sys.stderr,
            flush=True,
        )
        postgres_url = fresh_postgres_database(args.database)
    env = {**os.environ, "DATABASE_URL": postgres_url, "SECRET_KEY": "benchmark-only"}
    command = [sys.executable, __file__, "--child", *(["--sizes", *map(str, args.sizes)] if args.sizes else [])]
    flags = {"--weighted": args.weighted, "--reuse": args.reuse, "--cold": args.cold}
    command += [flag for flag, on in flags.items() if on]
    # The child's stderr (its progress, a failure's reason) goes straight to ours, as it happens.
    output = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    if output.returncode:
        sys.exit(output.returncode)
    runs = json.loads(output.stdout.strip().splitlines()[-1])
    base = runs[0]
    print(
        f"{'responses':>11}{'seconds':>10}{'x first':>9}{'peak MiB':>10}{'x first':>9}"
        f"{'first build s':>15}{'Python cpu s':>14}{'PostgreSQL cpu s':>18}"
    )
    for row in runs:
        database = f"{row['database_cpu']:.3f}" if row["database_cpu"] is not None else "n/a"
        print(
            f"{row['responses']:>11,}{row['seconds']:>10.3f}{row['seconds'] / base['seconds']:>9.2f}"
            f"{row['peak_mib']:>10.2f}{row['peak_mib'] / base['peak_mib']:>9.2f}"
            f"{row['first_seconds']:>15.3f}{row['python_cpu']:>14.3f}{database:>18}"
        )
    million = [r for r in runs if r["responses"] == 1_000_000]
    if million:
        print("\n".join(verdict(million[0])))


TARGET_SECONDS = 3.0


def verdict(row: dict, cores: int | None = None) -> list[str]:
    """The 1M target judged on the wall clock and on processor time (Python's and PostgreSQL's together),
    each said to be which, with the load average while measuring: on a busy machine the clock lengthens
    while the processor time the build costs does not, so a reader sees both."""
    cores = cores or os.cpu_count() or 1
    seconds = row["seconds"]
    lines = [
        f"Target 1M responses on PostgreSQL under {TARGET_SECONDS:g} s (load average {row['load']:.1f} on {cores} "
        f"cores while measuring):",
        f"  wall clock: {seconds:.3f} s, {'met' if seconds < TARGET_SECONDS else 'NOT met'} "
        "(what an officer waits; other work on the machine lengthens it)",
    ]
    if row["database_cpu"] is None:
        lines.append(
            f"  processor time: Python {row['python_cpu']:.3f} s, PostgreSQL's unreadable, so not judged "
            "(PostgreSQL runs on another machine or as another user)"
        )
    else:
        processor = row["python_cpu"] + row["database_cpu"]
        lines.append(
            f"  processor time: {processor:.3f} s (Python {row['python_cpu']:.3f} s + PostgreSQL "
            f"{row['database_cpu']:.3f} s), {'met' if processor < TARGET_SECONDS else 'NOT met'} "
            "(what the build itself costs, whatever else runs)"
        )
    return lines


if __name__ == "__main__":
    main()
