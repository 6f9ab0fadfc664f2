"""Load: many residents completing the demo survey against the production profile, on loopback.

    .venv/bin/python benchmarks/load.py [--residents 50] [--journeys 200] [--port 8107] [--think 2-5]

Starts `bin/serve` (gunicorn with several workers, the task worker, DEBUG off) on 127.0.0.1 against a
fresh PostgreSQL database (--database-url, default postgres://postgres@127.0.0.1:5432/chorus_load,
dropped and created), with the demo consultation loaded. Then, in the same run:

1. the baseline: --residents clients posting to a minimal Django view that writes one row
   (benchmarks/load_urls.py), through the same middleware, CSRF included;
2. --residents concurrent residents completing the demo survey page by page, through the wizard's
   session and CSRF, as a browser does (each POST followed by the GET it redirects to). Some double
   their final POST (two at once, a double click), some lose the answer to it and send it again.

3. (--think, default 2-5; 0 skips it) --residents concurrent residents completing it as people do,
   pausing between 2 and 5 seconds (uniformly at random) to read and answer each page before sending
   it. Phases 1 and 2 click with no pause at all: they saturate the server, which is what comparing
   the two views' requests per second needs, but then every request waits behind the other 49
   residents', so their latency is the queue's length, not a resident's experience.

It prints requests per second and p50/p95 latency for each phase, the ratio of phases 1 and 2 (the
same server, the same settings, the same run), completed responses per second, and the counts:
responses acknowledged to residents (a reference on the confirmation page) against responses stored,
lost and duplicated, over phases 2 and 3. Bounded: a fixed number of requests and journeys, and
--max-seconds for each phase; it talks to 127.0.0.1 only and stops the server it started.

Targets (issue 17): at 50 residents, zero lost and zero duplicated; survey page requests per second at
least half the minimal view's; p95 under 500 ms per page. Each target is printed as met or not, with
the phase it was measured in.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.surveys.weekly_visitor import WEEKLY_VISITOR_PAGES  # noqa: E402  (plain data, no Django)

HOST = "127.0.0.1"  # loopback only: never anything else
SLUG = "future-of-our-parks"  # surveys/demo.py DEMO_SLUG
MARKER_QUESTION = "comments"

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
REFERENCE = re.compile(r'id="reference">([^<]+)<')


class Refused(Exception):
    pass


@dataclass
class Timings:
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    errors: list[str] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Browser:
    """One resident's browser: its cookies, one connection per request (gunicorn's sync workers close
    each), the headers the TLS proxy in front would add, and the Referer a browser sends."""

    def __init__(self, port: int, timings: Timings) -> None:
        self.port = port
        self.timings = timings
        self.cookies: dict[str, str] = {}
        self.origin = f"https://{HOST}:{port}"
        self.last_url = self.origin + "/"

    def request(self, method: str, path: str, form: dict[str, Any] | None = None, *, drop_answer: bool = False):
        body = urllib.parse.urlencode(form or {}, doseq=True) if method == "POST" else None
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",  # as the TLS-terminating proxy says
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": self.last_url,
        }
        if body is not None:
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin}
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            if drop_answer:
                return None  # the answer never arrives: the resident's connection dropped
            response = connection.getresponse()
            content = response.read().decode()
        finally:
            connection.close()
        self.timings.add(time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status >= 400:
            raise Refused(f"{method} {path}: {response.status}")
        if method == "GET":
            self.last_url = self.origin + path
        return response.status, response.headers.get("Location", ""), content


def _path(location: str) -> str:
    parts = urllib.parse.urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Journey:
    number: int
    kind: str  # "single", "doubled" (two final POSTs at once) or "retried" (first answer lost)
    reference: str | None = None


def journey(port: int, timings: Timings, number: int, kind: str, think: tuple[float, float] = (0, 0)) -> Journey:
    """Complete the demo survey as a browser would; the reference shown at the end, if any. `think`: the
    resident pauses between these many seconds on each page before sending it (not timed)."""
    browser = Browser(port, timings)
    pause = random.Random(number)
    result = Journey(number, kind)
    status, location, content = browser.request("GET", f"/s/{SLUG}/questions/")
    while status == 302:
        status, location, content = browser.request("GET", _path(location))
    path = browser.last_url.removeprefix(browser.origin)
    for _ in range(30):  # pages in the survey, with room to spare; never a loop without end
        step = path.rstrip("/").rsplit("/", 1)[-1]
        token = CSRF_FIELD.search(content).group(1)
        if think[1]:
            time.sleep(pause.uniform(*think))
        if step == "check-your-answers":
            return _send(browser, path, content, token, result)
        fields = dict(WEEKLY_VISITOR_PAGES.get(step, {}))  # page 5's comment becomes the marker
        if step == "5":
            # Finds this resident's stored rows (the untimed warm-up journey is -1, left out of the counts).
            fields[MARKER_QUESTION] = f"load-resident-{number}" if number >= 0 else "load-warm-up"
        form = {f"{step}-{name}": value for name, value in fields.items()}
        form |= {"csrfmiddlewaretoken": token, "action": "continue" if step in WEEKLY_VISITOR_PAGES else "skip"}
        status, location, content = browser.request("POST", path, form)
        if status != 302:
            raise Refused(f"{path} did not move on: {status}")
        path = _path(location)
        status, location, content = browser.request("GET", path)
    raise Refused("more pages than the demo survey has")


def _send(browser: Browser, path: str, content: str, token: str, result: Journey) -> Journey:
    form = {"csrfmiddlewaretoken": token, "submission_key": SUBMISSION_KEY.search(content).group(1)}
    if result.kind == "retried":
        browser.request("POST", path, form, drop_answer=True)
        time.sleep(0.2)
    if result.kind == "doubled":
        second: list[Any] = []
        other = threading.Thread(target=lambda: second.append(_quiet(browser.request, "POST", path, form)))
        other.start()
        answer = _quiet(browser.request, "POST", path, form)
        other.join()
        answers = [a for a in (answer, *second) if isinstance(a, tuple) and a[0] == 302]
        if not answers:
            raise Refused(f"neither doubled POST was answered with a redirect: {answer}, {second}")
        location = answers[0][1]
    else:
        status, location, _ = browser.request("POST", path, form)
        if status != 302:
            raise Refused(f"sending gave {status}")
    status, _, confirmation = browser.request("GET", _path(location))
    found = REFERENCE.search(confirmation)
    result.reference = found.group(1).strip() if found else None
    return result


def _quiet(call, *args):
    try:
        return call(*args)
    except Exception as error:  # noqa: BLE001 - recorded, the other POST may still succeed
        return error


def run_residents(
    port: int, residents: int, journeys: range, max_seconds: float, think: tuple[float, float] = (0, 0)
) -> tuple[list[Journey], Timings, float]:
    timings = Timings()
    done: list[Journey] = []
    lock = threading.Lock()
    counter = iter(journeys)
    deadline = time.monotonic() + max_seconds

    def resident() -> None:
        while time.monotonic() < deadline:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            kind = "doubled" if number % 10 == 3 else "retried" if number % 10 == 7 else "single"
            try:
                finished = journey(port, timings, number, kind, think)
            except Exception as error:  # noqa: BLE001 - counted, reported at the end
                timings.error(f"resident {number}: {error!r}")
                finished = Journey(number, kind)
            with lock:
                done.append(finished)

    elapsed = _in_threads(resident, residents)
    return done, timings, elapsed


def run_minimal(port: int, clients: int, requests: int, max_seconds: float) -> tuple[int, Timings, float]:
    timings = Timings()
    lock = threading.Lock()
    counter = iter(range(requests))
    written = [0]
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        browser = Browser(port, Timings())  # the token fetch is not timed
        token = browser.request("GET", "/bench/one-row/")[2]
        browser.timings = timings
        while time.monotonic() < deadline:
            with lock:
                if next(counter, None) is None:
                    return
            try:
                browser.request("POST", "/bench/one-row/", {"csrfmiddlewaretoken": token})
            except Exception as error:  # noqa: BLE001
                timings.error(repr(error))
                continue
            with lock:
                written[0] += 1

    elapsed = _in_threads(client, clients)
    return written[0], timings, elapsed


def _in_threads(target, count: int) -> float:
    threads = [threading.Thread(target=target) for _ in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def _environment(database_url: str, port: int) -> dict[str, str]:
    unset = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    return env | {
        "DJANGO_SETTINGS_MODULE": "benchmarks.load_settings",
        "SERVE_SETTINGS_MODULE": "benchmarks.load_settings",
        "SECRET_KEY": "load-benchmark-only-" + "x" * 40,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": HOST,
        "SERVE_ADDRESS": f"{HOST}:{port}",
        "EMAIL_URL": "smtp://127.0.0.1:1",  # nothing is emailed in this run
        "LOG_LEVEL": "ERROR",
        "DEMO_OFFICER_PASSWORD": "load-benchmark-password",
        # Saving for later is not exercised; keep the journey's own rate limits out of the way.
        "SAVES_PER_ADDRESS_PER_HOUR": "100000",
    }


def _database_reset(database_url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name.startswith("chorus_load"):
        sys.exit(f"Refusing to drop {name!r}: the load database's name must start with chorus_load")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def stored_counts(database_url: str, numbers: list[int]) -> dict[int, int]:
    """For each resident, how many stored responses carry its marker answer."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT a.text, count(DISTINCT a.response_id) FROM surveys_answer a "
            "JOIN surveys_question q ON q.id = a.question_id WHERE q.key = %s AND a.text LIKE 'load-resident-%%' "
            "GROUP BY a.text",
            [MARKER_QUESTION],
        ).fetchall()
    by_marker = {text: count for text, count in rows}
    return {n: by_marker.get(f"load-resident-{n}", 0) for n in numbers}


