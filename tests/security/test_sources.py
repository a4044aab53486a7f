"""Model-version sources and experiment artifact locations that point outside the artifact store:
the registry CVEs (CVE-2023-1177 and its bypasses) and the `artifact_location` tricks of
CVE-2024-1483. Each must be refused when it is *created*, so no later download can follow it."""

from __future__ import annotations

import uuid

import pytest
from security_helpers import assert_mlflow_error

# (id naming the CVE, source, whether to send run_id); {run}, {exp}, {other_run}, {other_exp} and {base} in a source are filled in with the fixture's ids
SOURCES = [
    ("CVE-2023-1177-bare-server-path", "/etc", False),
    ("CVE-2023-1177-sandbox-path", "{base}/outside", False),
    ("CVE-2023-1177-attacker-remote-store", "s3://attacker-bucket/model", False),
    ("CVE-2024-3573-file-scheme", "file:///etc/", False),
    ("CVE-2024-3573-empty-scheme-relative", "file:../../outside", False),
    ("CVE-2024-1483-file-scheme-with-run", "file:///etc/", True),
    ("CVE-2023-6977-proc-self-root", "//proc/self/root", False),
    ("CVE-2023-6977-proc-self-root-with-run", "//proc/self/root/etc", True),
    ("CVE-2023-6975-ftp-listing", "ftp://127.0.0.1/a", False),
    ("CVE-2023-6974-http-internal", "http://169.254.169.254/latest/meta-data/", False),
    ("CVE-2023-2356-http-relative", "http://127.0.0.1:1/../../etc", False),
    ("CVE-2023-2356-proxy-dotdot", "mlflow-artifacts:/{exp}/../../secret.txt", False),
    ("CVE-2023-2356-runs-dotdot", "runs:/{run}/../../../../secret.txt", True),
    ("CVE-2023-2356-runs-encoded-dotdot", "runs:/{run}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside", True),
    ("CVE-2024-1560-runs-double-encoded", "runs:/{run}/%252e%252e%252f%252e%252e%252fsecret.txt", True),
    ("CVE-2024-1560-proxy-double-encoded", "mlflow-artifacts:/{exp}/%252e%252e/%252e%252e/outside", False),
    ("CVE-2023-2780-backslash-file", "file:\\..\\..\\secret.txt", False),
    ("CVE-2023-2780-backslash-runs", "runs:/{run}/..\\..\\..\\secret.txt", True),
    ("CVE-2024-3848-fragment-proxy", "mlflow-artifacts:/{exp}#/../../secret.txt", False),
    ("CVE-2024-1593-semicolon-proxy", "mlflow-artifacts:/{exp}/x;/../../secret.txt", False),
    ("CVE-2025-11201-traversal-model-files", "mlflow-artifacts:/../../../../../../etc", False),
    ("PR-11376-other-runs-artifacts", "mlflow-artifacts:/{other_exp}/{other_run}/artifacts/model", True),
    ("PR-11376-whole-artifact-store", "mlflow-artifacts:/", False),
    ("PR-11376-reserved-data-objects", "mlflow-artifacts:/data-objects", False),
]


@pytest.mark.parametrize(("source", "with_run"), [pytest.param(s, r, id=i) for i, s, r in SOURCES])
def test_model_version_source_outside_the_store_is_refused(server, sandbox, world, source, with_run):
    source = source.format(run=world.run_id, exp=world.experiment_id, other_run=world.other_run_id, other_exp=world.other_experiment_id, base=sandbox.base)
    body = {"name": world.model, "source": source, **({"run_id": world.run_id} if with_run else {})}
    status, headers, raw = server.post_json("/api/2.0/mlflow/model-versions/create", body)
    assert_mlflow_error(status, headers, raw, sandbox.secret, allowed=(400,))


def test_a_source_inside_the_given_run_is_accepted(server, world):
    """The refusals above leave the ordinary case working: a source inside the run it names."""
    source = f"mlflow-artifacts:/{world.experiment_id}/{world.run_id}/artifacts/model"
    status, _headers, raw = server.post_json("/api/2.0/mlflow/model-versions/create", {"name": world.model, "source": source, "run_id": world.run_id})
    assert status == 200, raw


LOCATIONS = [
    ("CVE-2024-1483-fragment-http-root", "http:///#/../../../../etc/"),
    ("CVE-2024-1483-file-root", "file:///etc/"),
    ("CVE-2024-3573-bare-absolute", "/etc"),
    ("CVE-2023-6977-proc-self-root", "//proc/self/root"),
    ("PR-10653-query-dotdot", "mlflow-artifacts:/x?../../../outside"),
    ("PR-11376-fragment", "mlflow-artifacts:/x#/../../outside"),
    ("CVE-2024-1593-semicolon", "mlflow-artifacts:/x;/../../outside"),
    ("CVE-2023-6909-backslash", "mlflow-artifacts:/x\\..\\..\\outside"),
    ("CVE-2023-2356-encoded-dotdot", "mlflow-artifacts:/%2e%2e/%2e%2e/outside"),
    ("CVE-2024-1560-double-encoded-dotdot", "mlflow-artifacts:/%252e%252e%252f%252e%252e%252foutside"),
    ("CVE-2023-6975-ftp", "ftp://127.0.0.1/artifacts"),
]


@pytest.mark.parametrize("location", [pytest.param(loc, id=i) for i, loc in LOCATIONS])
def test_experiment_artifact_location_outside_the_store_is_refused(server, sandbox, location):
    body = {"name": f"attack-{uuid.uuid4().hex[:8]}", "artifact_location": location}
    status, headers, raw = server.post_json("/api/2.0/mlflow/experiments/create", body)
    assert_mlflow_error(status, headers, raw, sandbox.secret, allowed=(400,))
