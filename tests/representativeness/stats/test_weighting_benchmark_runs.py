"""benchmarks/weighting.py's documented default form runs without the optional bench extra (it stopped with
"ModuleNotFoundError: No module named 'balance'"): ours is timed and the peers left out are named."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(importlib.util.find_spec("balance") is not None, reason="the bench extra is installed")
def test_the_weighting_benchmark_runs_without_the_bench_extra():
    run = subprocess.run(
        [sys.executable, "benchmarks/weighting.py", "--sizes", "2000", "--repeats", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "Not compared with balance and weightipy: not installed." in run.stdout
    assert "ours (rake)" in run.stdout
