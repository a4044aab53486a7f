"""Drive one MLflow-compatible tracking server with the official MLflow client and time it.

Usage: tracking_client.py --tracking-uri http://127.0.0.1:5000 --scale small|full
                          --artifact-file /tmp/x/blob.bin [--phases a,b,...]

Progress goes to stderr as lines `@phase <name> start` / `@phase <name> end <seconds>` (the Node
driver reads them to know which phase the server's memory belongs to); the figures go to stdout
as one JSON object on the last line. The same script runs against MLflow's own server and cairn,
so both are measured through exactly the same client code paths.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Read by the client when it makes requests; set before mlflow is imported.
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ.setdefault("DO_NOT_TRACK", "true")
# Synchronous logging is what the log_metric loop measures.
os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"] = "false"
# A 1 GiB upload to a slow server must not hit the client's default 120 s timeout.
os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "1800")
# The seeding threads share the client's connection pool; give each thread a connection.
os.environ.setdefault("MLFLOW_HTTP_POOL_MAXSIZE", "32")
for name in ("MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_TRACKING_URI", "MLFLOW_RUN_ID"):
    os.environ.pop(name, None)

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Metric, Param, RunTag  # noqa: E402

SCALES = {
    "small": {
        "log_metric_calls": 300,
        "batch10_calls": 200,
        "batch1000_calls": 20,
        "search_runs": 2_000,
        "search_repeats": 5,
        "pandas_repeats": 2,
        "history_points": 100_000,
        "history_repeats": 2,
        "artifact_bytes": 50 * 2**20,
        "download_repeats": 2,
    },
    "full": {
        "log_metric_calls": 2_000,
        "batch10_calls": 1_000,
        "batch1000_calls": 100,
        "search_runs": 25_000,
        "search_repeats": 7,
        "pandas_repeats": 3,
        "history_points": 1_000_000,
        "history_repeats": 3,
        "artifact_bytes": 2**30,
        "download_repeats": 3,
    },
}
PHASES = ("log_metric", "log_batch_10", "log_batch_1000", "search_runs", "metric_history", "artifacts")
SEED_THREADS = 8
SEARCH_FILTER = "metrics.acc > 0.5 and params.model = 'a'"
SEARCH_ORDER = ["metrics.acc DESC"]


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class Phase:
    """Marks a phase on stderr for the driver, and keeps its wall time."""

    def __init__(self, name: str):
        self.name = name
        self.seconds = 0.0

    def __enter__(self) -> "Phase":
        say(f"@phase {self.name} start")
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.started
        say(f"@phase {self.name} end {self.seconds:.2f}")


def now_ms() -> int:
    return int(time.time() * 1000)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def in_threads(count: int, work, threads: int = SEED_THREADS) -> None:
    """Run work(i) for i in range(count) on a thread pool; any failure stops the benchmark."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(work, i) for i in range(count)]:
            future.result()


def bench_log_metric(client: MlflowClient, experiment_id: str, calls: int) -> dict:
    with mlflow.start_run(experiment_id=experiment_id, run_name="log-metric-loop"):
        for step in range(10):  # warm-up: connection set-up and first-request costs
            mlflow.log_metric("warmup", step * 0.5, step=step)
        started = time.perf_counter()
        for step in range(calls):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        seconds = time.perf_counter() - started
    return {"calls": calls, "seconds": seconds, "calls_per_s": calls / seconds}


