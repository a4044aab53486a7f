"""Fixtures for the CVE regression suite.

Each server runs from dist/ on a fresh SQLite file, with its artifact root inside a sandbox folder
that also holds sentinel files *outside* the root (a secret next to the root, a folder of secrets,
symlinks planted inside the root that point at them). After every test the sandbox is compared
with a snapshot taken before the first request: nothing outside the root may be read into a
response, written, created or deleted. A loopback HTTP listener counts any request the server makes
to it (SSRF): it must stay at zero.

Run from the repo root after building: .venv/bin/python -m pytest -c tests/pytest.ini tests/security
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from security_helpers import PASSWORD, REPO, Server, cairn_cli, start_server, stop_server

SECRET = f"CAIRN-SENTINEL-{uuid.uuid4().hex}"


@dataclass
class Sandbox:
    """The folder around the artifact root: what must never change, and what the server owns."""

    base: Path
    root: Path
    secret: str
    snapshot: dict[str, tuple[str, int, bytes | str]] = field(default_factory=dict)

    def outside_entries(self) -> dict[str, tuple[str, int, bytes | str]]:
        """Every entry outside the server's own folders: kind, mtime and content (or link target)."""
        entries: dict[str, tuple[str, int, bytes | str]] = {}
        for folder, dirs, files in os.walk(self.base, followlinks=False):
            here = Path(folder)
            if here == self.base:
                dirs[:] = [d for d in dirs if d not in ("root", "run")]
            for name in dirs + files:
                path = here / name
                stat = path.lstat()
                rel = str(path.relative_to(self.base))
                if path.is_symlink():
                    entries[rel] = ("link", stat.st_mtime_ns, os.readlink(path))
                elif path.is_dir():
                    entries[rel] = ("dir", stat.st_mtime_ns, b"")
                else:
                    entries[rel] = ("file", stat.st_mtime_ns, path.read_bytes())
        return entries

    def planted_links(self) -> dict[str, tuple[str, int, bytes | str]]:
        """The symlinks planted inside the root: they must still be there, unchanged."""
        links: dict[str, tuple[str, int, bytes | str]] = {}
        for folder, dirs, files in os.walk(self.root, followlinks=False):
            for name in dirs + files:
                path = Path(folder) / name
                if path.is_symlink():
                    links[str(path.relative_to(self.base))] = ("link", 0, os.readlink(path))
        return links


def _make_sandbox(prefix: str) -> Sandbox:
    base = Path(tempfile.mkdtemp(prefix=prefix))
    root = base / "root"
    outside = base / "outside"
    (outside / "folder").mkdir(parents=True)
    root.mkdir()
    (base / "run").mkdir()
    (base / "secret.txt").write_text(SECRET)
    (outside / "secret.txt").write_text(SECRET)
    (outside / "folder" / "secret.txt").write_text(SECRET)
    (outside / "passwd").write_text(f"root:x:0:0:{SECRET}:/root:/bin/sh\n")
    # Symlinks planted in the artifact root by someone with shell access (CVE-2023-6977's shape).
    (root / "planted-dir").symlink_to(outside)
    (root / "planted-file.txt").symlink_to(outside / "secret.txt")
    (root / "planted-root").symlink_to("/")
    return Sandbox(base=base, root=root, secret=SECRET)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Counts every request made to it; the server must never reach it (SSRF canary)."""

    hits: list[str] = []

    def _record(self) -> None:
        type(self).hits.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.end_headers()

    do_GET = do_POST = do_PUT = do_DELETE = _record  # noqa: N815

    def log_message(self, format, *args):  # noqa: A002
        return


@pytest.fixture(scope="session")
def canary():
    """A loopback HTTP listener standing for internal services: it records any request made to it."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    assert _Recorder.hits == [], f"the server made requests to a loopback service: {_Recorder.hits}"


@pytest.fixture(scope="session")
def sandbox():
    box = _make_sandbox("cairn-security-")
    box.snapshot = {**box.outside_entries(), **box.planted_links()}
    yield box
    shutil.rmtree(box.base, ignore_errors=True)


