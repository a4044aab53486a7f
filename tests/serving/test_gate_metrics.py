"""cairn gate's metrics (src/serving/gate/metrics.ts) against scikit-learn on random data:
f1 (binary and macro), roc_auc (binary and one-vs-rest macro, with ties), accuracy, rmse, mae."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, mean_squared_error, roc_auc_score

from conftest import REPO

SCRIPT = """
import { accuracy, f1, mae, rmse, rocAuc } from %s;
let text = '';
for await (const chunk of process.stdin) text += chunk;
const cases = JSON.parse(text);
const out = cases.map((c) => {
  switch (c.metric) {
    case 'f1': return f1(c.truth, c.predicted);
    case 'accuracy': return accuracy(c.truth, c.predicted);
    case 'roc_auc': return rocAuc(c.truth, c.scores, c.classes);
    case 'rmse': return rmse(c.truth, c.predicted);
    case 'mae': return mae(c.truth, c.predicted);
  }
});
process.stdout.write(JSON.stringify(out));
"""


def cairn_metrics(cases: list[dict]) -> list[float]:
    module = json.dumps(str(REPO / "dist" / "serving" / "gate" / "metrics.js"))
    result = subprocess.run(["node", "--input-type=module", "-e", SCRIPT % module], input=json.dumps(cases), capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


def test_metrics_match_scikit_learn():
    rng = np.random.default_rng(7)
    cases, expected = [], []
    for trial in range(20):
        n = int(rng.integers(5, 300))
        # Binary labels, with predictions from a noisy score; scores rounded so ties happen.
        truth = rng.integers(0, 2, n)
        score = np.round(truth * 0.6 + rng.normal(0, 0.5, n), 1)
        if len(set(truth)) < 2:
            truth[0], truth[1] = 0, 1
        predicted = (score > 0.3).astype(int)
        probs = 1 / (1 + np.exp(-score))
        cases.append({"metric": "f1", "truth": truth.tolist(), "predicted": predicted.tolist()})
        expected.append(f1_score(truth, predicted, zero_division=0))
        cases.append({"metric": "accuracy", "truth": truth.tolist(), "predicted": predicted.tolist()})
        expected.append(accuracy_score(truth, predicted))
        cases.append({"metric": "roc_auc", "truth": truth.tolist(), "scores": np.column_stack([1 - probs, probs]).tolist(), "classes": [0, 1]})
        expected.append(roc_auc_score(truth, probs))
        # Three classes: macro F1 and one-vs-rest macro AUC over softmax scores.
        k = 3
        truth3 = rng.integers(0, k, n)
        truth3[:k] = np.arange(k)
        logits = np.round(np.eye(k)[truth3] * 1.2 + rng.normal(0, 1, (n, k)), 1)
        proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        pred3 = proba.argmax(axis=1)
        cases.append({"metric": "f1", "truth": truth3.tolist(), "predicted": pred3.tolist()})
        expected.append(f1_score(truth3, pred3, average="macro", zero_division=0))
        cases.append({"metric": "roc_auc", "truth": truth3.tolist(), "scores": proba.tolist(), "classes": [0, 1, 2]})
        expected.append(roc_auc_score(truth3, proba, multi_class="ovr", average="macro"))
        # Regression.
        y = rng.normal(10, 3, n)
        yhat = y + rng.normal(0, 1, n)
        cases.append({"metric": "rmse", "truth": y.tolist(), "predicted": yhat.tolist()})
        expected.append(float(np.sqrt(mean_squared_error(y, yhat))))
        cases.append({"metric": "mae", "truth": y.tolist(), "predicted": yhat.tolist()})
        expected.append(mean_absolute_error(y, yhat))
    got = cairn_metrics(cases)
    for case, value, want in zip(cases, got, expected):
        assert value == pytest.approx(want, abs=1e-9, rel=0), case["metric"]


def test_f1_with_a_class_never_predicted_counts_zero():
    truth, predicted = [0, 1, 2, 2], [0, 1, 1, 1]
    assert cairn_metrics([{"metric": "f1", "truth": truth, "predicted": predicted}])[0] == pytest.approx(f1_score(truth, predicted, average="macro", zero_division=0), abs=1e-12)
