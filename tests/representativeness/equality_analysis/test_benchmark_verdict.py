"""benchmarks/equality_analysis.py's 1M verdict: on the wall clock and on processor time, each named, with the
load average. It judged the clock alone, so the same database (about 2.4 s of processor time) was "met" at a
load of 3 and "NOT met" at 5."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _benchmark():
    spec = importlib.util.spec_from_file_location("equality_benchmark", ROOT / "benchmarks" / "equality_analysis.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(seconds: float, load: float) -> dict:
    return {"responses": 1_000_000, "seconds": seconds, "python_cpu": 1.9, "database_cpu": 0.5, "load": load}


def test_a_busy_machine_misses_on_the_clock_but_the_processor_time_is_judged_too():
    verdict = _benchmark().verdict
    quiet, busy = verdict(_row(2.6, 3.0), cores=2), verdict(_row(3.4, 5.0), cores=2)
    assert quiet[0] == "Target 1M responses on PostgreSQL under 3 s (load average 3.0 on 2 cores while measuring):"
    assert busy[0].endswith("(load average 5.0 on 2 cores while measuring):")
    assert quiet[1].startswith("  wall clock: 2.600 s, met ") and busy[1].startswith("  wall clock: 3.400 s, NOT met ")
    processor = "  processor time: 2.400 s (Python 1.900 s + PostgreSQL 0.500 s), met "
    assert quiet[2].startswith(processor) and busy[2].startswith(processor)


def test_without_postgresqls_processor_time_it_is_not_judged_on_it():
    lines = _benchmark().verdict({**_row(2.6, 1.0), "database_cpu": None}, cores=2)
    assert "not judged" in lines[2] and "met" not in lines[2]
