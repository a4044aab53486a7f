"""Lineage from data to model version, recorded from what the official client sends.

`mlflow.log_input` of a pandas dataset, `log_model` and `register_model` are all plain MLflow
calls; cairn's `/api/v1/datasets` and `/api/v1/lineage` then answer which model versions depend on
that dataset version.
"""

from __future__ import annotations

import mlflow
import mlflow.sklearn
import requests
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from compat_helpers import unique


def test_impact_of_a_logged_dataset_reaches_the_registered_version(server, experiment_id):
    frame = load_iris(as_frame=True).frame
    dataset_name = unique("iris-data")
    dataset = mlflow.data.from_pandas(frame, name=dataset_name, targets="target")
    model_name = unique("iris-clf")
    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
        model = LogisticRegression(max_iter=500).fit(frame.drop(columns="target"), frame["target"])
        info = mlflow.sklearn.log_model(model, name="model")
    version = mlflow.register_model(f"models:/{info.model_id}", model_name).version

    # The dataset is a registry version, with what the client sent about it, linked to its run.
    listed = requests.get(f"{server.url}/api/v1/datasets/{dataset_name}", timeout=30)
    assert listed.status_code == 200, listed.text
    [logged] = listed.json()["versions"]
    assert logged["digest"] == dataset.digest
    assert logged["source_type"] == dataset._to_mlflow_entity().source_type
    assert '"num_rows": 150' in logged["mlflow_profile"]
    got = requests.get(f"{server.url}/api/v1/datasets/{dataset_name}/versions/{dataset.digest}", timeout=30).json()
    assert [r["run_id"] for r in got["runs"]] == [run.info.run_id]

    node = f"dataset:{dataset_name}@{dataset.digest}"
    impact = requests.get(f"{server.url}/api/v1/lineage/impact", params={"node": node}, timeout=30)
    assert impact.status_code == 200, impact.text
    body = impact.json()
    assert [(m["name"], m["version"]) for m in body["model_versions"]] == [(model_name, str(version))]
    assert [m["model_id"] for m in body["logged_models"]] == [info.model_id]
    assert [r["run_id"] for r in body["runs"]] == [run.info.run_id]

    # And back up from the model version to the dataset.
    upstream = requests.get(
        f"{server.url}/api/v1/lineage",
        params={"node": f"model_version:{model_name}/{version}", "direction": "upstream", "depth": 5},
        timeout=30,
    ).json()
    assert node in [n["id"] for n in upstream["nodes"]]
    assert {e["kind"] for e in upstream["edges"]} == {"input", "output", "registered"}
