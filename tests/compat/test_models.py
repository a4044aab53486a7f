"""log_model, the model registry, and loading registered models back through the official client."""

from __future__ import annotations

from dataclasses import dataclass

import mlflow
import mlflow.sklearn
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient
from mlflow.entities import LoggedModelStatus
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from compat_helpers import unique


@dataclass
class LoggedIris:
    """An iris classifier logged once per backend, and what it predicts."""

    run_id: str
    model_id: str
    model_uri: str
    experiment_id: str
    features: pd.DataFrame
    predictions: np.ndarray


@pytest.fixture(scope="module")
def iris(cairn_server) -> LoggedIris:
    mlflow.set_tracking_uri(cairn_server.url)
    mlflow.set_registry_uri(cairn_server.url)
    data = load_iris(as_frame=True)
    X, y = data.data, data.target
    model = LogisticRegression(max_iter=1000).fit(X, y)
    experiment = mlflow.set_experiment(unique("iris"))
    with mlflow.start_run() as run:
        mlflow.log_param("max_iter", 1000)
        mlflow.log_metric("train_accuracy", float(model.score(X, y)))
        info = mlflow.sklearn.log_model(
            model, name="model", signature=infer_signature(X, y), input_example=X[:5]
        )
    return LoggedIris(
        run_id=run.info.run_id,
        model_id=info.model_id,
        model_uri=info.model_uri,
        experiment_id=experiment.experiment_id,
        features=X,
        predictions=model.predict(X),
    )


def _register_from_logged_model(iris: LoggedIris, name: str) -> str:
    return mlflow.register_model(f"models:/{iris.model_id}", name).version


def test_log_model_creates_a_ready_logged_model_linked_to_the_run(server, client, iris):
    logged = mlflow.get_logged_model(iris.model_id)
    assert logged.name == "model"
    assert logged.source_run_id == iris.run_id
    assert logged.status == LoggedModelStatus.READY
    assert logged.artifact_location == f"mlflow-artifacts:/{iris.experiment_id}/models/{iris.model_id}/artifacts"
    assert logged.params.get("max_iter") == "1000"
    outputs = client.get_run(iris.run_id).outputs
    assert [o.model_id for o in outputs.model_outputs] == [iris.model_id]
    found = mlflow.search_logged_models(
        experiment_ids=[iris.experiment_id], filter_string="name = 'model'", output_format="list"
    )
    assert [m.model_id for m in found] == [iris.model_id]
    files = {f.path for f in client.list_logged_model_artifacts(iris.model_id)}
    assert {"MLmodel", "model.pkl", "requirements.txt", "input_example.json"} <= files


def test_model_loads_back_from_the_run_and_the_logged_model(server, iris):
    for uri in (f"runs:/{iris.run_id}/model", f"models:/{iris.model_id}", iris.model_uri):
        loaded = mlflow.pyfunc.load_model(uri)
        assert np.array_equal(np.asarray(loaded.predict(iris.features)), iris.predictions), uri
    sklearn_model = mlflow.sklearn.load_model(f"models:/{iris.model_id}")
    assert np.array_equal(sklearn_model.predict(iris.features), iris.predictions)


def test_register_alias_and_load_by_alias_version_and_latest(server, client, iris):
    name = unique("iris")
    from_run = mlflow.register_model(f"runs:/{iris.run_id}/model", name)
    assert from_run.version == "1"
    assert from_run.status == "READY"
    assert from_run.run_id == iris.run_id
    assert from_run.source == f"models:/{iris.model_id}"
    from_model = mlflow.register_model(f"models:/{iris.model_id}", name)
    assert from_model.version == "2"

    client.set_registered_model_alias(name, "champion", "1")
    by_alias = client.get_model_version_by_alias(name, "champion")
    assert by_alias.version == "1"
    assert "champion" in by_alias.aliases
    assert client.get_registered_model(name).aliases == {"champion": "1"}

    for uri in (f"models:/{name}@champion", f"models:/{name}/1", f"models:/{name}/2", f"models:/{name}/latest"):
        loaded = mlflow.pyfunc.load_model(uri)
        assert np.array_equal(np.asarray(loaded.predict(iris.features)), iris.predictions), uri

    client.set_registered_model_alias(name, "champion", "2")
    assert client.get_model_version_by_alias(name, "champion").version == "2"
    client.delete_registered_model_alias(name, "champion")
    with pytest.raises(MlflowException) as caught:
        client.get_model_version_by_alias(name, "champion")
    assert caught.value.error_code in ("INVALID_PARAMETER_VALUE", "RESOURCE_DOES_NOT_EXIST")

    download_uri = client.get_model_version_download_uri(name, "1")
    assert download_uri == f"mlflow-artifacts:/{iris.experiment_id}/models/{iris.model_id}/artifacts"


