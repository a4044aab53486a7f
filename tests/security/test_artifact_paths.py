"""Path traversal through artifact routes: the proxy (`mlflow-artifacts`), the run-relative
`get-artifact` and `artifacts/list`, and MLflow 3's `model-versions/get-artifact`. Each payload is
the shape of an MLflow CVE in shared/ref/mlflow-security-and-scale.md (section B), sent byte for
byte. Every one must be refused with an MLflow error, and the sandbox check (conftest) proves
nothing outside the artifact root was read, written or deleted."""

from __future__ import annotations

import pytest
from security_helpers import assert_mlflow_error

PROXY = "/api/2.0/mlflow-artifacts/artifacts"
AJAX_PROXY = "/ajax-api/2.0/mlflow-artifacts/artifacts"

# (id naming the CVE, method, request target, body); {run}, {exp} and {model} in a target are filled in with the ids the fixture created
CASES = [
    # CVE-2023-30172: `../` in get-artifact's path parameter.
    ("CVE-2023-30172-get-artifact-etc-passwd", "GET", "/get-artifact?path=../../../../../../etc/passwd&run_uuid={run}", None),
    ("CVE-2023-30172-get-artifact-sibling-secret", "GET", "/ajax-api/2.0/mlflow/get-artifact?path=../../../../secret.txt&run_id={run}", None),
    ("CVE-2023-30172-get-artifact-encoded-dotdot", "GET", "/get-artifact?path=%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt&run_id={run}", None),
    ("CVE-2023-30172-artifacts-list-dotdot", "GET", "/api/2.0/mlflow/artifacts/list?run_id={run}&path=../../../../outside", None),
    ("CVE-2023-30172-proxy-dotdot", "GET", PROXY + "/../secret.txt", None),
    ("CVE-2023-30172-proxy-encoded-dotdot", "GET", PROXY + "/%2e%2e/secret.txt", None),
    ("CVE-2023-30172-proxy-list-dotdot", "GET", PROXY + "?path=../outside", None),
    # CVE-2023-1177 / CVE-2024-1483: MLflow 3's model-versions/get-artifact reading past the version's source.
    ("CVE-2023-1177-model-versions-get-artifact", "GET", "/model-versions/get-artifact?path=../../../../../secret.txt&name={model}&version=1", None),
    ("CVE-2024-1483-ajax-model-versions-get-artifact", "GET", "/ajax-api/2.0/mlflow/model-versions/get-artifact?path=passwd&name={model}&version=1", None),
    # CVE-2024-1560: double URL-encoding past a single decode (delete of arbitrary folders).
    ("CVE-2024-1560-delete-double-encoded", "DELETE", PROXY + "/%252e%252e%252foutside", None),
    ("CVE-2024-1560-delete-double-encoded-nested", "DELETE", PROXY + "/{exp}/%252e%252e/%252e%252e/%252e%252e/outside/folder", None),
    ("CVE-2024-1560-get-triple-encoded", "GET", PROXY + "/%25252e%25252e%25252fsecret.txt", None),
    # CVE-2023-6831 / CVE-2023-6909: backslash traversal, raw and encoded.
    ("CVE-2023-6831-delete-backslash", "DELETE", PROXY + "/x%5c..%5c..%5csecret.txt", None),
    ("CVE-2023-6909-get-backslash", "GET", PROXY + "/..%5csecret.txt", None),
    ("CVE-2023-6909-get-artifact-backslash", "GET", "/get-artifact?run_id={run}&path=..%5C..%5C..%5C..%5Csecret.txt", None),
    # CVE-2024-3848: '#' carrying the path past validation; PR #10653: '?' in the same place.
    ("CVE-2024-3848-fragment-in-path", "GET", PROXY + "/x%23/../../secret.txt", None),
    ("CVE-2024-3848-fragment-in-list-path", "GET", "/api/2.0/mlflow/artifacts/list?run_id={run}&path=%23/../../../../outside", None),
    ("PR-10653-query-in-list-path", "GET", "/api/2.0/mlflow/artifacts/list?run_id={run}&path=%3F/../../../../outside", None),
    # CVE-2024-1593: ';' path parameters smuggling '..'.
    ("CVE-2024-1593-semicolon-in-proxy-path", "GET", PROXY + "/..;/secret.txt", None),
    ("CVE-2024-1593-semicolon-in-get-artifact", "GET", "/get-artifact?run_id={run}&path=a;/../../../../../secret.txt", None),
    # CVE-2023-1176: absolute paths (and the `//` form that defeats "starts with one slash" checks).
    ("CVE-2023-1176-proxy-list-absolute", "GET", PROXY + "?path=/etc", None),
    ("CVE-2023-1176-proxy-get-double-slash", "GET", PROXY + "//etc/passwd", None),
    ("CVE-2023-1176-get-artifact-absolute", "GET", "/get-artifact?run_id={run}&path=/etc/passwd", None),
    ("CVE-2023-1176-proxy-encoded-absolute", "GET", AJAX_PROXY + "/%2fetc%2fpasswd", None),
    # GHSA-5p3h-7fwh-92rc / CVE-2023-6975: controlled file writes outside the root.
    ("GHSA-5p3h-7fwh-92rc-put-dotdot", "PUT", PROXY + "/%2e%2e/outside/written.txt", b"attacker bytes"),
    ("GHSA-5p3h-7fwh-92rc-put-double-encoded", "PUT", PROXY + "/{exp}/%252e%252e%252f%252e%252e%252fwritten.txt", b"attacker bytes"),
    ("CVE-2023-6975-put-absolute", "PUT", PROXY + "/%2ftmp%2fcairn-security-written.txt", b"attacker bytes"),
    # CVE-2023-6977 (symlinks): links planted in the root and in a run's folder lead outside.
    ("CVE-2023-6977-get-through-planted-dir", "GET", PROXY + "/planted-dir/secret.txt", None),
    ("CVE-2023-6977-get-planted-file-link", "GET", PROXY + "/planted-file.txt", None),
    ("CVE-2023-6977-get-through-link-to-fs-root", "GET", PROXY + "/planted-root/etc/passwd", None),
    ("CVE-2023-6977-list-planted-dir", "GET", PROXY + "?path=planted-dir", None),
    ("CVE-2023-6977-put-through-planted-dir", "PUT", PROXY + "/planted-dir/written.txt", b"attacker bytes"),
    ("CVE-2023-6977-delete-through-planted-dir", "DELETE", PROXY + "/planted-dir/folder", None),
    ("CVE-2023-6977-delete-planted-file-link", "DELETE", PROXY + "/planted-file.txt", None),
    ("CVE-2023-6977-get-artifact-run-link", "GET", "/get-artifact?run_id={run}&path=link/secret.txt", None),
    ("CVE-2023-6977-get-artifact-run-file-link", "GET", "/get-artifact?run_id={run}&path=link-file.txt", None),
    ("CVE-2023-6977-artifacts-list-run-link", "GET", "/api/2.0/mlflow/artifacts/list?run_id={run}&path=link", None),
    # Control characters (NUL truncation) in a path.
    ("CVE-2023-30172-nul-byte", "GET", PROXY + "/{exp}/x%00/../../../secret.txt", None),
]


@pytest.mark.parametrize(("method", "target", "body"), [pytest.param(m, t, b, id=i) for i, m, t, b in CASES])
def test_artifact_path_attack_is_refused(server, sandbox, world, method, target, body):
    target = target.format(run=world.run_id, exp=world.experiment_id, model=world.model)
    status, headers, raw = server.request(method, target, body=body, headers={"content-type": "application/octet-stream"} if body else None)
    assert_mlflow_error(status, headers, raw, sandbox.secret)
    assert str(sandbox.base).encode() not in raw, f"the error names the server's folders: {raw[:300]!r}"


def test_the_run_folder_is_still_served(server, world):
    """The refusals above are not a broken route: the run's own file comes back."""
    status, _headers, raw = server.request("GET", f"/get-artifact?run_id={world.run_id}&path=model/MLmodel")
    assert (status, raw) == (200, b"flavors: {}\n")
