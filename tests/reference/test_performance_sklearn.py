"""cairn's performance metrics against scikit-learn, to 1e-12 relative.

cairn's answers come from the compiled engine (dist/monitoring/performance), called once per batch
through a small Node script (the same pattern as engine.mjs); scikit-learn is the venv's.
Generated data covers binary, multiclass and regression cases with ties, zero targets and
constant columns; scikit-learn's bundled breast-cancer, wine and diabetes datasets give real
model outputs.
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
from sklearn import metrics
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from conftest import ROOT

TOL = 1e-12

ENGINE = """
import { readFileSync } from 'node:fs';
const perf = await import(process.argv[1]);
const cases = JSON.parse(readFileSync(0, 'utf8'));
const out = cases.map((c) => {
  if (c.task === 'regression') return perf.regressionMetrics(Float64Array.from(c.actual), Float64Array.from(c.predicted));
  const input = { actual: c.actual, predicted: c.predicted };
  if (c.positive_scores) input.positiveScores = Float64Array.from(c.positive_scores);
  if (c.class_scores) input.classScores = { classes: c.classes, rows: c.class_scores.map((r) => Float64Array.from(r)) };
  if (c.average) input.average = c.average;
  if (c.positive_label !== undefined) input.positiveLabel = c.positive_label;
  return perf.classificationMetrics(input);
});
process.stdout.write(JSON.stringify(out));
"""


def run_cairn(cases: list[dict]) -> list[dict]:
    module = ROOT / "dist" / "monitoring" / "performance" / "index.js"
    proc = subprocess.run(
        ["node", "--input-type=module", "-e", ENGINE, module.as_uri()],
        input=json.dumps(cases), capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def close(actual, expected, what: str) -> None:
    assert actual is not None, what
    assert abs(actual - expected) <= TOL * max(1.0, abs(expected)), f"{what}: cairn {actual!r} vs sklearn {expected!r}"


def binary_case(rng: np.random.Generator, n: int, ties: bool) -> dict:
    y = rng.integers(0, 2, n)
    p = np.clip(y * 0.3 + rng.random(n) * 0.7, 0, 1)
    if ties:
        p = np.round(p, 1)
    p[0], p[1] = 0.0, 1.0  # exercise log_loss clipping at both ends
    pred = (p >= 0.5).astype(int)
    return {"task": "classification", "actual": y.tolist(), "predicted": pred.tolist(), "positive_scores": p.tolist()}


def check_binary(case: dict, got: dict) -> None:
    y, pred, p = np.array(case["actual"]), np.array(case["predicted"]), np.array(case["positive_scores"])
    close(got["accuracy"], metrics.accuracy_score(y, pred), "accuracy")
    close(got["precision"], metrics.precision_score(y, pred, zero_division=0), "precision")
    close(got["recall"], metrics.recall_score(y, pred, zero_division=0), "recall")
    close(got["f1"], metrics.f1_score(y, pred, zero_division=0), "f1")
    if len(set(y.tolist())) == 2:
        close(got["rocAuc"], metrics.roc_auc_score(y, p), "roc_auc")
    else:
        assert got["rocAuc"] is None  # scikit-learn warns and answers NaN: undefined with one class
    close(got["logLoss"], metrics.log_loss(y, p, labels=[0, 1]), "log_loss")
    assert got["confusionMatrix"] == metrics.confusion_matrix(y, pred).tolist()


@pytest.mark.parametrize("seed,n,ties", [(1, 50, False), (2, 1000, True), (3, 20000, False), (4, 7, True)])
def test_binary_generated(seed: int, n: int, ties: bool) -> None:
    case = binary_case(np.random.default_rng(seed), n, ties)
    check_binary(case, run_cairn([case])[0])


@pytest.mark.parametrize("average", ["macro", "weighted", "micro"])
def test_multiclass_generated(average: str) -> None:
    rng = np.random.default_rng(7)
    n, k = 3000, 4
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k)) + np.eye(k)[y] * 1.5
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    pred = proba.argmax(axis=1)
    labels = [f"c{i}" for i in range(k)]
    case = {
        "task": "classification", "average": average, "classes": labels,
        "actual": [labels[i] for i in y], "predicted": [labels[i] for i in pred], "class_scores": proba.tolist(),
    }
    got = run_cairn([case])[0]
    ys, ps = np.array(case["actual"]), np.array(case["predicted"])
    close(got["accuracy"], metrics.accuracy_score(ys, ps), "accuracy")
    close(got["precision"], metrics.precision_score(ys, ps, average=average, zero_division=0), "precision")
    close(got["recall"], metrics.recall_score(ys, ps, average=average, zero_division=0), "recall")
    close(got["f1"], metrics.f1_score(ys, ps, average=average, zero_division=0), "f1")
    close(got["rocAuc"], metrics.roc_auc_score(ys, proba, multi_class="ovr", average="macro", labels=labels), "roc_auc")
    close(got["logLoss"], metrics.log_loss(ys, proba, labels=labels), "log_loss")
    assert got["confusionMatrix"] == metrics.confusion_matrix(ys, ps, labels=labels).tolist()


def test_zero_division_and_absent_positive_class() -> None:
    case = {"task": "classification", "actual": [0, 0, 0, 1], "predicted": [0, 0, 0, 0]}
    got = run_cairn([case])[0]
    assert got["precision"] == metrics.precision_score(case["actual"], case["predicted"], zero_division=0) == 0
    close(got["f1"], metrics.f1_score(case["actual"], case["predicted"], zero_division=0), "f1")


def regression_check(y: np.ndarray, p: np.ndarray, got: dict) -> None:
    close(got["mae"], metrics.mean_absolute_error(y, p), "mae")
    close(got["rmse"], metrics.root_mean_squared_error(y, p), "rmse")
    close(got["mape"], metrics.mean_absolute_percentage_error(y, p), "mape")
    close(got["r2"], metrics.r2_score(y, p), "r2")


def test_regression_generated() -> None:
    rng = np.random.default_rng(11)
    cases = []
    y1 = rng.normal(100, 20, 5000)
    cases.append((y1, y1 + rng.normal(0, 5, 5000)))
    y2 = rng.normal(0, 1, 300)
    y2[:10] = 0.0  # zero targets: MAPE divides by eps
    cases.append((y2, y2 * 0.9 + 0.05))
    cases.append((np.full(20, 3.0), np.full(20, 3.0)))  # constant and perfect: R² 1
    cases.append((np.full(20, 3.0), np.linspace(2, 4, 20)))  # constant target: R² 0
    answers = run_cairn([{"task": "regression", "actual": y.tolist(), "predicted": p.tolist()} for y, p in cases])
    for (y, p), got in zip(cases, answers):
        regression_check(y, p, got)


def test_breast_cancer_logistic_regression() -> None:
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_train, y_train)
    p = model.predict_proba(X_test)[:, 1]
    case = {"task": "classification", "actual": y_test.tolist(), "predicted": model.predict(X_test).tolist(), "positive_scores": p.tolist()}
    check_binary(case, run_cairn([case])[0])


def test_wine_multiclass() -> None:
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=1, stratify=y)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, C=0.05)).fit(X_train, y_train)
    proba = model.predict_proba(X_test)
    case = {
        "task": "classification", "average": "weighted", "classes": [0, 1, 2],
        "actual": y_test.tolist(), "predicted": model.predict(X_test).tolist(), "class_scores": proba.tolist(),
    }
    got = run_cairn([case])[0]
    close(got["f1"], metrics.f1_score(y_test, model.predict(X_test), average="weighted"), "f1")
    close(got["rocAuc"], metrics.roc_auc_score(y_test, proba, multi_class="ovr"), "roc_auc")
    close(got["logLoss"], metrics.log_loss(y_test, proba), "log_loss")


def test_diabetes_regression() -> None:
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=2)
    p = LinearRegression().fit(X_train, y_train).predict(X_test)
    regression_check(y_test, p, run_cairn([{"task": "regression", "actual": y_test.tolist(), "predicted": p.tolist()}])[0])