def test_log_model_with_registered_model_name(server, client, iris):
    name = unique("direct")
    mlflow.set_experiment(unique("direct-exp"))
    with mlflow.start_run():
        model = LogisticRegression(max_iter=1000).fit(iris.features, iris.predictions)
        info = mlflow.sklearn.log_model(model, name="clf", registered_model_name=name)
    assert str(info.registered_model_version) == "1"
    version = client.get_model_version(name, "1")
    assert version.source == f"models:/{info.model_id}"
    assert version.status == "READY"
    loaded = mlflow.pyfunc.load_model(f"models:/{name}/1")
    assert np.array_equal(np.asarray(loaded.predict(iris.features)), model.predict(iris.features))


def test_stages_and_latest_versions(server, client, iris):
    name = unique("staged")
    for _ in range(3):
        _register_from_logged_model(iris, name)
    client.transition_model_version_stage(name, "1", "Staging")
    client.transition_model_version_stage(name, "2", "Production")
    assert client.get_model_version(name, "1").current_stage == "Staging"
    latest = {v.current_stage: v.version for v in client.get_latest_versions(name)}
    assert latest == {"Staging": "1", "Production": "2", "None": "3"}
    assert [v.version for v in client.get_latest_versions(name, stages=["Production"])] == ["2"]
    moved = client.transition_model_version_stage(name, "3", "production", archive_existing_versions=True)
    assert moved.current_stage == "Production"
    assert client.get_model_version(name, "2").current_stage == "Archived"
    assert [v.version for v in client.get_latest_versions(name, stages=["Production"])] == ["3"]
    loaded = mlflow.pyfunc.load_model(f"models:/{name}/Production")
    assert np.array_equal(np.asarray(loaded.predict(iris.features)), iris.predictions)


def test_registered_model_and_version_tags_and_descriptions(server, client, iris):
    name = unique("tagged")
    client.create_registered_model(name, tags={"owner": "ml-team"}, description="first description")
    version = _register_from_logged_model(iris, name)
    client.set_registered_model_tag(name, "task", "classification")
    client.set_model_version_tag(name, version, "validated", "true")
    client.update_registered_model(name, description="better description")
    client.update_model_version(name, version, description="v1 notes")
    model = client.get_registered_model(name)
    assert model.tags == {"owner": "ml-team", "task": "classification"}
    assert model.description == "better description"
    mv = client.get_model_version(name, version)
    assert mv.tags == {"validated": "true"}
    assert mv.description == "v1 notes"
    client.delete_registered_model_tag(name, "owner")
    client.delete_model_version_tag(name, version, "validated")
    assert client.get_registered_model(name).tags == {"task": "classification"}
    assert client.get_model_version(name, version).tags == {}


def test_rename_registered_model(server, client, iris):
    name, new_name = unique("before"), unique("after")
    _register_from_logged_model(iris, name)
    client.rename_registered_model(name, new_name)
    assert client.get_model_version(new_name, "1").name == new_name
    with pytest.raises(MlflowException) as caught:
        client.get_registered_model(name)
    assert caught.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_search_registered_models(server, client, iris):
    prefix = unique("srch")
    for suffix, team in [("b", "red"), ("a", "blue"), ("c", "red"), ("d", "red")]:
        client.create_registered_model(f"{prefix}-{suffix}", tags={"team": team})
    found = mlflow.search_registered_models(filter_string=f"name LIKE '{prefix}-%'")
    assert [m.name for m in found] == [f"{prefix}-{s}" for s in "abcd"]  # default order: name ASC
    desc = mlflow.search_registered_models(filter_string=f"name LIKE '{prefix}-%'", order_by=["name DESC"])
    assert [m.name for m in desc] == [f"{prefix}-{s}" for s in "dcba"]
    red = mlflow.search_registered_models(filter_string=f"name LIKE '{prefix}-%' AND tags.team = 'red'")
    assert [m.name for m in red] == [f"{prefix}-{s}" for s in "bcd"]
    exact = mlflow.search_registered_models(filter_string=f"name = '{prefix}-c'")
    assert [m.name for m in exact] == [f"{prefix}-c"]
    first = client.search_registered_models(filter_string=f"name ILIKE '{prefix.upper()}-%'", max_results=3)
    assert [m.name for m in first] == [f"{prefix}-{s}" for s in "abc"]
    assert first.token
    rest = client.search_registered_models(
        filter_string=f"name ILIKE '{prefix.upper()}-%'", max_results=3, page_token=first.token
    )
    assert [m.name for m in rest] == [f"{prefix}-d"]
    assert not rest.token
    limited = mlflow.search_registered_models(max_results=2, filter_string=f"name LIKE '{prefix}-%'")
    assert len(limited) == 2


