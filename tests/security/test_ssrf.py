"""Server-side request forgery through the URLs users give the server: alert webhooks and Slack
channels (CVE-2026-2393, CVE-2023-6974) and monitor data sources. Internal targets are refused
when the monitor is saved, in every spelling of the address; the loopback canary listener
(conftest) proves the server never called one."""

from __future__ import annotations

import uuid

import pytest
from security_helpers import assert_mlflow_error


def _monitor(channels: list[dict], reference_uri: str = "data/ref.csv") -> dict:
    return {
        "name": f"ssrf-{uuid.uuid4().hex[:8]}",
        "reference": {"type": "artifact", "uri": reference_uri},
        "current": {"type": "artifact", "uri": "data/current.csv"},
        "channels": channels,
        "alerts": [],
    }


# (id naming the CVE, URL with {port} standing for the canary's port)
URLS = [
    ("CVE-2026-2393-loopback", "http://127.0.0.1:{port}/hook"),
    ("CVE-2026-2393-cloud-metadata", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    ("CVE-2026-2393-ipv6-loopback", "http://[::1]:{port}/hook"),
    ("CVE-2026-2393-ipv4-mapped-ipv6", "http://[::ffff:127.0.0.1]:{port}/hook"),
    ("CVE-2026-2393-decimal-ip", "http://2130706433:{port}/hook"),
    ("CVE-2026-2393-hex-ip", "http://0x7f000001:{port}/hook"),
    ("CVE-2026-2393-octal-ip", "http://0177.0.0.1:{port}/hook"),
    ("CVE-2026-2393-short-ip", "http://127.1:{port}/hook"),
    ("CVE-2026-2393-decimal-metadata", "http://2852039166/latest/meta-data/"),
    ("CVE-2026-2393-localhost-name", "http://localhost:{port}/hook"),
    ("CVE-2026-2393-userinfo-confusion", "http://hooks.slack.com@127.0.0.1:{port}/hook"),
    ("CVE-2026-2393-private-network", "http://10.0.0.1/hook"),
    ("CVE-2026-2393-this-network", "http://0.0.0.0:{port}/hook"),
    ("CVE-2023-6974-file-scheme", "file:///etc/passwd"),
    ("CVE-2023-6974-gopher-scheme", "gopher://127.0.0.1:{port}/_POST"),
    ("CVE-2023-6975-ftp-scheme", "ftp://127.0.0.1:{port}/a"),
]


@pytest.mark.parametrize("url", [pytest.param(u, id=i) for i, u in URLS])
@pytest.mark.parametrize("channel_type", ["webhook", "slack"])
def test_alert_channel_to_an_internal_address_is_refused(server, sandbox, canary, url, channel_type):
    url = url.format(port=canary.server_address[1])
    body = _monitor([{"name": "hook", "type": channel_type, "url": url}])
    status, headers, raw = server.post_json("/api/v1/monitors", body)
    assert_mlflow_error(status, headers, raw, sandbox.secret, allowed=(400,))


# Monitor data sources: a "logged dataset file" must come from the artifact store, not the filesystem or the network.
SOURCE_URIS = [
    ("CVE-2023-30172-monitor-source-dotdot", "../secret.txt"),
    ("CVE-2023-6977-monitor-source-planted-link", "planted-dir/secret.txt"),
    ("CVE-2024-3573-monitor-source-file-scheme", "file:///etc/passwd"),
    ("CVE-2023-6974-monitor-source-http", "http://127.0.0.1:{port}/data.csv"),
    ("CVE-2024-1560-monitor-source-double-encoded", "%252e%252e%252fsecret.txt"),
]


@pytest.mark.parametrize("uri", [pytest.param(u, id=i) for i, u in SOURCE_URIS])
def test_monitor_source_outside_the_store_is_never_read(server, sandbox, canary, uri):
    """Refused when saved, or (if the source is only checked when read) the run fails without reading it."""
    body = _monitor([], reference_uri=uri.format(port=canary.server_address[1]))
    status, headers, raw = server.post_json("/api/v1/monitors", body)
    if status == 400:
        assert_mlflow_error(status, headers, raw, sandbox.secret)
        return
    assert status in (200, 201), raw
    status, _headers, raw = server.post_json(f"/api/v1/monitors/{body['name']}/run", {})
    assert sandbox.secret.encode() not in raw and b"root:x:0:0" not in raw, raw[:300]
    if status == 200:
        assert b'"failed"' in raw, f"a monitor read a source outside the store: {raw[:300]!r}"
    else:
        assert_mlflow_error(status, headers, raw, sandbox.secret)
