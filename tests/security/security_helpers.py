"""Starting cairn servers and sending requests byte for byte as written.

Requests go through http.client rather than `requests`: urllib3 removes `../` segments and
re-quotes paths before sending, which would defuse the very payloads this suite replays.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CAIRN_BIN = REPO / "bin" / "cairn"
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def cairn_cli(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run(["node", str(CAIRN_BIN), *args], input=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"cairn {' '.join(args)} failed ({done.returncode}): {done.stderr}"
    return done.stdout


@dataclass
class Server:
    """A running `cairn server` on 127.0.0.1."""

    port: int
    process: subprocess.Popen
    log_file: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, target: str, body: bytes | None = None, headers: dict[str, str] | None = None, token: str | None = None) -> tuple[int, dict[str, str], bytes]:
        """Send `target` exactly as given (no normalisation, no re-quoting); a `host` header replaces the default."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            given = {k.lower(): v for k, v in (headers or {}).items()}
            connection.putrequest(method, target, skip_host="host" in given, skip_accept_encoding=True)
            if token is not None:
                given.setdefault("authorization", f"Bearer {token}")
            if body is not None:
                given.setdefault("content-length", str(len(body)))
            for name, value in given.items():
                connection.putheader(name, value)
            try:
                connection.endheaders(body)
            except (BrokenPipeError, ConnectionResetError):
                # The server may answer (413) and close before reading a large body; its answer is still there to read.
                pass
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def post_json(self, target: str, payload: object, token: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        return self.request("POST", target, json.dumps(payload).encode(), {"content-type": "application/json", **(headers or {})}, token)


def _wait_for_health(server: Server, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"cairn server exited with code {server.process.returncode}:\n{tail(server.log_file)}")
        try:
            status, _headers, _body = server.request("GET", "/health")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"cairn server not healthy after {timeout:.0f} s:\n{tail(server.log_file)}")


def start_server(workdir: Path, artifacts: Path, extra: list[str]) -> Server:
    """`cairn server` on a free loopback port, SQLite in `workdir`, artifacts in `artifacts`."""
    port = free_port()
    log_file = workdir / "server.log"
    with open(log_file, "wb") as log:
        process = subprocess.Popen(
            ["node", str(CAIRN_BIN), "server", "--host", "127.0.0.1", "--port", str(port), "--no-ui",
             "--backend-store-uri", f"sqlite:///{workdir / 'cairn.db'}", "--artifacts-destination", str(artifacts), *extra],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=workdir, start_new_session=True,
        )
    server = Server(port=port, process=process, log_file=log_file)
    _wait_for_health(server)
    return server


def stop_server(server: Server) -> None:
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


def assert_mlflow_error(status: int, headers: dict[str, str], body: bytes, secret: str, allowed: tuple[int, ...] = ()) -> dict:
    """A refusal: a 4xx (one of `allowed` when given) with MLflow's JSON error body, leaking no secret."""
    assert secret.encode() not in body, f"the response carries the sentinel secret: {body[:300]!r}"
    assert b"root:x:0:0" not in body, f"the response carries a passwd file: {body[:300]!r}"
    assert 400 <= status < 500, f"expected a 4xx refusal, got {status}: {body[:300]!r}"
    if allowed:
        assert status in allowed, f"expected one of {allowed}, got {status}: {body[:300]!r}"
    assert headers.get("content-type", "").startswith("application/json"), f"error is not JSON: {headers.get('content-type')} {body[:200]!r}"
    error = json.loads(body)
    assert isinstance(error.get("error_code"), str) and error["error_code"], f"no error_code: {error}"
    assert isinstance(error.get("message"), str) and error["message"], f"no message: {error}"
    return error
