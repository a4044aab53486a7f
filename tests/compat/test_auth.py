"""The official MLflow client against `cairn server --auth`: user name and password (HTTP Basic)
through MLFLOW_TRACKING_USERNAME/PASSWORD, an API token through MLFLOW_TRACKING_TOKEN, and the
errors it gets for a wrong password or a missing permission. Users and tokens are made with the
`cairn users` / `cairn tokens` commands, straight in the database, as an operator would."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import mlflow
import mlflow.sklearn
import numpy as np
import pytest
import requests
from compat_helpers import unique
from conftest import CAIRN_BIN, _free_port, _stop_process_group, _wait_for_health
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from sklearn.linear_model import LogisticRegression

pytestmark = pytest.mark.cairn_only

PASSWORD = "correct horse battery staple"


@dataclass
class AuthServer:
    url: str
    admin_token: str
    viewer_token: str


def _cairn(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run(["node", str(CAIRN_BIN), *args], input=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"cairn {' '.join(args)} failed ({done.returncode}): {done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def auth_server() -> AuthServer:
    workdir = Path(tempfile.mkdtemp(prefix="cairn-compat-auth-"))
    store = f"sqlite:///{workdir / 'cairn.db'}"
    process = None
    try:
        _cairn("users", "create", "alice", "--admin", "--password-stdin", "--backend-store-uri", store, stdin=PASSWORD + "\n")
        _cairn("users", "create", "victor", "--role", "viewer", "--password-stdin", "--backend-store-uri", store, stdin=PASSWORD + "\n")
        admin_token = _cairn("tokens", "create", "--user", "alice", "--name", "compat", "--expires-in", "1d", "--backend-store-uri", store).strip()
        viewer_token = _cairn("tokens", "create", "--user", "victor", "--name", "compat", "--backend-store-uri", store).strip()
        assert admin_token.startswith("cairn_") and viewer_token.startswith("cairn_")
        port = _free_port()
        log_file = workdir / "server.log"
        with open(log_file, "wb") as log:
            process = subprocess.Popen(
                ["node", str(CAIRN_BIN), "server", "--auth", "--host", "127.0.0.1", "--port", str(port),
                 "--backend-store-uri", store, "--artifacts-destination", str(workdir / "artifacts")],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=workdir, start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}"
        _wait_for_health(url, process, log_file)
        yield AuthServer(url=url, admin_token=admin_token, viewer_token=viewer_token)
    finally:
        if process is not None:
            _stop_process_group(process)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def tracking(auth_server, monkeypatch):
    """Point the client at the auth server with no credentials in the environment yet."""
    for name in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    mlflow.set_tracking_uri(auth_server.url)
    mlflow.set_registry_uri(auth_server.url)
    yield auth_server
    while mlflow.active_run() is not None:
        mlflow.end_run()


def _workflow(tmp_path: Path, label: str) -> None:
    """set_experiment, start_run, log_metric, log_artifact, log_model and register_model."""
    experiment = mlflow.set_experiment(unique(f"auth-{label}"))
    notes = tmp_path / "notes.txt"
    notes.write_text(f"logged with {label}\n")
    model = LogisticRegression().fit(np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1]))
    with mlflow.start_run() as run:
        mlflow.log_metric("loss", 0.25, step=1)
        mlflow.log_artifact(str(notes))
        info = mlflow.sklearn.log_model(model, name="model")
    name = unique(f"auth-model-{label}")
    version = mlflow.register_model(f"models:/{info.model_id}", name)

    client = MlflowClient()
    assert run.info.experiment_id == experiment.experiment_id
    assert client.get_run(run.info.run_id).data.metrics == {"loss": 0.25}
    assert [f.path for f in client.list_artifacts(run.info.run_id)] == ["notes.txt"]
    assert mlflow.artifacts.load_text(f"runs:/{run.info.run_id}/notes.txt") == f"logged with {label}\n"
    assert client.get_model_version(name, version.version).name == name


def test_username_and_password(tracking, monkeypatch, tmp_path):
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "alice")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", PASSWORD)
    _workflow(tmp_path, "basic")


def test_api_token(tracking, monkeypatch, tmp_path):
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", tracking.admin_token)
    _workflow(tmp_path, "token")


def test_wrong_password_is_401_at_once(tracking, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "alice")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", "not the password")
    with pytest.raises(MlflowException) as raised:
        mlflow.set_experiment(unique("auth-wrong"))
    assert raised.value.error_code == "UNAUTHENTICATED"
    assert "Invalid user name or password" in str(raised.value)
    # An unknown user gets the very same answer.
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "nobody")
    with pytest.raises(MlflowException) as unknown:
        mlflow.set_experiment(unique("auth-wrong"))
    assert str(unknown.value) == str(raised.value)


def test_no_credentials_and_viewer_permissions(tracking, monkeypatch):
    response = requests.get(f"{tracking.url}/api/2.0/mlflow/experiments/search", params={"max_results": 1}, timeout=10)
    assert response.status_code == 401
    assert response.json()["error_code"] == "UNAUTHENTICATED"

    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", tracking.viewer_token)
    assert MlflowClient().search_experiments(max_results=1) is not None
    with pytest.raises(MlflowException) as raised:
        MlflowClient().create_experiment(unique("auth-viewer"))
    assert raised.value.error_code == "PERMISSION_DENIED"
    assert "needs the 'write' permission" in str(raised.value)


@pytest.fixture(scope="module")
def closed_server():
    """A server with --default-permission NONE and two members: each sees only what it created or was granted."""
    workdir = Path(tempfile.mkdtemp(prefix="cairn-compat-perms-"))
    store = f"sqlite:///{workdir / 'cairn.db'}"
    process = None
    try:
        for name in ("olga", "mark"):
            _cairn("users", "create", name, "--role", "member", "--password-stdin", "--backend-store-uri", store, stdin=PASSWORD + "\n")
        port = _free_port()
        log_file = workdir / "server.log"
        with open(log_file, "wb") as log:
            process = subprocess.Popen(
                ["node", str(CAIRN_BIN), "server", "--auth", "--default-permission", "NONE", "--host", "127.0.0.1", "--port", str(port),
                 "--backend-store-uri", store, "--artifacts-destination", str(workdir / "artifacts")],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=workdir, start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}"
        _wait_for_health(url, process, log_file)
        yield url
    finally:
        if process is not None:
            _stop_process_group(process)
        shutil.rmtree(workdir, ignore_errors=True)


def _as(monkeypatch, user: str) -> MlflowClient:
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", user)
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", PASSWORD)
    return MlflowClient()


def test_a_user_without_permission_cannot_read_or_write_anothers_runs(closed_server, monkeypatch):
    for name in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    mlflow.set_tracking_uri(closed_server)
    olga = _as(monkeypatch, "olga")
    experiment_id = olga.create_experiment(unique("olga-private"))
    run = olga.create_run(experiment_id)
    olga.log_metric(run.info.run_id, "loss", 0.25)

    mark = _as(monkeypatch, "mark")
    with pytest.raises(MlflowException) as read:
        mark.get_run(run.info.run_id)
    assert read.value.error_code == "PERMISSION_DENIED"
    assert "READ permission" in read.value.message and "mark" in read.value.message
    with pytest.raises(MlflowException) as write:
        mark.log_metric(run.info.run_id, "loss", 9.0)
    assert write.value.error_code == "PERMISSION_DENIED"
    with pytest.raises(MlflowException):
        mark.get_metric_history(run.info.run_id, "loss")
    assert experiment_id not in [e.experiment_id for e in mark.search_experiments()]
    assert mark.search_runs([experiment_id]) == []

    # Olga grants READ with MLflow's basic-auth permission RPC; Mark now reads but still cannot write.
    granted = requests.post(
        f"{closed_server}/api/2.0/mlflow/experiments/permissions/create",
        json={"experiment_id": experiment_id, "username": "mark", "permission": "READ"},
        auth=("olga", PASSWORD), timeout=10,
    )
    assert granted.status_code == 200, granted.text
    assert granted.json()["experiment_permission"]["permission"] == "READ"
    assert mark.get_run(run.info.run_id).data.metrics == {"loss": 0.25}
    assert experiment_id in [e.experiment_id for e in mark.search_experiments()]
    with pytest.raises(MlflowException) as still:
        mark.log_metric(run.info.run_id, "loss", 9.0)
    assert still.value.error_code == "PERMISSION_DENIED"