def bench_log_batch(client: MlflowClient, experiment_id: str, calls: int, size: int) -> dict:
    run_id = client.create_run(experiment_id, run_name=f"log-batch-{size}").info.run_id
    keys = [f"m{k}" for k in range(min(size, 100))]
    per_key = max(1, size // len(keys))

    def batch(call: int) -> list[Metric]:
        stamp = now_ms()
        # Distinct (key, step) pairs in every call, as a training loop logging many series would.
        return [
            Metric(keys[j % len(keys)], random.random(), stamp, call * per_key + j // len(keys))
            for j in range(size)
        ]

    client.log_batch(run_id, metrics=batch(-1))  # warm-up
    payloads = [batch(call) for call in range(calls)]  # built outside the timed loop
    started = time.perf_counter()
    for metrics in payloads:
        client.log_batch(run_id, metrics=metrics)
    seconds = time.perf_counter() - started
    client.set_terminated(run_id)
    return {
        "calls": calls,
        "seconds": seconds,
        "calls_per_s": calls / seconds,
        "metrics_per_s": calls * size / seconds,
    }


def seed_runs(client: MlflowClient, experiment_id: str, count: int) -> float:
    rng = random.Random(7)
    plans = [
        (rng.choice("abcd"), rng.random(), rng.random(), rng.choice([16, 32, 64, 128])) for _ in range(count)
    ]

    def one(i: int) -> None:
        model, acc, loss, width = plans[i]
        run_id = client.create_run(experiment_id, run_name=f"seed-{i}").info.run_id
        stamp = now_ms()
        client.log_batch(
            run_id,
            metrics=[Metric("acc", acc, stamp, 0), Metric("loss", loss, stamp, 0)],
            params=[Param("model", model), Param("lr", str(0.001 * (i % 10 + 1))), Param("width", str(width))],
            tags=[RunTag("team", "bench"), RunTag("seed_index", str(i))],
        )
        if i % 1000 == 999:
            say(f"  seeded {i + 1} / {count} runs")

    return timed(lambda: in_threads(count, one))


def bench_search_runs(client: MlflowClient, scale: dict) -> dict:
    experiment_id = client.create_experiment(f"bench-search-{now_ms()}")
    count = scale["search_runs"]
    seed_seconds = seed_runs(client, experiment_id, count)
    say(f"  seeded {count} runs in {seed_seconds:.1f} s")

    def filtered() -> int:
        return len(
            client.search_runs([experiment_id], filter_string=SEARCH_FILTER, order_by=SEARCH_ORDER, max_results=1000)
        )

    matched = filtered()  # warm-up, and the count we report
    filtered_ms = [timed(filtered) * 1000 for _ in range(scale["search_repeats"])]
    frames: list[int] = []

    def pandas_all() -> None:
        frames.append(len(mlflow.search_runs(experiment_ids=[experiment_id])))

    pandas_ms = [timed(pandas_all) * 1000 for _ in range(scale["pandas_repeats"])]
    if frames and frames[-1] != count:
        raise RuntimeError(f"mlflow.search_runs returned {frames[-1]} runs, expected {count}")
    return {
        "runs": count,
        "seed_seconds": seed_seconds,
        "seed_runs_per_s": count / seed_seconds,
        "filtered_matched": matched,
        "filtered_ms_median": statistics.median(filtered_ms),
        "filtered_ms_all": filtered_ms,
        "pandas_rows": frames[-1] if frames else 0,
        "pandas_ms_median": statistics.median(pandas_ms),
        "pandas_ms_all": pandas_ms,
    }


def bench_metric_history(client: MlflowClient, experiment_id: str, scale: dict) -> dict:
    points = scale["history_points"]
    run_id = client.create_run(experiment_id, run_name="metric-history").info.run_id
    stamp = now_ms()

    def chunk(i: int) -> None:
        first = i * 1000
        last = min(points, first + 1000)
        client.log_batch(run_id, metrics=[Metric("curve", step * 1e-6, stamp + step, step) for step in range(first, last)])

    seed_seconds = timed(lambda: in_threads((points + 999) // 1000, chunk, threads=4))
    say(f"  seeded {points} points in {seed_seconds:.1f} s")
    lengths: list[int] = []
    history_ms = [
        timed(lambda: lengths.append(len(client.get_metric_history(run_id, "curve")))) * 1000
        for _ in range(scale["history_repeats"])
    ]
    if lengths[-1] != points:
        raise RuntimeError(f"get_metric_history returned {lengths[-1]} points, expected {points}")
    median = statistics.median(history_ms)
    return {
        "points": points,
        "seed_seconds": seed_seconds,
        "seed_points_per_s": points / seed_seconds,
        "ms_median": median,
        "ms_all": history_ms,
        "points_per_s": points / (median / 1000),
    }


def ensure_artifact_file(path: Path, size: int) -> str:
    """Random bytes (so nothing on the way can compress them), made once and reused by every server."""
    digest_file = path.with_name(path.name + ".sha256")
    if path.exists() and path.stat().st_size == size and digest_file.exists():
        return digest_file.read_text().strip()
    say(f"  generating {size / 2**20:.0f} MiB of random bytes at {path}")
    digest = hashlib.sha256()
    block = 8 * 2**20
    with open(path, "wb") as out:
        remaining = size
        while remaining > 0:
            data = os.urandom(min(block, remaining))
            digest.update(data)
            out.write(data)
            remaining -= len(data)
    digest_file.write_text(digest.hexdigest())
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while data := f.read(8 * 2**20):
            digest.update(data)
    return digest.hexdigest()


def bench_artifacts(experiment_id: str, file: Path, size: int, repeats: int) -> dict:
    expected = ensure_artifact_file(file, size)
    megabytes = size / 1e6
    with mlflow.start_run(experiment_id=experiment_id, run_name="artifact") as run:
        with Phase("artifact_upload") as upload:
            mlflow.log_artifact(str(file))
    download_seconds = []
    with Phase("artifact_download"):
        for _ in range(repeats):
            # The download writes 1 GiB to the same disk the upload just filled: flush the
            # upload's dirty pages first, or the figure measures the kernel's writeback instead
            # of the server (a slow server's upload would have had its pages flushed already).
            os.sync()
            with tempfile.TemporaryDirectory(prefix="cairn-bench-download-") as target:
                started = time.perf_counter()
                local = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path=file.name, dst_path=target)
                download_seconds.append(time.perf_counter() - started)
                if sha256_of(Path(local)) != expected:
                    raise RuntimeError("the downloaded artifact differs from the uploaded file")
    median = statistics.median(download_seconds)
    return {
        "bytes": size,
        "upload_seconds": upload.seconds,
        "upload_mb_per_s": megabytes / upload.seconds,
        "download_seconds": median,
        "download_seconds_all": download_seconds,
        "download_mb_per_s": megabytes / median,
        "verified_sha256": True,
    }


def run_phase(name: str, client: MlflowClient, experiment_id: str, scale: dict, artifact_file: Path) -> dict:
    if name == "log_metric":
        return bench_log_metric(client, experiment_id, scale["log_metric_calls"])
    if name == "log_batch_10":
        return bench_log_batch(client, experiment_id, scale["batch10_calls"], 10)
    if name == "log_batch_1000":
        return bench_log_batch(client, experiment_id, scale["batch1000_calls"], 1000)
    if name == "search_runs":
        return bench_search_runs(client, scale)
    if name == "metric_history":
        return bench_metric_history(client, experiment_id, scale)
    return bench_artifacts(experiment_id, artifact_file, scale["artifact_bytes"], scale["download_repeats"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--artifact-file", required=True, help="where the random artifact lives (made if missing)")
    parser.add_argument("--phases", default=",".join(PHASES))
    args = parser.parse_args()
    scale = SCALES[args.scale]
    phases = [p for p in args.phases.split(",") if p]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases {sorted(unknown)}; choose from {PHASES}")

    mlflow.set_tracking_uri(args.tracking_uri)
    client = MlflowClient(args.tracking_uri)
    experiment_id = client.create_experiment(f"bench-{now_ms()}-{threading.get_ident()}")
    results: dict = {"scale": args.scale, "mlflow_client": mlflow.__version__}
    for name in phases:
        try:
            with Phase(name):
                results[name] = run_phase(name, client, experiment_id, scale, Path(args.artifact_file))
        except Exception as error:  # one phase failing (e.g. a timeout) must not lose the others' figures
            say(f"  {name} failed: {error!r}")
            results[name] = {"error": repr(error)}
            continue
        say(f"@result {name} {json.dumps(results[name])}")
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
