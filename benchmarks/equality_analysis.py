"""Time and peak memory to build the equality analysis, at 100k and 1M responses on PostgreSQL.

A survey with an agreement scale, a single-choice and a multiple-choice question and the whole About
you section gets synthetic responses (surveys.synthetic, with answers), grows to each size, and the
analysis is built for the protected audience as a page would (median of 3 builds after one warm-up;
peak Python memory with tracemalloc). Both are printed as ratios to the smallest size, run in the same
process. Targets: 1M responses under 3 seconds; memory flat in the number of responses (the counting
stays in the database, so Python sees cells, not responses).

    .venv/bin/python benchmarks/equality_analysis.py                     # 100k and 1M
    .venv/bin/python benchmarks/equality_analysis.py --sizes 10000 100000
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
from harness import ROOT, django_setup, fresh_postgres_database  # noqa: E402

DATABASE = "chorus_equality_benchmark"


def run(sizes: list[int], weighted: bool) -> list[dict]:
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from engagement.builder.services.structure import QuestionDetails, question_add
    from representativeness.disclosure import Audience
    from representativeness.equality_analysis import equality_analysis_build
    from surveys.equality.services import equality_section_add
    from surveys.models import Question, Survey
    from surveys.selectors import DEFAULT_AGREEMENT_CHOICES
    from surveys.synthetic import responses_generate

    call_command("migrate", verbosity=0)
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
        question_add(page=page, details=QuestionDetails(text=text, hint="", type=kind, required=False), choices=choices)
    equality_section_add(survey=survey)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)

    results, have = [], 0
    for seed, size in enumerate(sizes, start=1):
        responses_generate(survey=survey, count=size - have, seed=seed)
        have = size
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE surveys_equalityprofile")
            cursor.execute("VACUUM ANALYZE surveys_answer")

        def build():
            return equality_analysis_build(survey=survey, audience=Audience.PROTECTED, weighted=weighted)

        build()
        times = []
        for _ in range(3):
            started = time.perf_counter()
            build()
            times.append(time.perf_counter() - started)
        tracemalloc.start()
        analysis = build()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert analysis.respondents == size
        results.append({"responses": size, "seconds": statistics.median(times), "peak_mib": peak / 2**20})
        print(f"  {size:>9,}: {statistics.median(times):.3f} s, {peak / 2**20:.1f} MiB", file=sys.stderr, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--weighted", action="store_true", help="Build the weighted analysis (raking) too.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import json

        print(json.dumps(run(args.sizes, args.weighted)))
        return
    import json

    postgres_url = fresh_postgres_database(DATABASE)
    env = {**os.environ, "DATABASE_URL": postgres_url, "SECRET_KEY": "benchmark-only"}
    command = [sys.executable, __file__, "--child", "--sizes", *map(str, args.sizes)]
    if args.weighted:
        command.append("--weighted")
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    sys.stderr.write(output.stderr)
    runs = json.loads(output.stdout.strip().splitlines()[-1])
    base = runs[0]
    print(f"{'responses':>11}{'seconds':>10}{'x first':>9}{'peak MiB':>10}{'x first':>9}")
    for row in runs:
        print(
            f"{row['responses']:>11,}{row['seconds']:>10.3f}{row['seconds'] / base['seconds']:>9.2f}"
            f"{row['peak_mib']:>10.2f}{row['peak_mib'] / base['peak_mib']:>9.2f}"
        )
    million = [r for r in runs if r["responses"] == 1_000_000]
    if million:
        seconds = million[0]["seconds"]
        print(f"Target 1M responses on PostgreSQL under 3 s: {seconds:.3f} s, {'met' if seconds < 3 else 'NOT met'}.")


if __name__ == "__main__":
    main()
