"""Error shapes on the wire, checked with plain HTTP: what the MLflow client branches on."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from compat_helpers import unique


def _error(response: requests.Response) -> dict:
    assert response.headers.get("content-type", "").startswith("application/json"), response.text
    body = response.json()
    assert isinstance(body.get("message"), str) and body["message"], body
    return body


@pytest.fixture
def raw_run(server) -> str:
    """A run created over plain HTTP, with nothing logged to it."""
    created = requests.post(server.api("experiments/create"), json={"name": unique("raw")})
    assert created.status_code == 200, created.text
    experiment_id = created.json()["experiment_id"]
    run = requests.post(
        server.api("runs/create"), json={"experiment_id": experiment_id, "start_time": int(time.time() * 1000)}
    )
    assert run.status_code == 200, run.text
    return run.json()["run"]["info"]["run_id"]


def test_health(server):
    response = requests.get(f"{server.url}/health")
    assert response.status_code == 200
    assert response.text.strip() == "OK"


@pytest.mark.cairn_only
def test_unknown_route_is_endpoint_not_found(server):
    # MLflow answers an HTML 404 (which its client also maps to ENDPOINT_NOT_FOUND); cairn says so in JSON.
    for method, path in [("GET", "/api/2.0/mlflow/no-such-thing"), ("POST", "/api/2.0/mlflow/runs/no-such-verb")]:
        response = requests.request(method, f"{server.url}{path}", json={})
        assert response.status_code == 404, (method, path)
        assert _error(response)["error_code"] == "ENDPOINT_NOT_FOUND"


def test_missing_required_field_names_the_field(server):
    response = requests.post(server.api("experiments/create"), json={})
    assert response.status_code == 400
    body = _error(response)
    assert body["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "name" in body["message"]
    response = requests.get(server.api("experiments/get"))
    assert response.status_code == 400
    assert "experiment_id" in _error(response)["message"]


def test_unknown_ids_are_resource_does_not_exist(server):
    unknown_run = requests.get(server.api("runs/get"), params={"run_id": uuid.uuid4().hex})
    assert unknown_run.status_code == 404
    assert _error(unknown_run)["error_code"] == "RESOURCE_DOES_NOT_EXIST"
    unknown_experiment = requests.get(server.api("experiments/get"), params={"experiment_id": "987654321"})
    assert unknown_experiment.status_code == 404
    assert _error(unknown_experiment)["error_code"] == "RESOURCE_DOES_NOT_EXIST"
    unknown_name = requests.get(server.api("experiments/get-by-name"), params={"experiment_name": unique("nope")})
    assert unknown_name.status_code == 404
    assert _error(unknown_name)["error_code"] == "RESOURCE_DOES_NOT_EXIST"
    unknown_model = requests.get(server.api("registered-models/get"), params={"name": unique("nope")})
    assert unknown_model.status_code == 404
    assert _error(unknown_model)["error_code"] == "RESOURCE_DOES_NOT_EXIST"


def test_wrong_type_is_invalid_parameter_value(server, raw_run):
    response = requests.post(server.api("runs/log-parameter"), json={"run_id": 31, "key": "a", "value": "b"})
    assert response.status_code == 400
    body = _error(response)
    assert body["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "run_id" in body["message"]
    response = requests.post(
        server.api("runs/log-metric"), json={"run_id": raw_run, "key": "m", "value": "high", "timestamp": 1}
    )
    assert response.status_code == 400
    assert _error(response)["error_code"] == "INVALID_PARAMETER_VALUE"


def test_malformed_json_is_a_client_error(server):
    response = requests.post(
        server.api("experiments/create"), data=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert _error(response)["error_code"] in ("BAD_REQUEST", "INVALID_PARAMETER_VALUE", "MALFORMED_REQUEST")


def test_log_batch_with_one_bad_metric_writes_nothing(server, raw_run):
    now = int(time.time() * 1000)
    response = requests.post(
        server.api("runs/log-batch"),
        json={
            "run_id": raw_run,
            "metrics": [
                {"key": "good", "value": 1.0, "timestamp": now, "step": 0},
                {"key": "bad", "value": 2.0, "step": 1},  # no timestamp
            ],
            "params": [{"key": "p", "value": "v"}],
            "tags": [{"key": "t", "value": "v"}],
        },
    )
    assert response.status_code == 400
    body = _error(response)
    assert body["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "timestamp" in body["message"]
    run = requests.get(server.api("runs/get"), params={"run_id": raw_run}).json()["run"]
    data = run.get("data", {})
    assert data.get("metrics", []) == []
    assert data.get("params", []) == []
    assert "t" not in {t["key"] for t in data.get("tags", [])}
    history = requests.get(server.api("metrics/get-history"), params={"run_id": raw_run, "metric_key": "good"})
    assert history.status_code == 200
    assert history.json().get("metrics", []) == []


def test_log_batch_that_changes_a_param_writes_nothing(server, raw_run):
    first = requests.post(server.api("runs/log-batch"), json={"run_id": raw_run, "params": [{"key": "p", "value": "1"}]})
    assert first.status_code == 200, first.text
    now = int(time.time() * 1000)
    second = requests.post(
        server.api("runs/log-batch"),
        json={
            "run_id": raw_run,
            "metrics": [{"key": "m", "value": 1.0, "timestamp": now, "step": 0}],
            "params": [{"key": "p", "value": "2"}],
        },
    )
    assert second.status_code == 400
    assert _error(second)["error_code"] == "INVALID_PARAMETER_VALUE"
    data = requests.get(server.api("runs/get"), params={"run_id": raw_run}).json()["run"].get("data", {})
    assert data.get("params") == [{"key": "p", "value": "1"}]
    assert data.get("metrics", []) == []


def test_ajax_api_prefix_serves_the_same_routes(server, raw_run):
    response = requests.get(f"{server.url}/ajax-api/2.0/mlflow/runs/get", params={"run_id": raw_run})
    assert response.status_code == 200
    assert response.json()["run"]["info"]["run_id"] == raw_run


def test_int64_fields_are_json_numbers_and_version_is_a_string(server, raw_run):
    info = requests.get(server.api("runs/get"), params={"run_id": raw_run}).json()["run"]["info"]
    assert isinstance(info["start_time"], int)
    assert info["status"] == "RUNNING"
    assert info["run_uuid"] == raw_run
