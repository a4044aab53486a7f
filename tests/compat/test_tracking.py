"""Experiments, runs, params, metrics, tags and datasets through the official MLflow client."""

from __future__ import annotations

import math
import time

import mlflow
import pandas as pd
import pytest
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException

from compat_helpers import unique


def test_set_experiment_creates_once_and_reuses(server, client):
    name = unique("exp")
    first = mlflow.set_experiment(name)
    again = mlflow.set_experiment(name)
    assert first.experiment_id == again.experiment_id
    assert first.name == name
    assert first.lifecycle_stage == "active"
    assert first.artifact_location.startswith("mlflow-artifacts:/")
    assert client.get_experiment_by_name(name).experiment_id == first.experiment_id
    assert client.get_experiment(first.experiment_id).name == name
    assert client.get_experiment_by_name(unique("missing")) is None


def test_default_experiment_exists(server, client):
    default = client.get_experiment("0")
    assert default.name == "Default"


def test_run_with_params_metrics_and_tags(server, client, experiment_id):
    with mlflow.start_run(run_name="first-run") as run:
        mlflow.log_param("alpha", 0.5)
        mlflow.log_param("empty", "")
        mlflow.log_metric("loss", 1.0, step=0)
        mlflow.log_metric("loss", 0.25, step=1)
        mlflow.set_tag("team", "vision")
        run_id = run.info.run_id
        assert run.info.status == "RUNNING"
        assert run.info.artifact_uri == f"mlflow-artifacts:/{experiment_id}/{run_id}/artifacts"

    fetched = client.get_run(run_id)
    assert fetched.info.run_name == "first-run"
    assert fetched.info.experiment_id == experiment_id
    assert fetched.info.status == "FINISHED"
    assert fetched.info.end_time is not None and fetched.info.end_time >= fetched.info.start_time
    assert fetched.info.lifecycle_stage == "active"
    assert fetched.data.params == {"alpha": "0.5", "empty": ""}
    assert fetched.data.metrics == {"loss": 0.25}
    assert fetched.data.tags["team"] == "vision"
    assert fetched.data.tags["mlflow.runName"] == "first-run"
    assert "mlflow.user" in fetched.data.tags
    assert "mlflow.source.name" in fetched.data.tags


def test_run_gets_a_generated_name_when_none_is_given(server, client, experiment_id):
    with mlflow.start_run() as run:
        pass
    fetched = client.get_run(run.info.run_id)
    assert fetched.info.run_name
    assert fetched.data.tags["mlflow.runName"] == fetched.info.run_name


def test_exception_in_run_marks_it_failed(server, client, experiment_id):
    with pytest.raises(RuntimeError):
        with mlflow.start_run() as run:
            raise RuntimeError("training blew up")
    assert client.get_run(run.info.run_id).info.status == "FAILED"


