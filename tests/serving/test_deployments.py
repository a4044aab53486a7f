"""Managed deployments inside `cairn server`, end to end with the official MLflow client: an iris
classifier exported to ONNX, logged with mlflow.onnx.log_model and registered; deployments
created through /api/v1/deployments; alias moves, canary weights, shadow copies, feedback, the
inference log read back from its Parquet files, metrics, the gate CLI and the manifests CLI."""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
import requests
import yaml
from mlflow import MlflowClient
from mlflow.models import infer_signature
from skl2onnx import to_onnx
from sklearn.linear_model import LogisticRegression

from conftest import iris, run_cairn

COLUMNS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]


@dataclass
class Deployable:
    url: str
    name: str
    client: MlflowClient
    models: dict[str, LogisticRegression]
    X: pd.DataFrame
    y: np.ndarray
    artifacts: Path


@pytest.fixture(scope="module")
def deployable(tracking_url: str, workdir: Path) -> Deployable:
    """Versions 1 and 2: ONNX iris classifiers with the same inputs (different regularisation);
    version 3: a pickled scikit-learn model, which cairn cannot load."""
    mlflow.set_tracking_uri(tracking_url)
    mlflow.set_registry_uri(tracking_url)
    client = MlflowClient(tracking_uri=tracking_url, registry_uri=tracking_url)
    mlflow.set_experiment(f"deployments-{uuid.uuid4().hex[:8]}")
    name = f"iris-dep-{uuid.uuid4().hex[:8]}"
    X, y = iris()
    models = {}
    for version, c in (("1", 1.0), ("2", 0.05)):
        model = LogisticRegression(C=c, max_iter=1000).fit(X, y)
        onx = to_onnx(model, X[:1].to_numpy(), options={id(model): {"zipmap": False}})
        with mlflow.start_run():
            info = mlflow.onnx.log_model(onx, name="model", signature=infer_signature(X, model.predict(X)), registered_model_name=name)
        assert str(info.registered_model_version) == version
        models[version] = model
    with mlflow.start_run():
        mlflow.sklearn.log_model(models["1"], name="model", signature=infer_signature(X, models["1"].predict(X)), registered_model_name=name)
    client.set_registered_model_alias(name, "champion", "1")
    return Deployable(url=tracking_url, name=name, client=client, models=models, X=X, y=y, artifacts=workdir / "artifacts")


def api(d: Deployable, method: str, path: str, body=None) -> requests.Response:
    return requests.request(method, f"{d.url}/api/v1{path}", json=body, timeout=30)