def test_search_model_versions(server, client, iris):
    name, other = unique("mvs"), unique("mvs-other")
    for _ in range(3):
        _register_from_logged_model(iris, name)
    _register_from_logged_model(iris, other)
    client.set_model_version_tag(name, "2", "candidate", "yes")
    versions = mlflow.search_model_versions(filter_string=f"name = '{name}'", order_by=["version_number DESC"])
    assert [v.version for v in versions] == ["3", "2", "1"]
    ascending = client.search_model_versions(f"name = '{name}'", order_by=["version_number ASC"], max_results=2)
    assert [v.version for v in ascending] == ["1", "2"]
    assert ascending.token
    tail = client.search_model_versions(
        f"name = '{name}'", order_by=["version_number ASC"], max_results=2, page_token=ascending.token
    )
    assert [v.version for v in tail] == ["3"]
    tagged = mlflow.search_model_versions(filter_string=f"name = '{name}' AND tag.candidate = 'yes'")
    assert [v.version for v in tagged] == ["2"]
    newer = mlflow.search_model_versions(filter_string=f"name = '{name}' AND version_number > 1", order_by=["version_number"])
    assert [v.version for v in newer] == ["2", "3"]
    by_run = mlflow.search_model_versions(filter_string=f"run_id = '{iris.run_id}' AND name = '{name}'")
    assert sorted(v.version for v in by_run) == ["1", "2", "3"]
    assert len(mlflow.search_model_versions(max_results=1, filter_string=f"name = '{name}'")) == 1


def test_delete_model_version_and_registered_model(server, client, iris):
    name = unique("doomed")
    for _ in range(2):
        _register_from_logged_model(iris, name)
    client.delete_model_version(name, "1")
    with pytest.raises(MlflowException) as caught:
        client.get_model_version(name, "1")
    assert caught.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert [v.version for v in client.search_model_versions(f"name = '{name}'")] == ["2"]
    # Version numbers are never reused.
    assert _register_from_logged_model(iris, name) == "3"
    client.delete_registered_model(name)
    with pytest.raises(MlflowException) as caught:
        client.get_registered_model(name)
    assert caught.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert mlflow.search_registered_models(filter_string=f"name = '{name}'") == []
    assert mlflow.search_model_versions(filter_string=f"name = '{name}'") == []


def test_registering_an_existing_name_adds_a_version_and_creating_it_again_fails(server, client, iris):
    name = unique("dup")
    client.create_registered_model(name)
    with pytest.raises(MlflowException) as caught:
        client.create_registered_model(name)
    assert caught.value.error_code == "RESOURCE_ALREADY_EXISTS"
    assert _register_from_logged_model(iris, name) == "1"


def test_model_version_without_registered_model_is_not_found(server):
    with pytest.raises(MlflowException) as caught:
        MlflowClient().get_model_version(unique("nobody"), "1")
    assert caught.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_sklearn_autolog_logs_params_metrics_and_a_loadable_model(server, client, iris):
    mlflow.set_experiment(unique("autolog"))
    mlflow.sklearn.autolog(log_input_examples=True, silent=True)
    try:
        with mlflow.start_run() as run:
            model = LogisticRegression(max_iter=500, C=0.5).fit(iris.features, iris.predictions)
    finally:
        mlflow.sklearn.autolog(disable=True)
    data = client.get_run(run.info.run_id).data
    assert data.params["C"] == "0.5"
    assert data.params["max_iter"] == "500"
    assert "training_accuracy_score" in data.metrics
    assert data.tags["estimator_name"] == "LogisticRegression"
    models = mlflow.search_logged_models(experiment_ids=[run.info.experiment_id], output_format="list")
    assert len(models) == 1
    loaded = mlflow.pyfunc.load_model(f"models:/{models[0].model_id}")
    assert np.array_equal(np.asarray(loaded.predict(iris.features)), model.predict(iris.features))


def test_copy_model_version(server, client, iris):
    source, destination = unique("copy-src"), unique("copy-dst")
    _register_from_logged_model(iris, source)
    client.set_model_version_tag(source, "1", "origin", "source")
    copied = client.copy_model_version(f"models:/{source}/1", destination)
    assert copied.name == destination and copied.version == "1"
    assert client.get_model_version(destination, "1").tags == {"origin": "source"}
    loaded = mlflow.pyfunc.load_model(f"models:/{destination}/1")
    assert np.array_equal(np.asarray(loaded.predict(iris.features)), iris.predictions)


def test_registered_model_search_results_carry_latest_versions_and_aliases(server, client, iris):
    name = unique("summary")
    for _ in range(2):
        _register_from_logged_model(iris, name)
    client.set_registered_model_alias(name, "stable", "1")
    [found] = mlflow.search_registered_models(filter_string=f"name = '{name}'")
    assert found.aliases == {"stable": "1"}
    assert [(v.version, v.current_stage) for v in found.latest_versions] == [("2", "None")]
    assert client.get_model_version(name, "1").aliases == ["stable"]