def test_nested_runs_record_their_parent(server, client, experiment_id):
    with mlflow.start_run(run_name="parent") as parent:
        with mlflow.start_run(run_name="child-a", nested=True) as child_a:
            mlflow.log_metric("fold_score", 0.7)
        with mlflow.start_run(run_name="child-b", nested=True) as child_b:
            mlflow.log_metric("fold_score", 0.9)
    for child in (child_a, child_b):
        assert client.get_run(child.info.run_id).data.tags["mlflow.parentRunId"] == parent.info.run_id
    children = mlflow.search_runs(
        experiment_ids=[experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{parent.info.run_id}'",
        order_by=["metrics.fold_score DESC"],
        output_format="list",
    )
    assert [r.info.run_id for r in children] == [child_b.info.run_id, child_a.info.run_id]


def test_fluent_batches(server, client, experiment_id):
    params = {f"p{i}": str(i) for i in range(150)}  # more than the client's 100-per-request chunk
    with mlflow.start_run() as run:
        mlflow.log_metrics({"acc": 0.9, "f1": 0.8}, step=3)
        mlflow.log_params(params)
        mlflow.set_tags({"stage": "dev", "owner": "ana"})
    data = client.get_run(run.info.run_id).data
    assert data.metrics == {"acc": 0.9, "f1": 0.8}
    assert data.params == params
    assert data.tags["stage"] == "dev" and data.tags["owner"] == "ana"
    history = client.get_metric_history(run.info.run_id, "acc")
    assert [(m.step, m.value) for m in history] == [(3, 0.9)]


def test_client_log_batch(server, client, experiment_id):
    run = client.create_run(experiment_id, run_name="batch")
    now = int(time.time() * 1000)
    client.log_batch(
        run.info.run_id,
        metrics=[Metric("m", float(i), now + i, i) for i in range(10)],
        params=[Param("lr", "0.01"), Param("optimizer", "adam")],
        tags=[RunTag("phase", "batch")],
    )
    client.set_terminated(run.info.run_id)
    fetched = client.get_run(run.info.run_id)
    assert fetched.data.metrics == {"m": 9.0}
    assert fetched.data.params == {"lr": "0.01", "optimizer": "adam"}
    assert fetched.data.tags["phase"] == "batch"
    assert fetched.info.status == "FINISHED"
    history = client.get_metric_history(run.info.run_id, "m")
    assert [(m.step, m.value, m.timestamp) for m in history] == [(i, float(i), now + i) for i in range(10)]


def test_relogging_the_same_param_value_is_fine_but_changing_it_is_not(server, client, experiment_id):
    with mlflow.start_run() as run:
        mlflow.log_param("depth", 3)
        mlflow.log_param("depth", 3)
        with pytest.raises(MlflowException) as caught:
            mlflow.log_param("depth", 4)
        assert caught.value.error_code == "INVALID_PARAMETER_VALUE"
    assert client.get_run(run.info.run_id).data.params == {"depth": "3"}


def test_nan_and_infinite_metrics_round_trip(server, client, experiment_id):
    with mlflow.start_run() as run:
        mlflow.log_metric("nan", float("nan"))
        mlflow.log_metric("inf", float("inf"))
        mlflow.log_metric("neg_inf", float("-inf"))
    metrics = client.get_run(run.info.run_id).data.metrics
    assert math.isnan(metrics["nan"])
    assert metrics["inf"] > 1e308
    assert metrics["neg_inf"] < -1e308


def test_metric_history_keeps_every_step_and_latest_is_highest_step(server, client, experiment_id):
    with mlflow.start_run() as run:
        for step, value in [(2, 0.2), (0, 0.0), (5, 0.5), (1, 0.1)]:
            mlflow.log_metric("curve", value, step=step)
    history = client.get_metric_history(run.info.run_id, "curve")
    assert sorted((m.step, m.value) for m in history) == [(0, 0.0), (1, 0.1), (2, 0.2), (5, 0.5)]
    assert client.get_run(run.info.run_id).data.metrics["curve"] == 0.5
    assert client.get_metric_history(run.info.run_id, "never-logged") == []


def test_metric_history_longer_than_one_page(server, client, experiment_id):
    # The client asks for 25,000 points per page and follows next_page_token.
    points = 25_500
    run = client.create_run(experiment_id)
    now = int(time.time() * 1000)
    client.log_batch(run.info.run_id, metrics=[Metric("long", i * 0.5, now + i, i) for i in range(points)])
    history = client.get_metric_history(run.info.run_id, "long")
    assert len(history) == points
    assert sorted(m.step for m in history) == list(range(points))
    assert {m.step: m.value for m in history}[points - 1] == (points - 1) * 0.5


def test_log_input_dataset_from_pandas(server, client, experiment_id):
    df = pd.DataFrame({"x1": [1.0, 2.0, 3.0], "x2": [0.1, 0.2, 0.3], "label": [0, 1, 0]})
    dataset = mlflow.data.from_pandas(df, name="train-set", targets="label")
    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    logged = inputs[0].dataset
    assert logged.name == "train-set"
    assert logged.digest == dataset.digest
    assert logged.source_type == "code"
    assert logged.profile == dataset.to_dict()["profile"]
    assert "x1" in logged.schema and "label" in logged.schema
    assert {t.key: t.value for t in inputs[0].tags}["mlflow.data.context"] == "training"
    found = mlflow.search_runs(
        experiment_ids=[experiment_id], filter_string="dataset.name = 'train-set'", output_format="list"
    )
    assert [r.info.run_id for r in found] == [run.info.run_id]


def test_update_run_name(server, client, experiment_id):
    with mlflow.start_run(run_name="before") as run:
        pass
    client.update_run(run.info.run_id, name="after")
    fetched = client.get_run(run.info.run_id)
    assert fetched.info.run_name == "after"
    assert fetched.data.tags["mlflow.runName"] == "after"
    client.set_tag(run.info.run_id, "mlflow.runName", "via-tag")
    assert client.get_run(run.info.run_id).info.run_name == "via-tag"


def test_delete_tag(server, client, experiment_id):
    with mlflow.start_run() as run:
        mlflow.set_tag("temporary", "yes")
    client.delete_tag(run.info.run_id, "temporary")
    assert "temporary" not in client.get_run(run.info.run_id).data.tags


def test_delete_and_restore_run(server, client, experiment_id):
    with mlflow.start_run() as keep:
        pass
    with mlflow.start_run() as gone:
        pass
    client.delete_run(gone.info.run_id)
    assert client.get_run(gone.info.run_id).info.lifecycle_stage == "deleted"
    active = mlflow.search_runs(experiment_ids=[experiment_id], output_format="list")
    assert [r.info.run_id for r in active] == [keep.info.run_id]
    every = mlflow.search_runs(experiment_ids=[experiment_id], run_view_type=ViewType.ALL, output_format="list")
    assert {r.info.run_id for r in every} == {keep.info.run_id, gone.info.run_id}
    deleted = mlflow.search_runs(experiment_ids=[experiment_id], run_view_type=ViewType.DELETED_ONLY, output_format="list")
    assert [r.info.run_id for r in deleted] == [gone.info.run_id]
    client.restore_run(gone.info.run_id)
    assert client.get_run(gone.info.run_id).info.lifecycle_stage == "active"
    assert len(mlflow.search_runs(experiment_ids=[experiment_id], output_format="list")) == 2


def test_delete_and_restore_experiment(server, client):
    prefix = unique("lifecycle")
    kept = client.create_experiment(f"{prefix}-kept")
    doomed = client.create_experiment(f"{prefix}-doomed")
    run = client.create_run(doomed)
    client.delete_experiment(doomed)
    assert client.get_experiment(doomed).lifecycle_stage == "deleted"
    assert client.get_experiment_by_name(f"{prefix}-doomed").lifecycle_stage == "deleted"
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    query = f"name LIKE '{prefix}%'"
    assert [e.experiment_id for e in mlflow.search_experiments(filter_string=query)] == [kept]
    every = mlflow.search_experiments(filter_string=query, view_type=ViewType.ALL)
    assert {e.experiment_id for e in every} == {kept, doomed}
    only_deleted = mlflow.search_experiments(filter_string=query, view_type=ViewType.DELETED_ONLY)
    assert [e.experiment_id for e in only_deleted] == [doomed]
    with pytest.raises(MlflowException):
        client.create_experiment(f"{prefix}-doomed")  # names stay taken while deleted
    client.restore_experiment(doomed)
    assert client.get_experiment(doomed).lifecycle_stage == "active"
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "active"
    assert len(mlflow.search_experiments(filter_string=query)) == 2


def test_rename_experiment_and_experiment_tags(server, client):
    experiment_id = client.create_experiment(unique("old"), tags={"created_by": "test"})
    new_name = unique("new")
    client.rename_experiment(experiment_id, new_name)
    client.set_experiment_tag(experiment_id, "purpose", "compat")
    experiment = client.get_experiment(experiment_id)
    assert experiment.name == new_name
    assert experiment.tags["purpose"] == "compat"
    assert experiment.tags["created_by"] == "test"
    assert client.get_experiment_by_name(new_name).experiment_id == experiment_id
    client.delete_experiment_tag(experiment_id, "purpose")
    assert "purpose" not in client.get_experiment(experiment_id).tags


def test_async_logging_lands_everything(server, client, experiment_id):
    with mlflow.start_run() as run:
        operations = [mlflow.log_metric("async_metric", float(i), step=i, synchronous=False) for i in range(50)]
        operations.append(mlflow.log_param("async_param", "yes", synchronous=False))
        operations.append(mlflow.set_tag("async_tag", "yes", synchronous=False))
        for operation in operations:
            operation.wait()
    fetched = client.get_run(run.info.run_id)
    assert fetched.data.metrics["async_metric"] == 49.0
    assert fetched.data.params["async_param"] == "yes"
    assert fetched.data.tags["async_tag"] == "yes"
    assert len(client.get_metric_history(run.info.run_id, "async_metric")) == 50


def test_unicode_and_long_values_round_trip(server, client, experiment_id):
    long_value = "x" * 6000
    with mlflow.start_run() as run:
        mlflow.log_param("naïve-κλειδί", "värde ✓")
        mlflow.log_param("long", long_value)
        mlflow.set_tag("emoji", "🚀 launch")
        mlflow.log_metric("tiny", 1e-300)
        mlflow.log_metric("huge", 1.5e300)
        mlflow.log_metric("negative", -42.125)
    data = client.get_run(run.info.run_id).data
    assert data.params["naïve-κλειδί"] == "värde ✓"
    assert data.params["long"] == long_value
    assert data.tags["emoji"] == "🚀 launch"
    assert data.metrics == {"tiny": 1e-300, "huge": 1.5e300, "negative": -42.125}


def test_deleted_experiment_cannot_be_set_but_its_runs_can_be_read(server, client):
    name = unique("gone")
    experiment_id = client.create_experiment(name)
    run = client.create_run(experiment_id)
    client.log_param(run.info.run_id, "kept", "1")
    client.delete_experiment(experiment_id)
    with pytest.raises(MlflowException):
        mlflow.set_experiment(name)
    fetched = client.get_run(run.info.run_id)
    assert fetched.info.lifecycle_stage == "deleted"
    assert fetched.data.params == {"kept": "1"}
    with pytest.raises(MlflowException):
        client.create_run(experiment_id)


def test_concurrent_clients_all_land(server, client, experiment_id):
    from concurrent.futures import ThreadPoolExecutor

    def train(worker: int) -> str:
        run = client.create_run(experiment_id, run_name=f"worker-{worker}")
        now = int(time.time() * 1000)
        client.log_batch(
            run.info.run_id,
            metrics=[Metric("loss", 1.0 / (step + 1), now + step, step) for step in range(200)],
            params=[Param("worker", str(worker))],
        )
        for step in range(20):
            client.log_metric(run.info.run_id, "acc", step / 20, step=step)
        client.set_terminated(run.info.run_id)
        return run.info.run_id

    with ThreadPoolExecutor(max_workers=8) as pool:
        run_ids = list(pool.map(train, range(16)))
    assert len(set(run_ids)) == 16
    runs = mlflow.search_runs(experiment_ids=[experiment_id], output_format="list")
    assert {r.info.run_id for r in runs} == set(run_ids)
    for run in runs:
        assert run.info.status == "FINISHED"
        assert run.data.metrics == {"loss": 1.0 / 200, "acc": 19 / 20}
        assert len(client.get_metric_history(run.info.run_id, "acc")) == 20
    assert sorted(int(r.data.params["worker"]) for r in runs) == list(range(16))
