"""`evidence probe` against both protocol eras, every transport, long listings, deadlines, failures
and a scan's whole estate: real servers built with the SDK, on loopback only."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from mcpscale.evidence.probe import load_sdk

from .conftest import Cli
from .servers.launch import SERVERS, era_server, free_port, running
from .servers.stdio_misbehaving import BANNER, SECRET
from .servers.warm import command
from .test_probe import _self_signed_certificate, _serve

# Findings the authorization checks own (mcpscale.evidence.authz): asserted in their own tests.
AUTHZ_IDS = ("no-auth", "no-resource-metadata")


def probe_json(cli: Cli, *args: str | Path) -> dict[str, Any]:
    result = cli("evidence", "probe", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def own_findings(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["id"], f["severity"]) for f in evidence["findings"] if f["id"] not in AUTHZ_IDS]


@pytest.fixture(scope="module")
def modern_only() -> Iterator[str]:
    with era_server("modern-only") as url:
        yield url


@pytest.fixture(scope="module")
def legacy_only() -> Iterator[str]:
    with era_server("legacy-only") as url:
        yield url


def test_a_current_revision_only_server_is_probed_in_the_modern_era(
    cli: Cli, modern_only: str
) -> None:
    # The fixture really is modern-only: a legacy initialize gets -32022 naming its versions.
    refused = httpx2.post(
        modern_only,
        json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}},
        headers={"Accept": "application/json, text/event-stream"},
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == -32022
    evidence = probe_json(cli, "--url", modern_only, "--requests", "5")
    (measured,) = evidence["probes"]
    assert measured["era"] == "modern"
    assert measured["protocol_version"] == "2026-07-28"
    assert measured["supported_versions"] == ["2026-07-28"]
    assert (measured["server_name"], measured["server_version"]) == ("modern-fixture", "2.0.0")
    assert measured["capabilities"] == ["prompts", "resources", "tools"]
    assert measured["listed"] == {
        "tools": 2, "resources": 0, "resource_templates": 0, "prompts": 1, "truncated": [],
    }  # fmt: skip
    assert [t["name"] for t in measured["tools"]] == ["lookup", "wipe"]
    assert measured["tools"][0]["annotations"] == {"readOnlyHint": True}
    assert measured["latency"]["operation"] == "tools/list"
    assert measured["latency"]["concurrency"] == 1 and measured["latency"]["requests"] == 5
    assert "throughput" not in measured
    assert evidence["servers"] == [
        {"name": "modern-fixture", "transport": "http", "url": modern_only, "args": []}
    ]
    # the fixture's `wipe` tool deletes without saying so in its annotations
    assert own_findings(evidence) == [("tool-destructive-unmarked", "low")]


def test_a_legacy_only_server_falls_back_to_initialize(cli: Cli, legacy_only: str) -> None:
    evidence = probe_json(cli, "--url", legacy_only, "--requests", "5")
    (measured,) = evidence["probes"]
    assert measured["era"] == "legacy"
    assert measured["protocol_version"] == "2025-11-25"
    assert measured["supported_versions"] == ["2025-11-25"]
    assert measured["server_name"] == "legacy-fixture"
    assert measured["listed"]["tools"] == 2 and measured["listed"]["prompts"] == 1
    assert own_findings(evidence) == [("tool-destructive-unmarked", "low")]


def test_an_http_sse_server_is_detected_by_its_path_and_flagged(cli: Cli) -> None:
    with era_server("sse") as url:
        evidence = probe_json(cli, "--url", url, "--requests", "5")
        table = cli("evidence", "probe", "--url", url, "--requests", "2")
    (measured,) = evidence["probes"]
    assert measured["transport"] == "sse" and evidence["servers"][0]["transport"] == "sse"
    assert measured["server_name"] == "sse-fixture" and measured["listed"]["tools"] == 2
    assert own_findings(evidence) == [
        ("deprecated-transport", "medium"),
        ("tool-destructive-unmarked", "low"),
    ]
    assert table.exit_code == 0 and "deprecated-transport" in table.stdout


def test_every_page_of_a_long_listing_is_counted_and_the_bound_is_recorded(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    with era_server("paged") as url:
        evidence = probe_json(cli, "--url", url, "--requests", "3")
        monkeypatch.setattr("mcpscale.evidence.probe.MAX_PAGES", 4)
        bounded = probe_json(cli, "--url", url, "--requests", "3")
    assert evidence["probes"][0]["listed"]["resources"] == 150
    assert evidence["probes"][0]["listed"]["truncated"] == []
    assert bounded["probes"][0]["listed"]["resources"] == 4 * 15
    assert bounded["probes"][0]["listed"]["truncated"] == ["resources"]
    assert "logging" in evidence["probes"][0]["capabilities"]
    assert own_findings(evidence) == [("deprecated-feature", "low")]
    assert [f["excerpt"] for f in evidence["findings"] if f["id"] == "deprecated-feature"] == [
        "logging"
    ]


def test_one_at_a_time_first_then_throughput_at_the_concurrency(cli: Cli, modern_only: str) -> None:
    evidence = probe_json(cli, "--url", modern_only, "--requests", "12", "--concurrency", "4")
    measured = evidence["probes"][0]
    one, many = measured["latency"], measured["throughput"]
    assert (one["concurrency"], one["requests"], one["errors"]) == (1, 12, 0)
    assert (many["concurrency"], many["requests"], many["errors"]) == (4, 12, 0)
    assert many["requests_per_second"] > 0 and "requests_per_second" not in one


def test_a_deadline_keeps_the_partial_figures(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "probe.json"
    for url in _serve("-", 20):  # every tools/list takes 20 ms: 3000 take a minute
        load_sdk()  # a first import in this process is before the probe's clock, and this one's
        start = time.monotonic()
        result = cli(
            "evidence", "probe", "--url", url, "--requests", "3000", "--deadline", "1",
            "--output", out,
        )  # fmt: skip
        elapsed = time.monotonic() - start
    assert result.exit_code == 0, result.output
    assert elapsed < 1 + 4, elapsed
    measured = json.loads(out.read_text())["probes"][0]
    assert 10 < measured["latency"]["requests"] < 3000
    assert measured["latency"]["p50_ms"] >= 20
    assert measured["stopped_early"].startswith(
        "--deadline (1 s) passed while timing tools/list one request at a time"
    )
    assert "stopped early" in result.stdout


def test_a_deadline_before_any_answer_is_a_clear_error(cli: Cli) -> None:
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        result = cli(
            "evidence", "probe", "--url", f"http://127.0.0.1:{port}/mcp",
            "--deadline", "0.2", "--timeout", "30",
        )  # fmt: skip
    assert result.exit_code == 2
    assert "--deadline (0.2 s) passed before the server answered; nothing was measured" in (
        result.stderr
    )


def test_a_banner_on_stdout_is_a_finding_when_the_server_still_answers(cli: Cli) -> None:
    evidence = probe_json(cli, "--requests", "3", "--", *command("stdio_misbehaving.py", "banner"))
    measured = evidence["probes"][0]
    assert measured["server_name"] == "probe-stdio-fixture" and measured["listed"]["tools"] == 2
    assert own_findings(evidence) == [("stdout-not-jsonrpc", "medium")]
    assert [f.get("excerpt") for f in evidence["findings"]] == [BANNER]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "banner-only",
            f"printed something that is not JSON-RPC on standard output: {BANNER!r}",
        ),
        ("exit", "exited with status 3 before answering; the server's stderr ends: "),
    ],
)
def test_a_stdio_server_that_misbehaves_is_one_clear_sentence(
    cli: Cli, kind: str, message: str
) -> None:
    result = cli(
        "evidence", "probe", "--timeout", "0.5",
        "--", sys.executable, SERVERS / "stdio_misbehaving.py", kind,
    )  # fmt: skip
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert SECRET not in result.output
    if kind == "exit":
        assert "fatal: upstream refused the connection" in result.stderr
        assert "Bearer <redacted>" in result.stderr


def test_a_plain_web_server_is_not_an_mcp_endpoint(cli: Cli, tmp_path: Path) -> None:
    port = free_port()
    plain = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    with running(plain, port, "http.server", cwd=tmp_path):
        result = cli("evidence", "probe", "--url", f"http://127.0.0.1:{port}/mcp")
    assert result.exit_code == 2
    assert f"http://127.0.0.1:{port}/mcp is not an MCP endpoint (HTTP 501)" in result.stderr
    assert "Traceback" not in result.output


def test_an_internal_certificate_authority_is_trusted_with_ca_file(
    cli: Cli, tmp_path: Path
) -> None:
    certfile, keyfile = _self_signed_certificate(tmp_path)
    for url in _serve("-", 0, certfile, keyfile):
        url = url.replace("http://", "https://")
        refused = cli("evidence", "probe", "--url", url, "--timeout", "5")
        evidence = probe_json(cli, "--url", url, "--ca-file", certfile, "--requests", "3")
    assert refused.exit_code == 2 and "pass --ca-file" in refused.stderr
    measured = evidence["probes"][0]
    assert measured["tls"] is True and measured["tls_verified"] is True
    assert measured["certificate_days_left"] in (8, 9)
    assert own_findings(evidence) == [("certificate-expiring", "medium")]


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), ("not a certificate\n", "not a PEM certificate authority file")],
)
def test_a_bad_ca_file_is_named(
    cli: Cli, tmp_path: Path, content: str | None, message: str
) -> None:
    ca_file = tmp_path / "corp-ca.pem"
    if content is not None:
        ca_file.write_text(content)
    result = cli("evidence", "probe", "--url", "https://127.0.0.1:1/mcp", "--ca-file", ca_file)
    assert result.exit_code == 2
    assert f"--ca-file {ca_file}: {message}" in result.stderr


def _scan_file(path: Path, servers: list[dict[str, Any]]) -> Path:
    path.write_text(
        json.dumps(
            {
                "kind": "evidence",
                "schema": "mcpscale/evidence@2",
                "source": "scan",
                "collected_at": "2026-08-01",
                "tool": "mcpscale test",
                "servers": servers,
            }
        )
    )
    return path


def test_from_a_scan_probes_the_estate_into_one_file(
    cli: Cli, tmp_path: Path, modern_only: str, legacy_only: str
) -> None:
    python, *args = command("stdio_server.py")
    stdio = {
        "name": "local-tools",
        "transport": "stdio",
        "command": python,
        "args": args,
        "client": "claude-desktop",
    }
    scan = _scan_file(
        tmp_path / "scan.json",
        [
            {"name": "crm", "transport": "http", "url": modern_only, "client": "vscode"},
            {"name": "wiki", "transport": "http", "url": legacy_only, "client": "cursor"},
            {"name": "crm", "transport": "http", "url": modern_only, "client": "cursor"},
            stdio,
            {**stdio, "name": "db", "args": ["--password", "<redacted>"]},
        ],
    )
    out = tmp_path / "estate.json"
    result = cli("evidence", "probe", "--from", scan, "--requests", "3", "--output", out)
    assert result.exit_code == 0, result.output
    evidence = json.loads(out.read_text())
    assert evidence["source"] == "probe"
    assert [s["name"] for s in evidence["servers"]] == ["crm", "wiki", "local-tools", "db"]
    eras = {p["server"]: (p.get("era"), p.get("error")) for p in evidence["probes"]}
    assert eras["crm"] == ("modern", None) and eras["wiki"] == ("legacy", None)
    assert eras["local-tools"] == (
        None,
        "stdio server not run (pass --allow-stdio to run its command)",
    )
    assert "--allow-stdio" in eras["db"][1]
    assert re.search(r"crm\s+http\s+modern\s+2", result.stdout), result.stdout
    assert "2 probed, 2 not" in result.stdout

    allowed = cli(
        "evidence", "probe", "--from", scan, "--allow-stdio", "--requests", "3",
        "--parallel", "2", "--format", "json",
    )  # fmt: skip
    assert allowed.exit_code == 0, allowed.output
    probes = {p["server"]: p for p in json.loads(allowed.stdout)["probes"]}
    assert probes["local-tools"]["server_name"] == "probe-stdio-fixture"
    assert probes["local-tools"]["listed"]["tools"] == 2
    assert "credential the scan redacted" in probes["db"]["error"]


def test_from_sends_no_headers(cli: Cli, tmp_path: Path) -> None:
    scan = _scan_file(tmp_path / "scan.json", [])
    result = cli(
        "evidence", "probe", "--from", scan, "--header", "Authorization: Bearer tok-never-xyz"
    )
    assert result.exit_code == 2 and "drop --url, --header" in result.stderr
    assert "tok-never-xyz" not in result.output


def test_from_a_server_that_fails_gets_an_error_not_an_abort(cli: Cli, tmp_path: Path) -> None:
    refused = f"http://127.0.0.1:{free_port()}/mcp"  # nothing listens there
    scan = _scan_file(
        tmp_path / "scan.json", [{"name": "gone", "transport": "http", "url": refused}]
    )
    evidence = probe_json(cli, "--from", scan, "--timeout", "3")
    (measured,) = evidence["probes"]
    assert "could not connect" in measured["error"]


def test_the_python_api_probes_as_the_command_line_does(modern_only: str) -> None:
    from mcpscale import api

    evidence = api.probe(modern_only, requests=3, deadline=30)
    (measured,) = evidence.probes
    assert (measured.era, measured.protocol_version) == ("modern", "2026-07-28")
    assert measured.latency is not None and measured.latency.requests == 3
