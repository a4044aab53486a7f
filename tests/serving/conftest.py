"""Fixtures for the serving end-to-end suite.

A `cairn server` (SQLite, local artifacts) is the tracking server and registry; the official MLflow
client trains, exports (skl2onnx), logs (mlflow.onnx.log_model) and registers an iris classifier;
`cairn serve models:/<name>@champion` is then started against that server and scored over HTTP.
Run from the repo root after building: .venv/bin/pytest tests/serving -q
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "60"
os.environ.setdefault("DO_NOT_TRACK", "true")
for _name in ("MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI"):
    os.environ.pop(_name, None)

import mlflow  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import requests  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.models import infer_signature  # noqa: E402
from skl2onnx import to_onnx  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CAIRN_BIN = REPO / "bin" / "cairn"
BODY_LIMIT = 200_000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_until_answers(url: str, process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} answered:\n{tail(log)}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s:\n{tail(log)}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_cairn(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a short-lived cairn command and capture its output."""
    return subprocess.run(["node", str(CAIRN_BIN), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO)


@dataclass
class Served:
    url: str
    log: Path


@dataclass
class Registered:
    tracking_url: str
    name: str
    sklearn_name: str
    model: LogisticRegression
    X: pd.DataFrame
    workdir: Path


@pytest.fixture(scope="session")
def workdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="cairn-serving-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def tracking_url(workdir: Path) -> str:
    if not (REPO / "dist" / "cli" / "main.js").exists():
        pytest.fail("cairn is not built: run `npm run build` (or `npx tsc -p .`) first", pytrace=False)
    port = free_port()
    log = workdir / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["node", str(CAIRN_BIN), "server", "--host", "127.0.0.1", "--port", str(port),
             "--backend-store-uri", f"sqlite:///{workdir / 'cairn.db'}", "--artifacts-destination", str(workdir / "artifacts"), "--no-ui"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=workdir, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(f"{url}/health", process, log)
        yield url
    finally:
        stop(process)


def iris() -> tuple[pd.DataFrame, np.ndarray]:
    data = load_iris(as_frame=True)
    return data.data.astype("float32"), data.target.to_numpy()


@pytest.fixture(scope="session")
def registered(tracking_url: str, workdir: Path) -> Registered:
    """Version 1 of an ONNX iris classifier with alias champion, version 2 with an extra input,
    and a pickled scikit-learn model that cairn must refuse."""
    mlflow.set_tracking_uri(tracking_url)
    mlflow.set_registry_uri(tracking_url)
    client = MlflowClient(tracking_uri=tracking_url, registry_uri=tracking_url)
    mlflow.set_experiment(f"serving-{uuid.uuid4().hex[:8]}")
    name = f"iris-{uuid.uuid4().hex[:8]}"
    X, y = iris()
    model = LogisticRegression(max_iter=1000).fit(X, y)
    onx = to_onnx(model, X[:1].to_numpy(), options={id(model): {"zipmap": False}})
    with mlflow.start_run():
        info = mlflow.onnx.log_model(onx, name="model", signature=infer_signature(X, model.predict(X)), registered_model_name=name)
    assert str(info.registered_model_version) == "1"
    client.set_registered_model_alias(name, "champion", "1")

    # Version 2 takes a fifth, required column: callers of version 1 do not send it.
    X2 = X.assign(**{"petal ratio": (X["petal length (cm)"] / X["petal width (cm)"]).astype("float32")})
    model2 = LogisticRegression(max_iter=1000).fit(X2, y)
    onx2 = to_onnx(model2, X2[:1].to_numpy(), options={id(model2): {"zipmap": False}})
    with mlflow.start_run():
        mlflow.onnx.log_model(onx2, name="model", signature=infer_signature(X2, model2.predict(X2)), registered_model_name=name)

    sklearn_name = f"iris-pickle-{uuid.uuid4().hex[:8]}"
    with mlflow.start_run():
        mlflow.sklearn.log_model(model, name="model", signature=infer_signature(X, model.predict(X)), registered_model_name=sklearn_name)
    client.set_registered_model_alias(sklearn_name, "champion", "1")
    return Registered(tracking_url=tracking_url, name=name, sklearn_name=sklearn_name, model=model, X=X, workdir=workdir)


def start_serve(model_uri: str, tracking_url: str, cache: Path, log: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["node", str(CAIRN_BIN), "serve", model_uri, "--port", str(port), "--tracking-uri", tracking_url, "--model-cache", str(cache), *extra],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=REPO, start_new_session=True,
        )
    return process, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def served(registered: Registered) -> Served:
    """`cairn serve models:/<name>@champion` with a small body limit, for the whole session."""
    log = registered.workdir / "serve.log"
    process, url = start_serve(f"models:/{registered.name}@champion", registered.tracking_url, registered.workdir / "cache", log, "--body-limit", str(BODY_LIMIT))
    try:
        wait_until_answers(f"{url}/ping", process, log)
        yield Served(url=url, log=log)
    finally:
        stop(process)
