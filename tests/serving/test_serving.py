"""End to end: a model logged with the official MLflow client, served and batch-scored by cairn,
checked against scikit-learn's own predictions (labels equal, probabilities within 1e-5)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import requests

from conftest import BODY_LIMIT, Registered, Served, run_cairn, start_serve, stop, tail

COLUMNS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]


def post_json(served: Served, body) -> requests.Response:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return requests.post(f"{served.url}/invocations", data=data, headers={"Content-Type": "application/json"}, timeout=30)


def assert_matches_sklearn(registered: Registered, predictions: list, rows: pd.DataFrame) -> None:
    labels = np.array([p["label"] for p in predictions])
    probabilities = np.array([p["probabilities"] for p in predictions])
    np.testing.assert_array_equal(labels, registered.model.predict(rows))
    np.testing.assert_allclose(probabilities, registered.model.predict_proba(rows), atol=1e-5, rtol=0)


def payloads(X: pd.DataFrame) -> dict[str, dict]:
    """The same rows in each JSON format MLflow's scoring server accepts."""
    split = json.loads(X.to_json(orient="split", index=False))
    return {
        "dataframe_split": {"dataframe_split": split},
        "dataframe_records": {"dataframe_records": X.to_dict(orient="records")},
        "instances-records": {"instances": X.to_dict(orient="records")},
        "instances-rows": {"instances": X.to_numpy().tolist()},
        "inputs-columns": {"inputs": {c: X[c].tolist() for c in X.columns}},
        "inputs-rows": {"inputs": X.to_numpy().tolist()},
    }


@pytest.mark.parametrize("fmt", list(payloads(pd.DataFrame(columns=COLUMNS))))
def test_every_json_format_matches_sklearn(served: Served, registered: Registered, fmt: str):
    response = post_json(served, payloads(registered.X)[fmt])
    assert response.status_code == 200, response.text
    predictions = response.json()["predictions"]
    assert len(predictions) == len(registered.X)
    assert_matches_sklearn(registered, predictions, registered.X)


def test_csv_matches_sklearn(served: Served, registered: Registered):
    body = registered.X.to_csv(index=False)
    response = requests.post(f"{served.url}/invocations", data=body, headers={"Content-Type": "text/csv"}, timeout=30)
    assert response.status_code == 200, response.text
    assert_matches_sklearn(registered, response.json()["predictions"], registered.X)


def test_serving_input_example_written_by_mlflow(served: Served, registered: Registered):
    from mlflow.models import convert_input_example_to_serving_input

    body = convert_input_example_to_serving_input(registered.X.iloc[:5])
    response = post_json(served, body)
    assert response.status_code == 200, response.text
    assert_matches_sklearn(registered, response.json()["predictions"], registered.X.iloc[:5])


def test_ping_health_version(served: Served):
    for path in ("/ping", "/health"):
        assert requests.get(f"{served.url}{path}", timeout=5).status_code == 200
    version = requests.get(f"{served.url}/version", timeout=5)
    assert version.status_code == 200 and version.text.strip()


def _row(**overrides) -> dict:
    row = {"sepal length (cm)": 5.1, "sepal width (cm)": 3.5, "petal length (cm)": 1.4, "petal width (cm)": 0.2}
    row.update(overrides)
    return row


@pytest.mark.parametrize(
    "body, status, fragment",
    [
        ('{"dataframe_split": ', 400, "Failed to parse input from JSON"),
        ("[1, 2]", 400, "Received a list"),
        ({"dataframe_split": {"columns": COLUMNS[:3], "data": [[5.1, 3.5, 1.4]]}}, 400, "petal width (cm)"),
        ({"dataframe_records": [_row(**{"sepal width (cm)": "wide"})]}, 400, "sepal width (cm)"),
        ('{"dataframe_records": [{"sepal length (cm)": NaN, "sepal width (cm)": 3.5, "petal length (cm)": 1.4, "petal width (cm)": 0.2}]}', 400, "sepal length (cm)"),
        ({"dataframe_records": [_row(**{"petal length (cm)": None})]}, 400, "petal length (cm)"),
        ({"data": [[1, 2, 3, 4]]}, 400, "dataframe_split"),
        ({"instances": [[1, 2, 3]]}, 400, "4"),
    ],
    ids=["malformed-json", "bare-list", "missing-column", "wrong-type", "nan-required", "null-required", "unknown-format", "wrong-width"],
)
def test_bad_input_is_a_4xx_naming_the_problem(served: Served, body, status: int, fragment: str):
    response = post_json(served, body)
    assert response.status_code == status, response.text
    assert fragment in response.json()["message"]


