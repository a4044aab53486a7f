"""cairn's drift verdicts against Evidently 0.7 (PyPI): the same default test per column, the same
score to 1e-9 relative, the same drift verdict per column, and the same dataset verdict.

Evidently's per-column path (`get_one_column_drift`) drops NaN and ±inf, picks a test with
`get_stattest` and calls it; `evidently_column` below does exactly that. The last tests run the
full `DataDriftPreset` report on files that `cairn drift` reads too.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from evidently import DataDefinition, Dataset, Report
from evidently.core.datasets import infer_column_type
from evidently.legacy.calculations.stattests.registry import get_registered_stattest, get_stattest
from evidently.legacy.core import ColumnType
from evidently.presets import DataDriftPreset
from sklearn import datasets

from conftest import assert_close, cairn_drift_json, run_engine

RNG = np.random.default_rng(7)
TYPES = {"num": ColumnType.Numerical, "cat": ColumnType.Categorical}


def evidently_column(ref: pd.Series, cur: pd.Series, kind: str, test: str | None = None):
    """Evidently's answer for one column: (test name, score, drifted)."""
    ref = ref.replace([-np.inf, np.inf], np.nan).dropna()
    cur = cur.replace([-np.inf, np.inf], np.nan).dropna()
    stattest = get_stattest(ref, cur, TYPES[kind], None) if test is None else get_registered_stattest(test, TYPES[kind])
    result = stattest(ref, cur, TYPES[kind], None)
    return stattest.name, float(result.drift_score), bool(result.drifted)


def as_json_values(series: pd.Series) -> list:
    return [None if (isinstance(v, float) and math.isnan(v)) else (v.item() if hasattr(v, "item") else v) for v in series]


def column_case(ref: pd.Series, cur: pd.Series, kind: str, test: str | None = None) -> dict:
    integer = bool(pd.api.types.is_integer_dtype(ref) and pd.api.types.is_integer_dtype(cur))
    values = lambda s: as_json_values(s.astype(str) if kind == "cat" and not pd.api.types.is_numeric_dtype(s) else s)  # noqa: E731
    return {"op": "column", "reference": values(ref), "current": values(cur), "type": kind, "test": test, "integer": integer}


def generated_columns():
    """(label, reference, current, kind): every branch of Evidently's default rule plus edge cases."""
    n = RNG.normal
    cols = [
        ("small num >5 values (ks)", pd.Series(n(size=800)), pd.Series(n(0.2, size=700)), "num"),
        ("small num 4 values (chisquare)", pd.Series(RNG.integers(0, 4, 900)).astype(float), pd.Series(RNG.integers(0, 4, 500)).astype(float), "num"),
        ("small num binary (z)", pd.Series(RNG.integers(0, 2, 600)).astype(float), pd.Series((RNG.random(650) < 0.6).astype(float)), "num"),
        ("small cat (chisquare)", pd.Series(RNG.choice(list("abcd"), 1000)), pd.Series(RNG.choice(list("abcd"), 300, p=[0.4, 0.2, 0.2, 0.2])), "cat"),
        ("small cat binary (z)", pd.Series(RNG.choice(["yes", "no"], 400)), pd.Series(RNG.choice(["yes", "no"], 420)), "cat"),
        ("large num (wasserstein)", pd.Series(n(size=5000)), pd.Series(n(0.05, 1.1, size=4000)), "num"),
        ("large num 5 values (jensenshannon)", pd.Series(RNG.integers(0, 5, 3000)), pd.Series(RNG.integers(0, 5, 3000)), "num"),
        ("large cat (jensenshannon)", pd.Series(RNG.choice(list("abcdefg"), 4000)), pd.Series(RNG.choice(list("abcdefgh"), 2000)), "cat"),
        ("missing values and inf", pd.Series(np.where(RNG.random(1500) < 0.1, np.nan, n(size=1500))), pd.Series(np.where(RNG.random(900) < 0.05, np.inf, n(0.3, size=900))), "num"),
        ("constant column", pd.Series(np.full(1200, 2.5)), pd.Series(np.full(800, 2.5)), "num"),
        ("constant small column", pd.Series(np.full(200, 1.0)), pd.Series(np.full(100, 1.0)), "num"),
        ("new category only in current", pd.Series(RNG.choice(list("abc"), 500)), pd.Series(RNG.choice(list("abcz"), 500)), "cat"),
        ("exactly 1000 reference rows", pd.Series(n(size=1000)), pd.Series(n(size=50)), "num"),
        ("1001 reference rows", pd.Series(n(size=1001)), pd.Series(n(size=50)), "num"),
        ("integers with more than 20 values", pd.Series(RNG.integers(0, 30, 5000)), pd.Series(RNG.integers(2, 32, 5000)), "num"),
    ]
    return cols