def stored_references(database_url: str) -> set[str]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT r.reference FROM surveys_response r JOIN surveys_answer a ON a.response_id = r.id "
            "WHERE a.text LIKE 'load-resident-%%'"
        ).fetchall()
    return {reference for (reference,) in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=50, help="concurrent residents (and baseline clients)")
    parser.add_argument("--journeys", type=int, default=200, help="surveys completed in all (at most 2000)")
    parser.add_argument("--minimal-requests", type=int, default=2000, help="baseline requests (at most 20000)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers [2 x cores + 1]")
    parser.add_argument("--max-seconds", type=float, default=300, help="each phase stops after this long")
    parser.add_argument(
        "--think", default="2-5", help="phase 3: seconds each resident pauses on a page, MIN-MAX (0 skips phase 3)"
    )
    parser.add_argument("--think-journeys", type=int, default=100, help="surveys completed in phase 3 (at most 1000)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chorus_load"),
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("The load benchmark runs against PostgreSQL: --database-url postgres://...")
    journeys = min(args.journeys, 2000)
    minimal_requests = min(args.minimal_requests, 20000)
    max_seconds = min(args.max_seconds, 900)
    low, _, high = args.think.partition("-")
    think = (float(low), float(high or low))
    think_journeys = min(args.think_journeys, 1000) if think[1] > 0 else 0

    env = _environment(args.database_url, args.port)
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    print(f"Database {args.database_url} (dropped and created); demo consultation loaded", flush=True)
    _database_reset(args.database_url)
    python = str(ROOT / ".venv" / "bin" / "python")
    for command in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    log = open(ROOT / "benchmarks" / "load-server.log", "w")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen(
        [str(ROOT / "bin" / "serve")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        _wait_for(args.port, server)
        workers = env.get("WEB_CONCURRENCY") or str(os.cpu_count() * 2 + 1)
        print(f"Production profile on {HOST}:{args.port}: gunicorn, {workers} workers, task worker beside it")
        journey(args.port, Timings(), -1, "single")  # warm every worker's caches once, untimed
        written, minimal, minimal_seconds = run_minimal(args.port, args.residents, minimal_requests, max_seconds)
        finished, survey, survey_seconds = run_residents(args.port, args.residents, range(journeys), max_seconds)
        # Numbered after phase 2's, so that every resident's stored rows are told apart.
        paused, thinking, thinking_seconds = run_residents(
            args.port, args.residents, range(journeys, journeys + think_journeys), max_seconds, think
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()

    saturated = finished
    finished = finished + paused
    acknowledged = {j.reference for j in finished if j.reference}
    counts = stored_counts(args.database_url, [j.number for j in finished])
    stored = stored_references(args.database_url)
    lost = [j.number for j in finished if j.reference and j.reference not in stored]
    duplicated = [n for n, c in counts.items() if c > 1]
    stored_unacknowledged = [j.number for j in finished if not j.reference and counts[j.number]]
    minimal_rps = len(minimal.latencies) / minimal_seconds
    survey_rps = len(survey.latencies) / survey_seconds
    ratio = survey_rps / minimal_rps

    print(f"\n{'':46}{'requests/s':>12}{'p50 ms':>9}{'p95 ms':>9}{'requests':>10}{'errors':>8}")
    rows = [
        ("1. minimal view (writes one row), no pause", minimal, minimal_rps),
        ("2. survey pages, no pause", survey, survey_rps),
    ]
    if think_journeys:
        rows.append(
            (f"3. survey pages, {args.think} s on each page", thinking, len(thinking.latencies) / thinking_seconds)
        )
    for name, timings, rps in rows:
        p50, p95 = percentile(timings.latencies, 0.5) * 1000, percentile(timings.latencies, 0.95) * 1000
        print(f"{name:46}{rps:12.1f}{p50:9.0f}{p95:9.0f}{len(timings.latencies):10}{len(timings.errors):8}")
    sent = {j.reference for j in saturated if j.reference}
    print(
        f"\nCompleted responses per second, no pause: survey {len(sent) / survey_seconds:.2f} "
        f"(journeys of {len(survey.latencies) / max(len(saturated), 1):.1f} requests); "
        f"minimal view rows {written / minimal_seconds:.1f}"
    )
    print(
        f"Ratio, survey page requests/s to minimal view requests/s (phases 1 and 2): {ratio:.2f} (target at least 0.50)"
    )
    kinds = {kind: sum(1 for j in finished if j.kind == kind) for kind in ("single", "doubled", "retried")}
    print(
        f"\nResidents: {len(finished)} ({kinds['doubled']} doubled their final POST, {kinds['retried']} lost its "
        f"answer and sent it again), {args.residents} at once"
    )
    print(f"Responses acknowledged to residents: {len(acknowledged)}")
    print(f"Responses stored for them:           {sum(counts.values())} ({len(stored)} distinct references)")
    print(f"Lost (acknowledged, not stored):     {len(lost)}")
    print(f"Duplicated (stored more than once):  {len(duplicated)}")
    print(f"Stored but not acknowledged:         {len(stored_unacknowledged)}")
    for error in (survey.errors + thinking.errors + minimal.errors)[:10]:
        print("  error:", error)
    p95 = percentile(survey.latencies, 0.95)
    targets = [
        ("zero lost and zero duplicated (phases 2 and 3)", not lost and not duplicated),
        ("survey page requests/s at least half the minimal view's (phases 1 and 2, no pause)", ratio >= 0.5),
        (
            f"p95 under 500 ms per page, {args.residents} residents with no pause (phase 2): {p95 * 1000:.0f} ms",
            p95 < 0.5,
        ),
    ]
    if think_journeys:
        p95_thinking = percentile(thinking.latencies, 0.95)
        targets.append(
            (
                f"p95 under 500 ms per page, {args.residents} residents taking {args.think} s on each page "
                f"(phase 3): {p95_thinking * 1000:.0f} ms",
                p95_thinking < 0.5,
            )
        )
    targets.append(("no resident's request refused or failed", not survey.errors and not thinking.errors))
    print()
    for name, met in targets:
        print(f"{'met    ' if met else 'NOT met'}  {name}")
    ok = all(met for _, met in targets)
    print("\nTargets met." if ok else "\nTargets NOT met.")
    return 0 if ok else 1


def _wait_for(port: int, server: subprocess.Popen) -> None:
    # bin/serve checks, migrates and collects static files first: minutes on a busy machine.
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bin/serve stopped: see {ROOT / 'benchmarks' / 'load-server.log'}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/", headers={"X-Forwarded-Proto": "https", "Host": HOST})
            if connection.getresponse().status == 200:
                connection.close()
                return
            connection.close()
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("bin/serve did not answer within 10 minutes")


if __name__ == "__main__":
    sys.exit(main())
