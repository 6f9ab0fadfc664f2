"""make audit's verdict (bin/audit) on what pip-audit reports: a known vulnerability fails it, a dependency
it could not check is counted as not checked (never as safe) and fails it only when asked to be strict."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_audit(tmp_path, dependencies, **env):
    """bin/audit with a pip-audit that reports `dependencies` as pip-audit's JSON does."""
    fake = tmp_path / "pip-audit"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "out = sys.argv[sys.argv.index('--output') + 1]\n"
        f"open(out, 'w').write({json.dumps(json.dumps({'dependencies': dependencies, 'fixes': []}))})\n"
    )
    fake.chmod(0o755)
    return subprocess.run(
        [sys.executable, str(ROOT / "bin" / "audit")],
        env={**os.environ, "PIP_AUDIT": str(fake), **env},
        capture_output=True,
        text=True,
    )


SAFE = {"name": "django", "version": "6.1", "vulns": []}
UNCHECKED = {"name": "anyio", "skip_reason": "Dependency not found on PyPI and could not be audited: anyio (4.16.0)"}
VULNERABLE = {
    "name": "requests",
    "version": "2.0.0",
    "vulns": [{"id": "PYSEC-2023-74", "fix_versions": ["2.31.0"], "aliases": [], "description": ""}],
}


def test_a_known_vulnerability_fails_the_audit_naming_it(tmp_path):
    run = run_audit(tmp_path, [SAFE, VULNERABLE])
    assert run.returncode == 1
    assert "VULNERABLE requests 2.0.0: PYSEC-2023-74 (fixed in 2.31.0)" in run.stdout


def test_dependencies_it_could_not_check_are_never_reported_as_safe(tmp_path):
    run = run_audit(tmp_path, [SAFE, UNCHECKED])
    assert run.returncode == 0
    # Both runs (the lock file and what is installed) report the same two.
    assert "2 dependencies checked, 0 known vulnerabilities, 2 not checked" in run.stdout
    assert "AUDIT INCOMPLETE: 2 dependencies could not be checked" in run.stderr
    assert "anyio (4.16.0)" in run.stderr


@pytest.mark.parametrize("strict", ["true", "1"])
def test_strict_fails_when_anything_went_unchecked(tmp_path, strict):
    assert run_audit(tmp_path, [SAFE, UNCHECKED], AUDIT_STRICT=strict).returncode == 1
    assert run_audit(tmp_path, [SAFE], AUDIT_STRICT=strict).returncode == 0
