"""`cairn drift` as a user runs it: the documented JSON shape, the HTML report, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd

from conftest import cairn_drift_json, run_cairn_drift

RNG = np.random.default_rng(11)


def write_windows(tmp_path, rows=300):
    ref = pd.DataFrame({"x": RNG.normal(size=rows), "k": RNG.choice(["a", "b", "c"], rows), "n": RNG.integers(0, 50, rows)})
    cur = pd.DataFrame({"x": RNG.normal(0.5, size=rows), "k": RNG.choice(["a", "b", "c"], rows), "n": RNG.integers(0, 50, rows)})
    ref.to_csv(tmp_path / "ref.csv", index=False)
    cur.to_parquet(tmp_path / "cur.parquet", index=False)
    return str(tmp_path / "ref.csv"), str(tmp_path / "cur.parquet")


def test_json_shape_is_the_documented_one(tmp_path):
    ref, cur = write_windows(tmp_path)
    result = cairn_drift_json("--reference", ref, "--current", cur, "--test", "n=psi", "--threshold", "x=0.01")
    assert set(result) == {"reference", "current", "columns", "dataset"}
    assert result["reference"] == {"path": ref, "rows": 300}
    column_keys = {"column", "type", "status", "test", "test_name", "statistic", "p_value", "score", "threshold",
                   "drift", "unique_values", "reference", "current"}
    by_name = {c["column"]: c for c in result["columns"]}
    for c in result["columns"]:
        assert column_keys <= set(c), c
    assert by_name["x"]["test"] == "ks" and by_name["x"]["method"] == "exact" and by_name["x"]["threshold"] == 0.01
    assert by_name["x"]["drift"] is True
    assert by_name["n"]["test"] == "psi" and by_name["n"]["p_value"] is None
    assert by_name["k"]["test"] == "chisquare"
    assert set(result["dataset"]) == {"number_of_columns", "number_of_tested_columns", "number_of_drifted_columns",
                                      "share_of_drifted_columns", "drift_share", "dataset_drift"}


def test_table_and_html_report(tmp_path):
    ref, cur = write_windows(tmp_path)
    table = run_cairn_drift("--reference", ref, "--current", cur)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == ["column", "type", "test", "statistic", "p-value", "threshold", "drift"]
    assert "dataset:" in table.stdout
    out = tmp_path / "report.html"
    html = run_cairn_drift("--reference", ref, "--current", cur, "--format", "html", "--output", str(out))
    assert html.returncode == 0, html.stderr
    page = out.read_text()
    assert page.count("<svg") == 3  # one histogram overlay per column
    assert "<script" not in page and "http://" not in page and "https://" not in page


def test_empty_window_gives_not_enough_data(tmp_path):
    ref, _ = write_windows(tmp_path)
    (tmp_path / "empty.csv").write_text("x,k,n\n")
    result = cairn_drift_json("--reference", ref, "--current", str(tmp_path / "empty.csv"))
    assert [c["status"] for c in result["columns"]] == ["not_enough_data"] * 3
    assert result["dataset"]["dataset_drift"] is False


def test_bad_input_gives_clear_errors(tmp_path):
    ref, cur = write_windows(tmp_path)
    (tmp_path / "other.csv").write_text("x,z\n1,2\n")
    (tmp_path / "broken.parquet").write_text("not parquet")
    cases = [
        (["--reference", ref, "--current", str(tmp_path / "other.csv")], 2, "different columns"),
        (["--reference", ref, "--current", cur, "--test", "nope=ks"], 2, "unknown column"),
        (["--reference", ref, "--current", cur, "--column-type", "nope=num"], 2, "unknown column"),
        (["--reference", ref, "--current", cur, "--test", "x=magic"], 2, "unknown test"),
        (["--reference", ref, "--current", cur, "--test", "k=ks"], 2, "applies to numerical columns"),
        (["--reference", ref, "--current", cur, "--column-type", "k=num"], 2, "non-numeric"),
        (["--reference", str(tmp_path / "broken.parquet"), "--current", cur], 2, "cannot read reference file"),
        (["--reference", str(tmp_path / "missing.csv"), "--current", cur], 4, "does not exist"),
        (["--reference", ref, "--current", cur, "--drift-share", "2"], 2, "--drift-share"),
    ]
    for args, code, message in cases:
        proc = run_cairn_drift(*args)
        assert proc.returncode == code, (args, proc.returncode, proc.stderr)
        assert message in proc.stderr, (args, proc.stderr)
        assert proc.stderr.startswith("cairn: ") and proc.stderr.count("\n") == 1, proc.stderr  # one line, no stack
