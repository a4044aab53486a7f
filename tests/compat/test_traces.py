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