def score(d: Deployable, deployment: str, rows: pd.DataFrame, request_id: str | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json", **({"X-Request-Id": request_id} if request_id else {})}
    body = {"dataframe_split": json.loads(rows.to_json(orient="split", index=False))}
    return requests.post(f"{d.url}/api/v1/deployments/{deployment}/invocations", data=json.dumps(body), headers=headers, timeout=30)


def wait_for(check, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value is not None and value is not False and not (isinstance(value, list) and not value):
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_alias_deployment_scores_like_sklearn_and_follows_the_alias(deployable: Deployable):
    d = deployable
    created = api(d, "POST", "/deployments", {"name": "iris-prod", "model": d.name, "alias": "champion"})
    assert created.status_code == 200, created.text
    response = score(d, "iris-prod", d.X)
    assert response.status_code == 200, response.text
    assert response.headers["X-Cairn-Version"] == "1"
    predictions = response.json()["predictions"]
    np.testing.assert_array_equal([p["label"] for p in predictions], d.models["1"].predict(d.X))
    np.testing.assert_allclose([p["probabilities"] for p in predictions], d.models["1"].predict_proba(d.X), atol=1e-5, rtol=0)

    moved_at = time.monotonic()
    d.client.set_registered_model_alias(d.name, "champion", "2")
    wait_for(lambda: score(d, "iris-prod", d.X[:1]).headers.get("X-Cairn-Version") == "2", what="the alias move")
    took = time.monotonic() - moved_at
    print(f"alias move reached the deployment after {took * 1000:.0f} ms")
    # Requests in flight during the swap still answered; the new version answers like sklearn's version 2.
    response = score(d, "iris-prod", d.X)
    np.testing.assert_array_equal([p["label"] for p in response.json()["predictions"]], d.models["2"].predict(d.X))
    d.client.set_registered_model_alias(d.name, "champion", "1")
    wait_for(lambda: score(d, "iris-prod", d.X[:1]).headers.get("X-Cairn-Version") == "1", what="the alias moving back")

    # Lineage follows what is served: version 1 serves now, version 2's edge has ended.
    def served_by(version: str) -> list[str]:
        node = f"model_version:{d.name}/{version}"
        graph = requests.get(f"{d.url}/api/v1/lineage", params={"node": node, "direction": "downstream"}, timeout=30).json()
        return [e["to"] for e in graph["edges"] if e["from"] == node and e["kind"] == "served" and e["ended_at"] is None]

    wait_for(lambda: served_by("1") == ["deployment:iris-prod"] and served_by("2") == [], what="lineage of the served versions")


def test_canary_split_shadow_copies_feedback_and_the_parquet_log(deployable: Deployable):
    d = deployable
    created = api(d, "POST", "/deployments", {"name": "iris-canary", "model": d.name, "traffic": [{"version": 1, "weight": 90}, {"version": 2, "weight": 10}], "shadow": {"version": 2}})
    assert created.status_code == 200, created.text
    counts = {"1": 0, "2": 0}
    for i in range(300):
        response = score(d, "iris-canary", d.X.iloc[[i % 150]], request_id=f"r-{i}")
        assert response.status_code == 200, response.text
        assert response.headers["X-Request-Id"] == f"r-{i}"
        counts[response.headers["X-Cairn-Version"]] += 1
    # 90% of 300 = 270, standard deviation ~5.2: 240..299 fails only for a broken split.
    assert 240 <= counts["1"] < 300, counts
    assert counts["2"] > 0

    feedback = api(d, "POST", "/deployments/iris-canary/feedback", {"feedback": [{"request_id": f"r-{i}", "ground_truth": int(d.y[i % 150])} for i in range(50)]})
    assert feedback.status_code == 200, feedback.text
    assert feedback.json() == {"accepted": 50}

    log_root = d.artifacts / "inference-log" / "iris-canary"

    def logged() -> pd.DataFrame | None:
        files = sorted(log_root.glob("*/*/*.parquet"))
        if not files:
            return None
        frame = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
        return frame if len(frame) >= 600 else None

    frame = wait_for(logged, what="600 rows (answers and shadow copies) in the inference log")
    assert list(frame.columns) == ["deployment", "version", "request_id", "shadow", "time", "latency_ms", "status", "inputs", "outputs", "error", "rows"]
    answered = frame[~frame["shadow"]]
    shadows = frame[frame["shadow"]]
    assert len(answered) == 300 and len(shadows) == 300
    assert set(shadows["version"]) == {"2"}
    assert set(shadows["request_id"]) == {f"r-{i}" for i in range(300)}
    first = answered[answered["request_id"] == "r-0"].iloc[0]
    logged_inputs = json.loads(first["inputs"])
    assert list(logged_inputs[0]) == COLUMNS
    np.testing.assert_allclose(list(logged_inputs[0].values()), d.X.iloc[0].to_numpy(), atol=1e-6)
    assert json.loads(first["outputs"])[0]["label"] == int(d.models[first["version"]].predict(d.X.iloc[[0]])[0])
    assert first["status"] == "ok" and first["rows"] == 1 and first["latency_ms"] >= 0
    assert pd.api.types.is_datetime64_any_dtype(frame["time"])

    feedback_files = wait_for(lambda: sorted((d.artifacts / "inference-feedback" / "iris-canary").glob("*/*/*.parquet")), what="the feedback file")
    truth = pd.concat([pd.read_parquet(f) for f in feedback_files])
    assert set(truth["request_id"]) == {f"r-{i}" for i in range(50)}

    joined = api(d, "GET", "/deployments/iris-canary/inference-log?limit=1000").json()["rows"]
    with_truth = [r for r in joined if not r["shadow"] and r["ground_truth"] is not None]
    assert len(with_truth) == 50

    metrics = requests.get(f"{d.url}/metrics", timeout=10).text
    assert 'cairn_deployment_requests_total{deployment="iris-canary",version="2",shadow="true"} 300' in metrics
    assert "cairn_deployment_request_duration_seconds_bucket" in metrics


def test_a_version_that_cannot_load_leaves_the_previous_one_serving(deployable: Deployable):
    d = deployable
    assert api(d, "POST", "/deployments", {"name": "iris-sturdy", "model": d.name, "version": 1}).status_code == 200
    assert score(d, "iris-sturdy", d.X[:1]).headers["X-Cairn-Version"] == "1"
    assert api(d, "PATCH", "/deployments/iris-sturdy", {"version": 3}).status_code == 200
    failed = wait_for(lambda: (lambda got: got if got["status"] == "FAILED" else None)(api(d, "GET", "/deployments/iris-sturdy").json()["deployment"]), what="the FAILED status")
    assert "version 3 failed to load" in failed["status_message"] and "still serving version 1" in failed["status_message"]
    assert "python_function" in failed["status_message"] or "onnx" in failed["status_message"]
    assert score(d, "iris-sturdy", d.X[:1]).headers["X-Cairn-Version"] == "1"
    rolled = api(d, "POST", "/deployments/iris-sturdy/rollback")
    assert rolled.json()["deployment"]["traffic"] == [{"version": "1", "weight": 100}]

    unknown = score(d, "no-such-deployment", d.X[:1])
    assert unknown.status_code == 404 and "no-such-deployment" in unknown.json()["message"]
    bad = requests.post(f"{d.url}/api/v1/deployments/iris-sturdy/invocations", json={"dataframe_split": {"columns": ["x"], "data": [[1]]}}, timeout=10)
    assert bad.status_code == 400 and "missing inputs" in bad.json()["message"]
    assert score(d, "iris-sturdy", d.X[:1]).status_code == 200


def test_compatibility_gate_and_manifests(deployable: Deployable, workdir: Path):
    d = deployable
    compat = api(d, "GET", f"/registry/models/{d.name}/compatibility?from=1&to=2")
    assert compat.status_code == 200 and compat.json()["compatible"] is True

    holdout = workdir / "holdout.parquet"
    d.X.assign(target=d.y).to_parquet(holdout)
    env_args = ["--tracking-uri", d.url, "--model-cache", str(workdir / "gate-cache")]
    # Version 2 (strongly regularised) is worse than version 1 on f1: the gate fails, nothing moves.
    failed = run_cairn("gate", "--model", d.name, "--candidate", "2", "--champion", "champion", "--data", str(holdout), "--label", "target", "--metric", "f1", "--promote", "champion", *env_args)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "FAIL" in failed.stdout and "f1 gain >= 0" in failed.stdout
    assert d.client.get_model_version_by_alias(d.name, "champion").version == "1"
    # The reverse passes and promotes.
    d.client.set_registered_model_alias(d.name, "challenger", "1")
    d.client.set_registered_model_alias(d.name, "champion", "2")
    passed = run_cairn("gate", "--model", d.name, "--candidate", "challenger", "--champion", "champion", "--data", str(holdout), "--label", "target", "--metric", "roc_auc", "--max-p95-latency-ms", "5000", "--promote", "champion", *env_args)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert d.client.get_model_version_by_alias(d.name, "champion").version == "1"
    run_id = passed.stdout.split("evaluation run: ")[1].split()[0]
    run = d.client.get_run(run_id)
    assert run.data.metrics["candidate_roc_auc"] > run.data.metrics["champion_roc_auc"]

    out = workdir / "manifests"
    written = run_cairn("deploy", "manifests", "iris-prod", "--tracking-uri", d.url, "--image", "example/cairn:1", "-o", str(out))
    assert written.returncode == 0, written.stderr
    docs = list(yaml.safe_load_all((out / "kubernetes.yaml").read_text()))
    assert [doc["kind"] for doc in docs] == ["Deployment", "Service", "HorizontalPodAutoscaler"]
    container = docs[0]["spec"]["template"]["spec"]["containers"][0]
    assert container["args"][0] == f"models:/{d.name}@champion"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ping"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert f"models:/{d.name}@champion" in (out / "Dockerfile").read_text()
