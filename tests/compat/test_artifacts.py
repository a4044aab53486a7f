"""Run artifacts through the artifact proxy: upload, list, download, load."""

from __future__ import annotations

import json
from pathlib import Path

import mlflow
import numpy as np
import pytest
import requests


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_kind_of_artifact_round_trips(server, client, experiment_id, tmp_path):
    single = tmp_path / "notes.md"
    single.write_text("# notes\nbytes: \u00e9\u00e8\n")
    folder = tmp_path / "report"
    (folder / "plots" / "deep").mkdir(parents=True)
    (folder / "summary.txt").write_text("summary")
    (folder / "plots" / "a.csv").write_text("x,y\n1,2\n")
    (folder / "plots" / "deep" / "b.bin").write_bytes(bytes(range(256)) * 40)
    image = (np.arange(16 * 16 * 3) % 256).astype(np.uint8).reshape(16, 16, 3)

    with mlflow.start_run() as run:
        mlflow.log_artifact(str(single))
        mlflow.log_artifact(str(single), artifact_path="copies")
        mlflow.log_artifacts(str(folder), artifact_path="report")
        mlflow.log_dict({"classes": ["setosa", "versicolor"], "n": 2}, "config/params.json")
        mlflow.log_dict({"yaml": True}, "config/params.yaml")
        mlflow.log_text("plain text \u2713", "texts/hello.txt")
        mlflow.log_image(image, artifact_file="images/pattern.png")
    run_id = run.info.run_id

    top = client.list_artifacts(run_id)
    assert [(f.path, f.is_dir) for f in top] == [
        ("config", True),
        ("copies", True),
        ("images", True),
        ("notes.md", False),
        ("report", True),
        ("texts", True),
    ]
    assert next(f for f in top if f.path == "notes.md").file_size == single.stat().st_size
    report = client.list_artifacts(run_id, "report")
    assert [(f.path, f.is_dir) for f in report] == [("report/plots", True), ("report/summary.txt", False)]
    deep = client.list_artifacts(run_id, "report/plots/deep")
    assert [(f.path, f.file_size) for f in deep] == [("report/plots/deep/b.bin", 256 * 40)]

    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/config/params.json") == {"classes": ["setosa", "versicolor"], "n": 2}
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/texts/hello.txt") == "plain text \u2713"
    loaded_image = mlflow.artifacts.load_image(f"runs:/{run_id}/images/pattern.png")
    assert np.array_equal(np.asarray(loaded_image), image)

    downloaded = Path(mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=str(tmp_path / "all")))
    files = _tree(downloaded)
    assert files["notes.md"] == single.read_bytes()
    assert files["copies/notes.md"] == single.read_bytes()
    for relative, content in _tree(folder).items():
        assert files[f"report/{relative}"] == content
    assert json.loads(files["config/params.json"]) == {"classes": ["setosa", "versicolor"], "n": 2}
    assert b"yaml: true" in files["config/params.yaml"]
    assert files["images/pattern.png"].startswith(b"\x89PNG")

    only_report = Path(client.download_artifacts(run_id, "report", str(tmp_path / "just-report")))
    assert _tree(only_report) == _tree(folder)
    one_file = Path(client.download_artifacts(run_id, "report/plots/a.csv", str(tmp_path / "one")))
    assert one_file.read_text() == "x,y\n1,2\n"


def test_artifacts_land_under_the_artifacts_destination(server, client, experiment_id):
    with mlflow.start_run() as run:
        mlflow.log_text("on disk", "where/am/i.txt")
    expected = server.artifacts / experiment_id / run.info.run_id / "artifacts" / "where" / "am" / "i.txt"
    assert expected.read_text() == "on disk"


def test_artifact_proxy_raw_http(server, experiment_id):
    base = f"{server.url}/api/2.0/mlflow-artifacts/artifacts"
    path = f"{experiment_id}/raw-check/artifacts"
    put = requests.put(f"{base}/{path}/dir/data.json", data=b'{"a": 1}', headers={"Content-Type": "application/json"})
    assert put.status_code == 200, put.text
    got = requests.get(f"{base}/{path}/dir/data.json")
    assert got.status_code == 200
    assert got.content == b'{"a": 1}'
    listing = requests.get(base, params={"path": f"{path}/dir"})
    assert listing.status_code == 200
    assert listing.json() == {"files": [{"path": "data.json", "is_dir": False, "file_size": 8}]}
    assert requests.get(base, params={"path": f"{path}/nothing-here"}).json().get("files", []) == []
    escape = requests.get(f"{base}/{path}/..%2F..%2F..%2Fetc%2Fpasswd")
    assert escape.status_code in (400, 403, 404)
    assert b"root:" not in escape.content


@pytest.mark.cairn_only
def test_missing_artifact_is_404_not_500(server, experiment_id):
    # MLflow answers 500 here, which the client retries for minutes; cairn answers 404.
    response = requests.get(f"{server.url}/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/nothing/artifacts/absent.json")
    assert response.status_code == 404


def test_large_binary_artifact_round_trips_intact(server, client, experiment_id, tmp_path):
    payload = np.random.default_rng(7).bytes(6 * 1024 * 1024)
    source = tmp_path / "weights.bin"
    source.write_bytes(payload)
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(source), artifact_path="big")
    [entry] = client.list_artifacts(run.info.run_id, "big")
    assert entry.file_size == len(payload)
    downloaded = Path(client.download_artifacts(run.info.run_id, "big/weights.bin", str(tmp_path / "out")))
    assert downloaded.read_bytes() == payload