def test_body_over_the_limit_is_413(served: Served):
    rows = [_row()] * (BODY_LIMIT // 100 + 10)
    response = post_json(served, {"dataframe_records": rows})
    assert response.status_code == 413, response.text
    assert str(BODY_LIMIT) in response.json()["message"]


def test_unsupported_content_type_is_415(served: Served):
    response = requests.post(f"{served.url}/invocations", data="x", headers={"Content-Type": "application/xml"}, timeout=5)
    assert response.status_code == 415
    assert "text/csv" in response.text


def test_still_serving_after_bad_requests(served: Served, registered: Registered):
    for _ in range(3):
        post_json(served, "{oops")
    response = post_json(served, {"dataframe_records": registered.X.iloc[:2].to_dict(orient="records")})
    assert response.status_code == 200
    assert_matches_sklearn(registered, response.json()["predictions"], registered.X.iloc[:2])


def _run_serve_to_exit(model_uri: str, registered: Registered, cache: Path, log: Path) -> str:
    process, _ = start_serve(model_uri, registered.tracking_url, cache, log)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        stop(process)
        pytest.fail(f"cairn serve kept running for {model_uri}:\n{tail(log)}")
    assert process.returncode != 0
    return tail(log)


def test_corrupted_cached_file_is_never_served(served: Served, registered: Registered):
    cache = registered.workdir / "cache-corrupt"
    shutil.copytree(registered.workdir / "cache", cache)
    onnx_files = list(cache.rglob("*.onnx"))
    assert onnx_files, "the first serve should have cached the model"
    data = bytearray(onnx_files[0].read_bytes())
    data[len(data) // 2] ^= 0xFF
    onnx_files[0].write_bytes(bytes(data))
    output = _run_serve_to_exit(f"models:/{registered.name}@champion", registered, cache, registered.workdir / "corrupt.log")
    assert "sha256" in output and "refusing to serve" in output


def test_pickled_sklearn_model_is_refused_with_export_advice(registered: Registered):
    output = _run_serve_to_exit(f"models:/{registered.sklearn_name}@champion", registered, registered.workdir / "cache-pickle", registered.workdir / "pickle.log")
    assert '"sklearn"' in output and "mlflow.onnx.log_model" in output and "skl2onnx" in output
    assert "Traceback" not in output and "    at " not in output


def test_unknown_alias_is_refused(registered: Registered):
    output = _run_serve_to_exit(f"models:/{registered.name}@nobody", registered, registered.workdir / "cache-alias", registered.workdir / "alias.log")
    assert "nobody" in output


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_batch_predict_matches_sklearn(served: Served, registered: Registered, suffix: str):
    source = registered.workdir / f"rows.{suffix}"
    target = registered.workdir / f"preds-{suffix}.parquet"
    if suffix == "parquet":
        registered.X.to_parquet(source, index=False)
    else:
        registered.X.to_csv(source, index=False)
    result = run_cairn("predict", f"models:/{registered.name}/1", "--input", str(source), "--output", str(target),
                       "--batch-size", "64", "--tracking-uri", registered.tracking_url, "--model-cache", str(registered.workdir / "cache"))
    assert result.returncode == 0, result.stderr
    assert "150 rows in 3 batches" in result.stdout
    preds = pd.read_parquet(target)
    assert list(preds.columns) == ["label", "probabilities"]
    np.testing.assert_array_equal(preds["label"].to_numpy(), registered.model.predict(registered.X))
    np.testing.assert_allclose(np.stack(preds["probabilities"].to_numpy()), registered.model.predict_proba(registered.X), atol=1e-5, rtol=0)


def test_registry_diff_reports_added_required_input(registered: Registered):
    result = run_cairn("registry", "diff", registered.name, "1", "2", "--json", "--tracking-uri", registered.tracking_url)
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    added = [c for c in diff["changes"] if c["change"] == "added"]
    assert [(c["side"], c["name"]) for c in added] == [("input", "petal ratio")]
    assert diff["compatible"] is False
    text = run_cairn("registry", "diff", registered.name, "2", "@champion", "--tracking-uri", registered.tracking_url)
    assert "petal ratio  removed" in text.stdout
    assert "can call version 1 unchanged: yes" in text.stdout
    check = run_cairn("registry", "diff", registered.name, "1", "2", "--check", "--tracking-uri", registered.tracking_url)
    assert check.returncode == 1
