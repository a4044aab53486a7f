"""search_runs and search_experiments: filters, ordering, paging, in both result forms."""

from __future__ import annotations

import time

import mlflow
import pandas as pd
import pytest

from compat_helpers import unique


def test_search_experiments_filter_and_order(server, client):
    prefix = unique("searchexp")
    ids = {}
    for name, team in [("b", "red"), ("a", "blue"), ("c", "red")]:
        ids[name] = client.create_experiment(f"{prefix}-{name}", tags={"team": team})
        time.sleep(0.005)  # distinct creation times for the default order
    by_name_desc = mlflow.search_experiments(filter_string=f"name LIKE '{prefix}-%'", order_by=["name DESC"])
    assert [e.name for e in by_name_desc] == [f"{prefix}-c", f"{prefix}-b", f"{prefix}-a"]
    red = mlflow.search_experiments(filter_string=f"name LIKE '{prefix}-%' AND tags.team = 'red'", order_by=["name ASC"])
    assert [e.experiment_id for e in red] == [ids["b"], ids["c"]]
    newest_first = mlflow.search_experiments(filter_string=f"name ILIKE '{prefix.upper()}-%'")
    assert [e.experiment_id for e in newest_first] == [ids["c"], ids["a"], ids["b"]]
    page = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", order_by=["name"], max_results=2)
    assert [e.name for e in page] == [f"{prefix}-a", f"{prefix}-b"]
    assert page.token
    rest = client.search_experiments(
        filter_string=f"name LIKE '{prefix}-%'", order_by=["name"], max_results=2, page_token=page.token
    )
    assert [e.name for e in rest] == [f"{prefix}-c"]
    assert not rest.token


@pytest.fixture
def searchable_runs(server, client, experiment_id):
    """Four finished runs with metrics, params and tags to search over, plus one still running."""
    specs = [
        ("r1", 0.61, "lr", "a"),
        ("r2", 0.95, "rf", "a"),
        ("r3", 0.40, "lr", "b"),
        ("r4", 0.80, "rf", "b"),
    ]
    ids = {}
    for name, accuracy, model, team in specs:
        with mlflow.start_run(run_name=name) as run:
            mlflow.log_metric("accuracy", accuracy)
            mlflow.log_param("model", model)
            mlflow.set_tag("team", team)
        ids[name] = run.info.run_id
        time.sleep(0.005)  # distinct start times for the default order
    running = client.create_run(experiment_id, run_name="r5")
    ids["r5"] = running.info.run_id
    return experiment_id, ids


def test_search_runs_list_form_filters(server, searchable_runs):
    experiment_id, ids = searchable_runs

    def names(filter_string, order_by=None, **kwargs):
        runs = mlflow.search_runs(
            experiment_ids=[experiment_id], filter_string=filter_string, order_by=order_by, output_format="list", **kwargs
        )
        return [r.info.run_name for r in runs]

    assert names("metrics.accuracy > 0.6", ["metrics.accuracy DESC"]) == ["r2", "r4", "r1"]
    assert names("metrics.accuracy <= 0.61", ["metrics.accuracy ASC"]) == ["r3", "r1"]
    assert names("params.model = 'lr'", ["attributes.run_name"]) == ["r1", "r3"]
    assert names("params.model != 'lr' AND tags.team = 'b'") == ["r4"]
    assert names("tags.team LIKE 'a%'", ["params.model DESC", "run_name"]) == ["r2", "r1"]
    assert names("attributes.status = 'RUNNING'") == ["r5"]
    assert names("attributes.run_name = 'r3'") == ["r3"]
    assert names(f"attributes.run_id IN ('{ids['r1']}', '{ids['r4']}')", ["run_name DESC"]) == ["r4", "r1"]
    assert names("run_name ILIKE 'R%' AND metrics.accuracy >= 0.8", ["tags.team", "metrics.accuracy"]) == ["r2", "r4"]
    # Default order: newest start_time first.
    assert names("") == ["r5", "r4", "r3", "r2", "r1"]
    assert names("", ["metrics.accuracy DESC"], max_results=2) == ["r2", "r4"]


def test_search_runs_pandas_form(server, searchable_runs):
    experiment_id, ids = searchable_runs
    df = mlflow.search_runs(
        experiment_ids=[experiment_id], filter_string="metrics.accuracy > 0.5", order_by=["metrics.accuracy DESC"]
    )
    assert isinstance(df, pd.DataFrame)
    assert list(df["run_id"]) == [ids["r2"], ids["r4"], ids["r1"]]
    assert list(df["metrics.accuracy"]) == [0.95, 0.80, 0.61]
    assert list(df["params.model"]) == ["rf", "rf", "lr"]
    assert list(df["tags.team"]) == ["a", "b", "a"]
    assert list(df["tags.mlflow.runName"]) == ["r2", "r4", "r1"]
    assert set(df["status"]) == {"FINISHED"}
    assert set(df["experiment_id"]) == {experiment_id}


def test_search_runs_by_experiment_name_and_paging(server, client, experiment_id):
    for i in range(7):
        client.create_run(experiment_id, run_name=f"page-{i}")
    first = client.search_runs([experiment_id], max_results=3, order_by=["attributes.run_name ASC"])
    assert [r.info.run_name for r in first] == ["page-0", "page-1", "page-2"]
    second = client.search_runs([experiment_id], max_results=3, order_by=["attributes.run_name ASC"], page_token=first.token)
    assert [r.info.run_name for r in second] == ["page-3", "page-4", "page-5"]
    third = client.search_runs([experiment_id], max_results=3, order_by=["attributes.run_name ASC"], page_token=second.token)
    assert [r.info.run_name for r in third] == ["page-6"]
    assert not third.token
    name = client.get_experiment(experiment_id).name
    assert len(mlflow.search_runs(experiment_names=[name], output_format="list")) == 7
