"""Server time of each page of the resident journey, against a minimal page, in the same run.

Residents answer the demo consultation (About you included) through Django's test client, in this
process: each request's time is the server's time to handle it (middleware, session, view, template).
For every survey page it prints the median time to show it (GET) and to send it (POST: validate,
keep, redirect), and each as a ratio to the median time of a minimal page (the cookies page: the same
layout, no survey) timed before every survey page in the same run, so that both see the same load on
the machine; "fastest" compares the quickest of each, and "CPU x" the median processor time of the
request's thread (time.thread_time), which other programs on a shared machine disturb far less than
the clock. The target (issue 9): no survey page, "Check your answers" and sending included, above 3
times the minimal page (median server time). The load average at the start is printed: on a machine
busy with other work the clock times of longer requests suffer most, and the ratios with them.

With --concurrent N it then runs N residents at once over HTTP against a threaded server, and prints
the median latency of survey pages and of the minimal page under that load, and whether every
resident finished (SQLite's "database is locked" used to stop them).

    .venv/bin/python benchmarks/journey.py                    # SQLite and PostgreSQL, 20 residents each
    .venv/bin/python benchmarks/journey.py --no-postgres --residents 10 --concurrent 50
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, django_setup, fresh_postgres_database  # noqa: E402

MINIMAL = "/cookies/"
TARGET_RATIO = 3.0
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')


def _survey() -> object:
    from django.core.management import call_command

    from surveys.demo import demo_consultation_create
    from surveys.equality.services import equality_section_add

    call_command("migrate", verbosity=0)
    survey = demo_consultation_create()
    equality_section_add(survey=survey)
    return survey


def _answers() -> dict[str, dict]:
    """What a resident who answers everything gives, by step; pages not listed are sent blank (optional)."""
    from tests.surveys.weekly_visitor import WEEKLY_VISITOR_PAGES

    return {**WEEKLY_VISITOR_PAGES, "10": {"about_you_date_of_birth__age": "40"}}


def _timed(call, *args, **kwargs) -> tuple[tuple[float, float], object]:
    """(server time, processor time of this thread) of one request, and its response."""
    started, cpu_started = time.perf_counter(), time.thread_time()
    response = call(*args, **kwargs)
    return (time.perf_counter() - started, time.thread_time() - cpu_started), response


def _post(client, url: str, data: dict) -> object:
    """POST a page's form as a browser does (the journey's forms have no enctype): URL-encoded. The test
    client's default, multipart, costs the server more to read, which residents never cause."""
    from urllib.parse import urlencode

    return client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


def run_sequential(residents: int) -> dict:
    """In this process's database: `residents` journeys one after another, timing every request."""
    from django.db import connection
    from django.test import Client

    from surveys.models import Response

    survey = _survey()
    base = f"/s/{survey.slug}/questions/"
    answers = _answers()
    times: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for number in range(residents + 1):  # the first resident warms caches and is not counted
        client = Client(SERVER_NAME="localhost")  # an allowed host (ALLOWED_HOSTS)
        seconds, _ = _timed(client.get, MINIMAL)
        times["minimal"].append(seconds)
        url = client.get(base)["Location"]
        while not url.endswith("/check-your-answers/"):  # the pages routing gives this resident, in order
            step = url.rstrip("/").rsplit("/", 1)[-1]
            minimal_seconds, _ = _timed(client.get, MINIMAL)
            get_seconds, shown = _timed(client.get, url)
            assert shown.status_code == 200, (step, shown.status_code)
            data = {f"{step}-{name}": value for name, value in answers.get(step, {}).items()}
            post_seconds, sent = _timed(_post, client, url, {**data, "action": "continue"})
            assert sent.status_code == 302, (step, sent.status_code)
            if number:
                times["minimal"].append(minimal_seconds)
                times[f"{step} GET"].append(get_seconds)
                times[f"{step} POST"].append(post_seconds)
            url = sent["Location"]
        check_seconds, check = _timed(client.get, f"{base}check-your-answers/")
        key = SUBMISSION_KEY.search(check.content.decode())[1]
        send_seconds, sent = _timed(_post, client, f"{base}check-your-answers/", {"submission_key": key})
        assert sent.status_code == 302, sent.status_code
        seconds, _ = _timed(client.get, MINIMAL)
        if number:
            times["check GET"].append(check_seconds)
            times["send POST"].append(send_seconds)
            times["minimal"].append(seconds)
    assert Response.objects.count() == residents + 1
    return {
        "database": connection.vendor,
        "load": os.getloadavg()[0],
        "medians": {k: statistics.median(t for t, _ in v) for k, v in times.items()},
        "fastest": {k: min(t for t, _ in v) for k, v in times.items()},
        "cpu": {k: statistics.median(c for _, c in v) for k, v in times.items()},
    }