@pytest.fixture(scope="session")
def server(sandbox):
    """A cairn server with authentication off (loopback), a 1 MB body limit, and the sandboxed root."""
    if not (REPO / "dist" / "cli" / "main.js").exists():
        pytest.fail("cairn is not built: run `npx tsc -p .` first", pytrace=False)
    running = start_server(sandbox.base / "run", sandbox.root, ["--body-limit", str(1024 * 1024)])
    yield running
    stop_server(running)


@dataclass
class AuthServer(Server):
    admin: str = ""
    member: str = ""
    viewer: str = ""


@pytest.fixture(scope="session")
def auth_server():
    """A cairn server with authentication on: an admin, a member and a viewer, each with a token."""
    box = _make_sandbox("cairn-security-auth-")
    store = f"sqlite:///{box.base / 'run' / 'cairn.db'}"
    tokens = {}
    for name, role in (("alice", "admin"), ("mallory", "member"), ("victor", "viewer")):
        cairn_cli("users", "create", name, "--role", role, "--password-stdin", "--backend-store-uri", store, stdin=PASSWORD + "\n")
        tokens[role] = cairn_cli("tokens", "create", "--user", name, "--name", "security", "--backend-store-uri", store).strip()
    running = start_server(box.base / "run", box.root, ["--auth"])
    yield AuthServer(**running.__dict__, admin=tokens["admin"], member=tokens["member"], viewer=tokens["viewer"])
    stop_server(running)
    shutil.rmtree(box.base, ignore_errors=True)


@pytest.fixture(autouse=True)
def nothing_outside_changed(request, sandbox):
    """After each test: every sentinel and planted link is exactly as it was, and nothing new appeared."""
    yield
    now = {**sandbox.outside_entries(), **sandbox.planted_links()}
    added = sorted(set(now) - set(sandbox.snapshot))
    removed = sorted(set(sandbox.snapshot) - set(now))
    changed = sorted(k for k in now.keys() & sandbox.snapshot.keys() if now[k] != sandbox.snapshot[k])
    assert (added, removed, changed) == ([], [], []), f"outside the artifact root: added {added}, removed {removed}, changed {changed}"


@dataclass
class World:
    """Resources the attacks aim at: two experiments with a run each, a registered model."""

    run_id: str
    experiment_id: str
    other_run_id: str
    other_experiment_id: str
    model: str
    run_folder: Path


@pytest.fixture(scope="session")
def world(server, sandbox) -> World:
    def post(path: str, body: dict) -> dict:
        status, _headers, raw = server.request("POST", f"/api/2.0/mlflow/{path}", body=json.dumps(body).encode(), headers={"content-type": "application/json"})
        assert status == 200, f"{path}: {status} {raw[:300]!r}"
        return json.loads(raw)

    experiment_id = post("experiments/create", {"name": f"victim-{uuid.uuid4().hex[:8]}"})["experiment_id"]
    other_experiment_id = post("experiments/create", {"name": f"other-{uuid.uuid4().hex[:8]}"})["experiment_id"]
    run_id = post("runs/create", {"experiment_id": experiment_id})["run"]["info"]["run_id"]
    other_run_id = post("runs/create", {"experiment_id": other_experiment_id})["run"]["info"]["run_id"]
    for exp, run in ((experiment_id, run_id), (other_experiment_id, other_run_id)):
        status, _h, raw = server.request("PUT", f"/api/2.0/mlflow-artifacts/artifacts/{exp}/{run}/artifacts/model/MLmodel", body=b"flavors: {}\n")
        assert status == 200, raw
    run_folder = sandbox.root / experiment_id / run_id / "artifacts"
    assert (run_folder / "model" / "MLmodel").is_file(), f"unexpected artifact layout under {sandbox.root}"
    # Links planted inside a run's own folder, so run-relative routes meet them too.
    (run_folder / "link").symlink_to(sandbox.base / "outside")
    (run_folder / "link-file.txt").symlink_to(sandbox.base / "secret.txt")
    sandbox.snapshot.update(sandbox.planted_links())
    model = f"model-{uuid.uuid4().hex[:8]}"
    post("registered-models/create", {"name": model})
    post("model-versions/create", {"name": model, "source": f"runs:/{run_id}/model", "run_id": run_id})
    return World(run_id=run_id, experiment_id=experiment_id, other_run_id=other_run_id, other_experiment_id=other_experiment_id, model=model, run_folder=run_folder)

