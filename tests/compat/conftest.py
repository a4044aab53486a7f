"""Fixtures for the MLflow compatibility suite.

One cairn server per backend (SQLite, PostgreSQL) serves the whole session; every test makes its
own uniquely named experiments and models, so tests never see each other's data.

Environment knobs:
  CAIRN_COMPAT_BACKENDS   comma-separated subset of "sqlite,postgres" (default: both)
  CAIRN_COMPAT_SERVER_LOG set to 1 to echo the server log after the session
  CAIRN_COMPAT_REPORT     a file to append one line per failed test to: the test, the error,
                          and the last HTTP request that got a status >= 400
  CAIRN_COMPAT_AGAINST    "mlflow" runs the suite against the reference `mlflow server` from the
                          venv instead of cairn (SQLite only): a check of the tests themselves
  CAIRN_COMPAT_AUTH       "basic" or "token": start cairn with --auth and an admin account made
                          with `cairn users`/`cairn tokens`; the client signs in through
                          MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN, and the
                          tests' own REST calls carry the same credentials
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Read by the client at request time; set before anything imports mlflow so every request uses
# them. No retries: a 5xx from the server should fail the test at once with its body, instead of
# the client retrying for minutes and then reporting a generic error.
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "60"
os.environ.setdefault("MLFLOW_ENABLE_ASYNC_LOGGING", "false")
os.environ.setdefault("DO_NOT_TRACK", "true")
# The default experiment must never leak between tests; each test sets its own.
os.environ.pop("MLFLOW_EXPERIMENT_ID", None)
os.environ.pop("MLFLOW_EXPERIMENT_NAME", None)
os.environ.pop("MLFLOW_TRACKING_URI", None)
os.environ.pop("MLFLOW_REGISTRY_URI", None)

import mlflow  # noqa: E402
import pytest  # noqa: E402
import requests  # noqa: E402
import requests.adapters  # noqa: E402
from compat_helpers import unique  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CAIRN_BIN = REPO / "bin" / "cairn"
POSTGRES_CLI = REPO / "dist" / "testing" / "postgres-cli.js"
ALL_BACKENDS = ("sqlite", "postgres")


def _against_reference_mlflow() -> bool:
    return os.environ.get("CAIRN_COMPAT_AGAINST", "cairn") == "mlflow"


def _selected_backends() -> list[str]:
    raw = os.environ.get("CAIRN_COMPAT_BACKENDS", "")
    default = ["sqlite"] if _against_reference_mlflow() else list(ALL_BACKENDS)
    chosen = [b.strip() for b in raw.split(",") if b.strip()] or default
    unknown = [b for b in chosen if b not in ALL_BACKENDS]
    if unknown:
        raise pytest.UsageError(f"CAIRN_COMPAT_BACKENDS: unknown backend(s) {unknown}; use {ALL_BACKENDS}")
    return chosen


def _compat_auth() -> str:
    mode = os.environ.get("CAIRN_COMPAT_AUTH", "")
    if mode not in ("", "basic", "token"):
        raise pytest.UsageError(f"CAIRN_COMPAT_AUTH: {mode!r} is neither 'basic' nor 'token'")
    if mode and _against_reference_mlflow():
        raise pytest.UsageError("CAIRN_COMPAT_AUTH applies to cairn only, not to CAIRN_COMPAT_AGAINST=mlflow")
    return mode


COMPAT_ADMIN = "compat-admin"
COMPAT_PASSWORD = "compat suite password 1"
# The session server's address and the Authorization header the tests' own REST calls add to it.
_session_auth: dict[str, str] = {}


def _sign_in_as_admin(mode: str, store_uri: str) -> None:
    """Create the suite's admin straight in the store and hand the client its credentials."""
    def cairn(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(["node", str(CAIRN_BIN), *args, "--backend-store-uri", store_uri],
                              input=stdin, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"cairn {' '.join(args)} failed ({done.returncode}): {done.stderr}")
        return done.stdout.strip()

    cairn("users", "create", COMPAT_ADMIN, "--admin", "--password-stdin", stdin=COMPAT_PASSWORD + "\n")
    if mode == "basic":
        os.environ["MLFLOW_TRACKING_USERNAME"] = COMPAT_ADMIN
        os.environ["MLFLOW_TRACKING_PASSWORD"] = COMPAT_PASSWORD
        pair = base64.b64encode(f"{COMPAT_ADMIN}:{COMPAT_PASSWORD}".encode()).decode()
        _session_auth["header"] = f"Basic {pair}"
    else:
        token = cairn("tokens", "create", "--user", COMPAT_ADMIN, "--name", "compat-suite")
        os.environ["MLFLOW_TRACKING_TOKEN"] = token
        _session_auth["header"] = f"Bearer {token}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class CairnServer:
    """A running `cairn server`: its base URL, backend name and where it keeps artifacts."""

    url: str
    backend: str
    artifacts: Path
    log_file: Path

    def api(self, path: str) -> str:
        return f"{self.url}/api/2.0/mlflow/{path.lstrip('/')}"

    def log_tail(self, lines: int = 60) -> str:
        return _tail(self.log_file, lines)


class _PostgresCluster:
    """A throwaway PostgreSQL cluster from dist/testing/postgres-cli.js; stops when stdin closes."""

    def __init__(self, log_file: Path):
        if not POSTGRES_CLI.exists():
            raise RuntimeError(f"{POSTGRES_CLI} is missing: build cairn first (npm run build)")
        self._log = open(log_file, "wb")
        self.process = subprocess.Popen(
            ["node", str(POSTGRES_CLI)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            cwd=REPO,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode().strip()
        if not line.startswith("postgresql://"):
            self.process.wait(timeout=30)
            self._log.close()
            raise RuntimeError(f"postgres-cli did not print a URI (got {line!r}):\n{_tail(log_file)}")
        self.uri = line

    def stop(self) -> None:
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait(timeout=30)
        finally:
            self._log.close()


def _stop_process_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _server_command(port: int, store_uri: str, artifacts: Path, auth: bool = False) -> list[str]:
    if _against_reference_mlflow():
        mlflow_cli = Path(sys.executable).parent / "mlflow"
        return [str(mlflow_cli), "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                "--backend-store-uri", store_uri, "--artifacts-destination", str(artifacts)]
    return ["node", str(CAIRN_BIN), "server", "--host", "127.0.0.1", "--port", str(port),
            "--backend-store-uri", store_uri, "--artifacts-destination", str(artifacts), *(["--auth"] if auth else [])]


def _wait_for_health(url: str, process: subprocess.Popen, log_file: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    last_error = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cairn server exited with code {process.returncode} before it was healthy:\n{_tail(log_file)}")
        try:
            response = requests.get(f"{url}/health", timeout=2)
            if response.status_code == 200:
                return
            last_error = f"HTTP {response.status_code}: {response.text[:200]}"
        except requests.RequestException as error:
            last_error = str(error)
        time.sleep(0.2)
    raise RuntimeError(f"cairn server at {url} not healthy after {timeout:.0f} s ({last_error}):\n{_tail(log_file)}")


def pytest_configure(config):
    config.addinivalue_line("markers", "cairn_only: cairn deliberately differs from MLflow here (skipped against the reference server)")


def pytest_collection_modifyitems(config, items):
    if not _against_reference_mlflow():
        return
    skip = pytest.mark.skip(reason="cairn deliberately differs from the reference MLflow server here")
    for item in items:
        if "cairn_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", params=_selected_backends())
def cairn_server(request) -> CairnServer:
    """Start `cairn server` on a fresh SQLite file or a fresh PostgreSQL cluster."""
    if not _against_reference_mlflow() and not (REPO / "dist" / "cli" / "main.js").exists():
        pytest.fail("cairn is not built: run `npm run build` (or `npx tsc -p .`) first", pytrace=False)
    backend = request.param
    workdir = Path(tempfile.mkdtemp(prefix=f"cairn-compat-{backend}-"))
    cluster = None
    server_process = None
    log_file = workdir / "server.log"
    try:
        if backend == "postgres":
            cluster = _PostgresCluster(workdir / "postgres.log")
            store_uri = cluster.uri
        else:
            store_uri = f"sqlite:///{workdir / 'cairn.db'}"
        artifacts = workdir / "artifacts"
        port = _free_port()
        auth = _compat_auth()
        if auth:
            _sign_in_as_admin(auth, store_uri)
        with open(log_file, "wb") as log:
            server_process = subprocess.Popen(
                _server_command(port, store_uri, artifacts, auth=bool(auth)),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=workdir,
                # Its own process group, so stopping it also stops any workers it forked.
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}"
        _session_auth["url"] = url
        _wait_for_health(url, server_process, log_file)
        if auth:
            # The mode proves itself: without credentials the same server refuses.
            anonymous = requests.get(f"{url}/api/2.0/mlflow/experiments/search?max_results=1",
                                     headers={"Authorization": ""}, timeout=10)
            assert anonymous.status_code == 401, f"--auth server answered {anonymous.status_code} without credentials"
        yield CairnServer(url=url, backend=backend, artifacts=artifacts, log_file=log_file)
    finally:
        if server_process is not None:
            _stop_process_group(server_process)
        if os.environ.get("CAIRN_COMPAT_SERVER_LOG") == "1":
            sys.stderr.write(f"\n--- cairn server log ({backend}) ---\n{_tail(log_file, 400)}\n")
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def server(cairn_server: CairnServer) -> CairnServer:
    """Point the mlflow client at this backend's server; leave no active run behind."""
    mlflow.set_tracking_uri(cairn_server.url)
    mlflow.set_registry_uri(cairn_server.url)
    yield cairn_server
    while mlflow.active_run() is not None:
        mlflow.end_run()


@pytest.fixture
def client(server: CairnServer) -> MlflowClient:
    return MlflowClient(tracking_uri=server.url, registry_uri=server.url)


@pytest.fixture
def experiment_id(server: CairnServer) -> str:
    """A fresh experiment, made the active one."""
    return mlflow.set_experiment(unique("exp")).experiment_id


# Every HTTP response with status >= 400 during the current test, as (method, url, status, body):
# when a test fails, these say which request the server got wrong.
_failed_requests: list[tuple[str, str, int, str]] = []
_original_send = requests.adapters.HTTPAdapter.send


def _recording_send(self, request, *args, **kwargs):
    # With CAIRN_COMPAT_AUTH the tests' own REST calls to the session server sign in as the client does.
    header = _session_auth.get("header")
    if header and request.url.startswith(_session_auth["url"] + "/") and "Authorization" not in request.headers:
        request.headers["Authorization"] = header
    response = _original_send(self, request, *args, **kwargs)
    if response.status_code >= 400:
        body = response.content[:600].decode(errors="replace") if not kwargs.get("stream") else "(streamed)"
        _failed_requests.append((request.method, request.url, response.status_code, body))
    return response


requests.adapters.HTTPAdapter.send = _recording_send


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _failed_requests.clear()


def pytest_runtest_makereport(item, call):
    """On failure, attach the HTTP errors seen and the server log tail to the report."""
    if call.when not in ("setup", "call") or call.excinfo is None or call.excinfo.errisinstance(pytest.skip.Exception):
        return
    if _failed_requests:
        lines = [f"{method} {url} -> {status}: {body}" for method, url, status, body in _failed_requests[-8:]]
        item.add_report_section(call.when, "HTTP responses >= 400 (last 8)", "\n".join(lines))
    report_file = os.environ.get("CAIRN_COMPAT_REPORT")
    if report_file:
        error = call.excinfo.exconly().splitlines()[0][:300]
        last = _failed_requests[-1] if _failed_requests else None
        request_line = f"{last[0]} {last[1]} -> {last[2]}: {last[3][:300]}" if last else "(no HTTP error response)"
        with open(report_file, "a") as out:
            out.write(f"{item.nodeid}\n    error: {error}\n    last failed request: {request_line}\n")
    server_fixture = item.funcargs.get("cairn_server") if hasattr(item, "funcargs") else None
    if isinstance(server_fixture, CairnServer):
        item.add_report_section(call.when, "cairn server log (tail)", server_fixture.log_tail(40))