def run_concurrent(count: int) -> dict:
    """`count` residents at once over HTTP against a threaded server: median latencies and failures."""
    import urllib.error
    import urllib.parse
    import urllib.request
    from http.cookiejar import CookieJar

    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from surveys.models import Response

    survey = _survey()
    answers = _answers()
    before = Response.objects.count()

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False, connections_override={})
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(count)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    def resident(number: int) -> None:
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

        def request(kind: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
            body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
            started = time.perf_counter()
            try:
                with opener.open(origin + path, data=body, timeout=300) as response:
                    status, text, location = response.status, response.read().decode(), ""
            except urllib.error.HTTPError as error:
                status, text, location = error.code, error.read().decode(), error.headers.get("Location", "")
            with lock:
                latencies[kind].append(time.perf_counter() - started)
            if status >= 400:
                raise RuntimeError(f"{kind} {path}: {status}")
            return status, text, location

        try:
            barrier.wait(timeout=60)
            request("minimal", MINIMAL)
            _, _, first = request("survey GET", f"/s/{survey.slug}/questions/")
            path = first
            while not path.endswith("/check-your-answers/"):
                step = path.rstrip("/").rsplit("/", 1)[-1]
                # The minimal page before every survey page, as in the sequential run, so that both see the
                # same load: timed only at the start and the end, it saw the 50 residents' first requests
                # arrive at once and read ten times slower than the survey pages.
                request("minimal", MINIMAL)
                _, page, _ = request("survey GET", path)
                data = {f"{step}-{name}": value for name, value in answers.get(step, {}).items()}
                _, _, path = request(
                    "survey POST", path, {**data, "action": "continue", "csrfmiddlewaretoken": csrf.search(page)[1]}
                )
            _, page, _ = request("survey GET", path)
            send = {"submission_key": SUBMISSION_KEY.search(page)[1], "csrfmiddlewaretoken": csrf.search(page)[1]}
            request("send POST", path, send)
            request("minimal", MINIMAL)
        except Exception as exc:  # noqa: BLE001 - counted and printed
            with lock:
                failures.append(f"resident {number}: {exc}"[:200])

    threads = [threading.Thread(target=resident, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.shutdown()
    return {
        "database": connection.vendor,
        "residents": count,
        "finished": count - len(failures),
        "stored": Response.objects.count() - before,
        "failures": failures[:5],
        "medians": {k: statistics.median(v) for k, v in latencies.items()},
    }


def _report_sequential(run: dict) -> bool:
    medians, fastest, cpu = run["medians"], run["fastest"], run["cpu"]
    minimal, minimal_fastest, minimal_cpu = medians["minimal"], fastest["minimal"], cpu["minimal"]
    print(f"\n{run['database']}: server time, as a ratio to the minimal page ({MINIMAL}) timed between them "
          f"(load average {run['load']:.1f})")  # fmt: skip
    print(f"{'page':<14}{'median ms':>10}{'x minimal':>11}{'fastest x':>11}{'CPU x':>8}")
    print(f"{'minimal':<14}{minimal * 1000:>10.2f}{1:>11.2f}{1:>11.2f}{1:>8.2f}")
    worst = worst_cpu = 0.0
    for name, seconds in medians.items():
        if name == "minimal":
            continue
        ratio, cpu_ratio = seconds / minimal, cpu[name] / minimal_cpu
        worst, worst_cpu = max(worst, ratio), max(worst_cpu, cpu_ratio)
        flag = "  above target" if ratio > TARGET_RATIO else ""
        print(f"{name:<14}{seconds * 1000:>10.2f}{ratio:>11.2f}{fastest[name] / minimal_fastest:>11.2f}"
              f"{cpu_ratio:>8.2f}{flag}")  # fmt: skip
    met = worst <= TARGET_RATIO
    print(f"Target: no survey page above {TARGET_RATIO:g} x the minimal page (median): worst {worst:.2f} x, "
          f"{'met' if met else 'NOT met'} (processor time: worst {worst_cpu:.2f} x).")  # fmt: skip
    return met


def _report_concurrent(run: dict) -> None:
    medians = run["medians"]
    minimal = medians.get("minimal", float("nan"))
    print(f"\n{run['database']}: {run['residents']} residents at once over HTTP; median latency")
    for name, seconds in sorted(medians.items()):
        print(f"{name:<14}{seconds * 1000:>9.1f} ms{seconds / minimal:>8.2f} x minimal")
    print(f"Finished: {run['finished']} of {run['residents']}; responses stored: {run['stored']}.")
    for failure in run["failures"]:
        print(f"  {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=20, help="journeys timed one after another")
    parser.add_argument("--concurrent", type=int, default=0, help="then this many residents at once over HTTP")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", choices=["sequential", "concurrent"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        django_setup(SECURE_COOKIES="false")
        result = run_sequential(args.residents) if args.child == "sequential" else run_concurrent(args.concurrent)
        print(json.dumps(result))
        return

    met = True
    with tempfile.TemporaryDirectory() as folder:
        databases = [f"sqlite:///{folder}/benchmark.sqlite3"]
        if not args.no_postgres:
            databases.append(fresh_postgres_database("chorus_benchmark"))
        for url in databases:
            env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "benchmark-only"}
            kinds = ["sequential"] + (["concurrent"] if args.concurrent else [])
            for kind in kinds:
                command = [sys.executable, __file__, "--child", kind, "--residents", str(args.residents),
                           "--concurrent", str(args.concurrent)]  # fmt: skip
                output = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
                run = json.loads(output.stdout.strip().splitlines()[-1])
                if kind == "sequential":
                    met = _report_sequential(run) and met
                else:
                    _report_concurrent(run)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