def test_default_test_score_and_verdict_match_evidently():
    cols = generated_columns()
    answers = run_engine([column_case(r, c, kind) for _, r, c, kind in cols])
    for (label, ref, cur, kind), got in zip(cols, answers):
        name, score, drifted = evidently_column(ref, cur, kind)
        assert got.get("test") == name, f"{label}: cairn chose {got.get('test')}, Evidently {name}"
        # Evidently's z-test p is 2·(1 − Φ(|z|)), exact to ~1e-16 absolute only; cairn uses the tail directly.
        assert_close(got["score"], score, abs_=1e-15 if name == "z" else 0.0, what=label)
        assert got["drift"] == drifted, f"{label}: cairn drift={got['drift']}, Evidently {drifted} (score {score})"


@pytest.mark.parametrize("test", ["psi", "kl_div", "jensenshannon", "hellinger", "wasserstein", "ks", "chisquare", "anderson", "cramer_von_mises"])
def test_each_test_matches_evidently_when_chosen(test):
    n = RNG.normal
    cols = [
        (pd.Series(n(size=3000)), pd.Series(n(0.1, 1.05, size=2000)), "num"),  # > 20 values: Sturges bins
        (pd.Series(np.round(n(size=800), 1)), pd.Series(np.round(n(0.3, size=900), 1)), "num"),
        (pd.Series(RNG.integers(0, 12, 2000)), pd.Series(RNG.integers(0, 15, 2000)), "num"),  # <= 20 values: one bin each
        (pd.Series(RNG.integers(0, 400, 3000)), pd.Series(RNG.integers(0, 400, 1000)), "num"),  # integer dtype edges
        (pd.Series(RNG.choice(list("abcde"), 2500)), pd.Series(RNG.choice(list("abcdef"), 1500)), "cat"),
    ]
    if test in ("wasserstein", "ks", "anderson", "cramer_von_mises"):
        cols = [c for c in cols if c[2] == "num"]
    if test == "chisquare":
        cols = [c for c in cols if c[2] == "cat" or c[0].nunique() < 50]
    answers = run_engine([column_case(r, c, kind, test) for r, c, kind in cols])
    for i, ((ref, cur, kind), got) in enumerate(zip(cols, answers)):
        stattest = test if not (test == "chisquare" and kind == "num") else None
        if stattest is None:
            # Evidently registers chisquare for categorical columns only; score it through that type.
            name, score, drifted = evidently_column(ref.astype(str), cur.astype(str), "cat", "chisquare")
        else:
            name, score, drifted = evidently_column(ref, cur, kind, test)
        # Cramér–von Mises: 1 − (a series summing to ~1) loses ~1e-16 absolute on both sides.
        assert_close(got["score"], score, abs_=1e-13 if test == "cramer_von_mises" else 1e-300, what=f"{test} case {i}")
        assert got["drift"] == drifted, f"{test} case {i}"


