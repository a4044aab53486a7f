"""Shared helpers for the drift reference suites.

cairn's answers come from the compiled engine (dist/monitoring/drift) through engine.mjs, which
takes a batch of cases as JSON, or from the `cairn drift` command itself. The references are
scipy and Evidently, imported here from the venv.
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = Path(__file__).with_name("engine.mjs")
CAIRN = ROOT / "bin" / "cairn"


@pytest.fixture(scope="session", autouse=True)
def built_engine() -> None:
    """The suites read dist/; build it when a bare `pytest tests/reference` runs before any build."""
    if not (ROOT / "dist" / "monitoring" / "drift" / "index.js").exists():
        subprocess.run(["npx", "tsc", "-p", str(ROOT)], cwd=ROOT, check=False)


def _decode(value):
    if value == "Infinity":
        return math.inf
    if value == "-Infinity":
        return -math.inf
    if value == "NaN":
        return math.nan
    return value


def _encode(value):
    """JSON without bare Infinity/NaN tokens: non-finite floats travel as strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def run_engine(cases: list[dict]) -> list[dict]:
    """Answers of cairn's engine for a batch of cases (see engine.mjs for the case shapes)."""
    proc = subprocess.run(
        ["node", str(ENGINE)], input=json.dumps(_encode(cases)), capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout, object_hook=lambda d: {k: _decode(v) for k, v in d.items()})


def run_cairn_drift(*args: str) -> subprocess.CompletedProcess:
    """`cairn drift ...` as a user runs it."""
    return subprocess.run(["node", str(CAIRN), "drift", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def cairn_drift_json(*args: str) -> dict:
    proc = run_cairn_drift(*args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout, object_hook=lambda d: {k: _decode(v) for k, v in d.items()})


def assert_close(actual, expected, rel: float = 1e-9, abs_: float = 0.0, what: str = "") -> None:
    """|actual − expected| ≤ max(rel·|expected|, abs_), with inf/NaN required to match exactly."""
    actual = float(actual)
    expected = float(expected)
    if math.isnan(expected) or math.isinf(expected):
        assert (math.isnan(actual) and math.isnan(expected)) or actual == expected, f"{what}: {actual} != {expected}"
        return
    assert abs(actual - expected) <= max(rel * abs(expected), abs_), (
        f"{what}: cairn {actual!r} vs reference {expected!r} (rel {abs(actual - expected) / max(abs(expected), 1e-300):.2e})"
    )
