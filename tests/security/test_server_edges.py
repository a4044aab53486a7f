"""Whole-server attack shapes: DNS rebinding through the Host header (CVE-2025-14279), cross-site
requests and CORS preflights from a foreign origin (CVE-2025-1473), oversized bodies and names
(the unlimited-experiment-name DoS), a reflected Content-Type (CVE-2023-6568), and the route
families MLflow grew that deserialise or execute what a client sends (GraphQL CVE-2025-0453, jobs
CVE-2026-0545, projects/recipes CVE-2024-37061 / CVE-2024-27132): cairn serves none of them."""

from __future__ import annotations

import json
import uuid

import pytest
from security_helpers import assert_mlflow_error

SEARCH = "/api/2.0/mlflow/experiments/search"
CREATE = "/api/2.0/mlflow/experiments/create"


def _experiment_body() -> bytes:
    return json.dumps({"name": f"edge-{uuid.uuid4().hex[:8]}"}).encode()


def _experiment_exists(server, body: bytes) -> bool:
    name = json.loads(body)["name"]
    status, _headers, _raw = server.request("GET", f"/api/2.0/mlflow/experiments/get-by-name?experiment_name={name}")
    return status == 200


@pytest.mark.parametrize("host", [
    pytest.param("attacker.example", id="CVE-2025-14279-rebound-name"),
    pytest.param("attacker.example:5000", id="CVE-2025-14279-rebound-name-with-port"),
    pytest.param("localhost.attacker.example", id="CVE-2025-14279-localhost-prefix"),
])
def test_dns_rebinding_host_header_is_refused(server, sandbox, host):
    body = _experiment_body()
    status, headers, raw = server.request("POST", CREATE, body, {"host": host, "content-type": "application/json"})
    assert_mlflow_error(status, headers, raw, sandbox.secret, allowed=(403,))
    assert not _experiment_exists(server, body)
    status, headers, raw = server.request("GET", SEARCH + "?max_results=10", headers={"host": host})
    assert_mlflow_error(status, headers, raw, sandbox.secret, allowed=(403,))


def test_CVE_2025_1473_cors_preflight_from_a_foreign_origin_is_refused(server, sandbox):
    status, headers, raw = server.request("OPTIONS", CREATE, headers={
        "origin": "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type",
    })
    assert_mlflow_error(status, headers, raw, sandbox.secret, allowed=(403,))
    assert "access-control-allow-origin" not in headers


@pytest.mark.parametrize("content_type", [
    pytest.param("text/plain", id="CVE-2025-1473-simple-text-plain"),
    pytest.param("application/x-www-form-urlencoded", id="CVE-2025-1473-simple-form"),
    pytest.param("application/json", id="CVE-2025-1473-json"),
])
def test_cross_site_write_is_refused_and_changes_nothing(server, sandbox, content_type):
    body = _experiment_body()
    status, headers, raw = server.request("POST", CREATE, body, {"origin": "https://evil.example", "content-type": content_type})
    assert_mlflow_error(status, headers, raw, sandbox.secret)
    assert "access-control-allow-origin" not in headers
    assert not _experiment_exists(server, body)


def test_DoS_oversized_body_is_413(server, sandbox):
    # The fixture's server has a 1 MB limit.
    body = json.dumps({"name": "x" * (2 * 1024 * 1024)}).encode()
    status, headers, raw = server.request("POST", CREATE, body, {"content-type": "application/json"})
    assert_mlflow_error(status, headers, raw, sandbox.secret, allowed=(413,))


def test_DoS_unlimited_experiment_name_length_is_400(server, sandbox):
    body = json.dumps({"name": "n" * 500_000}).encode()
    status, headers, raw = server.request("POST", CREATE, body, {"content-type": "application/json"})
    assert_mlflow_error(status, headers, raw, sandbox.secret, allowed=(400,))


def test_CVE_2023_6568_content_type_is_not_reflected_as_html(server, sandbox):
    payload = "<script>alert(document.domain)</script>"
    status, headers, raw = server.request("POST", CREATE, _experiment_body(), {"content-type": payload})
    assert_mlflow_error(status, headers, raw, sandbox.secret, allowed=(415,))
    assert not headers.get("content-type", "").startswith("text/html")


@pytest.mark.parametrize(("method", "target", "body"), [
    pytest.param("POST", "/graphql", {"query": "{ mlflowSearchRuns(input: {experimentIds: [\"0\"]}) { runs { info { runId } } } }"}, id="CVE-2025-0453-graphql"),
    pytest.param("POST", "/api/2.0/mlflow/graphql", {"query": "{ __schema { types { name } } }"}, id="CVE-2026-2734-graphql-search-model-versions"),
    pytest.param("POST", "/ajax-api/3.0/jobs/", {"function_fullname": "os.system", "params": {"command": "id"}}, id="CVE-2026-0545-jobs"),
    pytest.param("POST", "/ajax-api/3.0/jobs/search", {}, id="CVE-2026-2652-jobs-search"),
    pytest.param("POST", "/api/2.0/mlflow/projects/run", {"uri": "https://attacker.example/mlproject"}, id="CVE-2024-37061-mlproject"),
    pytest.param("POST", "/api/2.0/mlflow/recipes/run", {"profile": "local"}, id="CVE-2024-27132-recipes"),
    pytest.param("POST", "/api/2.0/mlflow/gateway/routes/create", {"name": "x", "model": {"provider": "openai"}}, id="CVE-2026-0545-gateway"),
])
def test_route_families_that_deserialise_or_execute_do_not_exist(server, sandbox, method, target, body):
    status, headers, raw = server.post_json(target, body) if method == "POST" else server.request(method, target)
    assert_mlflow_error(status, headers, raw, sandbox.secret, allowed=(404,))


@pytest.mark.parametrize("key", ["__proto__", "constructor", "toString"])
def test_prototype_keys_in_a_query_are_plain_data(server, sandbox, key):
    """Found by schemathesis: `?__proto__=` reached Object.prototype through the query coercion and answered 500."""
    status, headers, raw = server.request("GET", f"/api/v1/lineage/nodes?type=run&{key}=x")
    assert status < 500, raw[:300]
    if status >= 400:
        assert_mlflow_error(status, headers, raw, sandbox.secret)