def test_column_typing_follows_evidently(tmp_path):
    frame = pd.DataFrame({
        "float": RNG.normal(size=400),
        "int_many": RNG.integers(0, 100, 400),
        "int_few": RNG.integers(0, 10, 400),
        "word": RNG.choice(["red", "green", "blue"], 400),
        "free_text": [f"note {i}" for i in range(400)],
        "flag": RNG.random(400) < 0.5,
    })
    frame.to_csv(tmp_path / "ref.csv", index=False)
    frame.to_csv(tmp_path / "cur.csv", index=False)
    read_back = pd.read_csv(tmp_path / "ref.csv")
    result = cairn_drift_json("--reference", str(tmp_path / "ref.csv"), "--current", str(tmp_path / "cur.csv"))
    expected = {
        ColumnType.Numerical: "num", ColumnType.Categorical: "cat", ColumnType.Text: "text",
    }
    assert [c["column"] for c in result["columns"]] == list(frame.columns)
    for column in result["columns"]:
        assert column["type"] == expected[infer_column_type(read_back[column["column"]])], column["column"]


def evidently_report(ref: pd.DataFrame, cur: pd.DataFrame, types: dict[str, str]):
    definition = DataDefinition(
        numerical_columns=[c for c, t in types.items() if t == "num"],
        categorical_columns=[c for c, t in types.items() if t == "cat"],
    )
    snapshot = Report([DataDriftPreset()]).run(Dataset.from_pandas(cur, data_definition=definition), Dataset.from_pandas(ref, data_definition=definition))
    values, count = {}, None
    for metric in snapshot.dict()["metrics"]:
        if metric["metric_name"].startswith("ValueDrift("):
            column = metric["metric_name"].split("column=")[1].split(",")[0]
            values[column] = float(metric["value"])
        elif metric["metric_name"].startswith("DriftedColumnsCount"):
            count = metric["value"]
    return values, count


def real_and_mixed_frames():
    cancer = datasets.load_breast_cancer(as_frame=True).frame
    cancer = cancer.sort_values("target", kind="mergesort")[["mean radius", "mean texture", "mean smoothness", "worst area", "target"]]
    wine = datasets.load_wine(as_frame=True).frame.sample(frac=1.0, random_state=3)[["alcohol", "malic_acid", "magnesium", "proline", "target"]]
    size = 3000
    mixed = pd.DataFrame({
        "amount": np.round(RNG.lognormal(3, 1, 2 * size), 2),
        "score": RNG.normal(size=2 * size),
        "age": RNG.integers(18, 90, 2 * size),
        "tier": RNG.integers(0, 4, 2 * size),
        "region": RNG.choice(["north", "south", "east", "west"], 2 * size),
        "active": RNG.random(2 * size) < 0.3,
    })
    mixed.loc[size:, "score"] += 0.3
    mixed.loc[RNG.random(2 * size) < 0.02, "amount"] = np.nan
    return [("breast_cancer", cancer), ("wine", wine), ("mixed", mixed)]


@pytest.mark.parametrize("name,frame", real_and_mixed_frames(), ids=lambda v: v if isinstance(v, str) else "")
def test_data_drift_preset_matches_cairn_drift(tmp_path, name, frame):
    half = len(frame) // 2
    frame.iloc[:half].to_csv(tmp_path / "ref.csv", index=False)
    frame.iloc[half:].to_csv(tmp_path / "cur.csv", index=False)
    result = cairn_drift_json("--reference", str(tmp_path / "ref.csv"), "--current", str(tmp_path / "cur.csv"))
    types = {c["column"]: c["type"] for c in result["columns"]}
    values, count = evidently_report(pd.read_csv(tmp_path / "ref.csv"), pd.read_csv(tmp_path / "cur.csv"), types)
    ref, cur = pd.read_csv(tmp_path / "ref.csv"), pd.read_csv(tmp_path / "cur.csv")
    for column in result["columns"]:
        assert column["status"] == "tested", column
        tol = 1e-15 if column["test"] == "z" else 0.0
        assert_close(column["score"], values[column["column"]], abs_=tol, what=f"{name}.{column['column']} ({column['test']})")
        _, _, drifted = evidently_column(ref[column["column"]], cur[column["column"]], column["type"])
        assert column["drift"] == drifted, f"{name}.{column['column']}"
    dataset = result["dataset"]
    assert dataset["number_of_drifted_columns"] == count["count"]
    assert_close(dataset["share_of_drifted_columns"], count["share"], what="share of drifted columns")
    assert dataset["dataset_drift"] == (count["share"] >= 0.5)
