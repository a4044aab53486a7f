"""MLflow 3 tracing: spans from @mlflow.trace reach the server and come back through the client."""

from __future__ import annotations

import mlflow
import pytest


def _flush() -> None:
    flush = getattr(mlflow, "flush_trace_async_logging", None)
    if flush is not None:
        flush(terminate=False)


def test_traced_function_is_stored_searchable_and_readable(server, client, experiment_id):
    @mlflow.trace(name="answer_question")
    def answer(question: str) -> str:
        with mlflow.start_span(name="retrieve") as span:
            span.set_inputs({"query": question})
            span.set_outputs({"documents": ["doc-1", "doc-2"]})
        return f"answer to {question}"

    assert answer("why?") == "answer to why?"
    trace_id = mlflow.get_last_active_trace_id()
    assert trace_id
    _flush()

    trace = mlflow.get_trace(trace_id)
    assert trace is not None
    assert trace.info.state == "OK"
    assert trace.info.experiment_id == experiment_id
    names = sorted(span.name for span in trace.data.spans)
    assert names == ["answer_question", "retrieve"]
    root = next(span for span in trace.data.spans if span.parent_id is None)
    assert root.inputs == {"question": "why?"}
    assert root.outputs == "answer to why?"
    child = next(span for span in trace.data.spans if span.name == "retrieve")
    assert child.outputs == {"documents": ["doc-1", "doc-2"]}

    found = mlflow.search_traces(locations=[experiment_id], return_type="list")
    assert [t.info.trace_id for t in found] == [trace_id]

    client.set_trace_tag(trace_id, "reviewed", "yes")
    assert mlflow.get_trace(trace_id).info.tags["reviewed"] == "yes"


def test_failed_trace_records_the_error(server, experiment_id):
    @mlflow.trace
    def explode() -> None:
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        explode()
    trace_id = mlflow.get_last_active_trace_id()
    _flush()
    trace = mlflow.get_trace(trace_id)
    assert trace.info.state == "ERROR"
    assert any(event.name == "exception" for span in trace.data.spans for event in span.events)


def _traced(name: str):
    @mlflow.trace(name=name)
    def step(x: int) -> int:
        return x + 1

    return step


def test_search_traces_filters_orders_and_pages(server, client, experiment_id):
    trace_ids = []
    for name in ("alpha", "beta", "gamma"):
        _traced(name)(1)
        trace_ids.append(mlflow.get_last_active_trace_id())
    _flush()
    client.set_trace_tag(trace_ids[1], "team", "red")

    by_name = mlflow.search_traces(locations=[experiment_id], filter_string="name = 'beta'", return_type="list")
    assert [t.info.trace_id for t in by_name] == [trace_ids[1]]
    assert by_name[0].data.spans[0].name == "beta"

    by_tag = client.search_traces(locations=[experiment_id], filter_string="tags.team = 'red' AND status = 'OK'")
    assert [t.info.trace_id for t in by_tag] == [trace_ids[1]]

    untagged = client.search_traces(locations=[experiment_id], filter_string="tags.team IS NULL", include_spans=False)
    assert sorted(t.info.trace_id for t in untagged) == sorted([trace_ids[0], trace_ids[2]])

    oldest_first = client.search_traces(locations=[experiment_id], order_by=["timestamp_ms ASC"], max_results=2)
    assert [t.info.trace_id for t in oldest_first] == trace_ids[:2]
    assert oldest_first.token
    rest = client.search_traces(locations=[experiment_id], order_by=["timestamp_ms ASC"], max_results=2, page_token=oldest_first.token)
    assert [t.info.trace_id for t in rest] == trace_ids[2:]


@pytest.mark.cairn_only
def test_span_filters_are_refused_with_a_clear_message(server, client, experiment_id):
    # Span data lives in the artifact store as traces.json, so filters on span contents cannot run.
    with pytest.raises(mlflow.exceptions.MlflowException, match="not supported"):
        client.search_traces(locations=[experiment_id], filter_string="span.name = 'alpha'")


def test_traces_made_in_a_run_are_found_by_run_id(server, client, experiment_id):
    with mlflow.start_run() as run:
        _traced("inside")(1)
        inside = mlflow.get_last_active_trace_id()
    _traced("outside")(2)
    outside = mlflow.get_last_active_trace_id()
    _flush()

    found = mlflow.search_traces(locations=[experiment_id], run_id=run.info.run_id, return_type="list")
    assert [t.info.trace_id for t in found] == [inside]
    assert mlflow.get_trace(inside).info.request_metadata["mlflow.sourceRun"] == run.info.run_id

    client.link_traces_to_run([outside], run.info.run_id)
    linked = mlflow.search_traces(locations=[experiment_id], run_id=run.info.run_id, return_type="list")
    assert sorted(t.info.trace_id for t in linked) == sorted([inside, outside])


def test_trace_tags_are_deleted_and_traces_too(server, client, experiment_id):
    trace_ids = []
    for name in ("first", "second", "third"):
        _traced(name)(1)
        trace_ids.append(mlflow.get_last_active_trace_id())
    _flush()

    client.set_trace_tag(trace_ids[0], "keep", "no")
    client.delete_trace_tag(trace_ids[0], "keep")
    assert "keep" not in mlflow.get_trace(trace_ids[0]).info.tags
    with pytest.raises(mlflow.exceptions.MlflowException, match="RESOURCE_DOES_NOT_EXIST"):
        client.delete_trace_tag(trace_ids[0], "keep")

    assert client.delete_traces(experiment_id, trace_ids=[trace_ids[2]]) == 1
    newest = mlflow.get_trace(trace_ids[1]).info.timestamp_ms
    assert client.delete_traces(experiment_id, max_timestamp_millis=newest, max_traces=1) == 1
    left = mlflow.search_traces(locations=[experiment_id], return_type="list")
    assert [t.info.trace_id for t in left] == [trace_ids[1]]
