"""The probe end to end on real loopback servers: what tools say, a tool that changes between
two probes (the rug pull), and authorization as the command line reports it."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import DATA, Cli
from .servers.launch import serving

POISONED = yaml.safe_load((DATA / "tool-poisoning" / "invariant-direct-poisoning.yaml").read_text())
ADD = POISONED["servers"]["demo"]["tools"][0]
MULTIPLY = {
    "name": "multiply",
    "description": "Multiply two numbers.",
    "inputSchema": {"type": "object", "properties": {"a": {"type": "number"}}},
    "annotations": {"readOnlyHint": True},
}
SECRET = "k3y-7c1e0b-never-print-me"


@contextlib.contextmanager
def tools_server(state: Path, tools: list[dict[str, Any]], version: str = "1.0.0") -> Iterator[str]:
    state.write_text(json.dumps({"version": version, "tools": tools}))
    with serving("era_server.py", "tools", str(state)) as port:
        yield f"http://127.0.0.1:{port}/mcp"


def probe_json(cli: Cli, *args: str | Path) -> tuple[Any, dict[str, Any]]:
    result = cli("evidence", "probe", "--requests", "3", "--format", "json", *args)
    return result, (json.loads(result.stdout) if result.exit_code in (0, 1) else {})


def test_a_poisoned_tool_is_found_named_and_excerpted(cli: Cli, tmp_path: Path) -> None:
    with tools_server(tmp_path / "state.json", [ADD, MULTIPLY]) as url:
        result, evidence = probe_json(cli, "--url", url)
    assert result.exit_code == 0, result.output
    tool_findings = sorted(
        (f["tool"], f["id"], f["severity"]) for f in evidence["findings"] if f.get("tool")
    )
    assert tool_findings == [
        ("add", "tool-exfiltration", "high"),
        ("add", "tool-hidden-instructions", "high"),
        ("add", "tool-sensitive-path", "high"),
    ]
    excerpts = [f["excerpt"] for f in evidence["findings"] if f.get("tool") == "add"]
    assert all(0 < len(e) <= 80 for e in excerpts), excerpts
    (measured,) = evidence["probes"]
    records = {t["name"]: t for t in measured["tools"]}
    assert sorted(records) == ["add", "multiply"]
    assert records["multiply"]["annotations"] == {"readOnlyHint": True}
    assert len(records["add"]["description_sha256"]) == 64


def test_a_description_changed_without_a_new_version_is_a_high_finding(
    cli: Cli, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    with tools_server(state, [MULTIPLY]) as url:
        first = cli("evidence", "probe", "--url", url, "--requests", "2", "--output", before)
        assert first.exit_code == 0, first.output
        # the same server, the same version: only the description moves (the rug pull)
        changed = {**MULTIPLY, "description": ADD["description"].replace("Add", "Multiply")}
        state.write_text(json.dumps({"version": "1.0.0", "tools": [changed]}))
        gated = cli(
            "evidence", "probe", "--url", url, "--requests", "2", "--baseline", before,
            "--fail-on", "high", "--output", after,
        )  # fmt: skip
    assert gated.exit_code == 1, gated.output
    assert "gate failed" in gated.output
    evidence = json.loads(after.read_text())
    changes = [f for f in evidence["findings"] if f["id"] == "tool-definition-changed"]
    assert [(f["tool"], f["severity"]) for f in changes] == [("multiply", "high")]
    # and evidence diff says the same of the two files, as a nightly job would run it
    diff = cli("evidence", "diff", before, after, "--format", "json")
    assert diff.exit_code == 0, diff.output
    document = json.loads(diff.stdout)
    assert [(c["tool"], c["changed"]) for c in document["changed"]] == [
        ("multiply", ["description"])
    ]
    assert cli("evidence", "diff", before, after, "--fail-on", "high").exit_code == 1


def test_an_unchanged_server_gives_no_change_finding(cli: Cli, tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    with tools_server(tmp_path / "state.json", [MULTIPLY]) as url:
        assert cli("evidence", "probe", "--url", url, "-n", "2", "-o", before).exit_code == 0
        result, evidence = probe_json(
            cli, "--url", url, "--baseline", before, "--fail-on", "medium"
        )
    assert result.exit_code == 0, result.output
    assert [f["id"] for f in evidence["findings"] if f["id"].startswith("tool-")] == []


def test_authorization_through_the_command_line(cli: Cli, tmp_path: Path) -> None:
    """A login proxy is not open, a key in the URL is left off the unauthenticated request,
    and a protected server's OAuth metadata is read: the same facts `--from` records."""
    with contextlib.ExitStack() as servers:
        as_port = servers.enter_context(serving("authz_servers.py", "oauth-as"))
        issuer = f"http://127.0.0.1:{as_port}"
        protected = servers.enter_context(serving("authz_servers.py", "protected", issuer))
        login = servers.enter_context(serving("authz_servers.py", "login"))
        keyed = servers.enter_context(serving("authz_servers.py", "key-in-url", SECRET))
        keyed_url = f"http://127.0.0.1:{keyed}/mcp?api_key={SECRET}"
        result, evidence = probe_json(cli, "--url", keyed_url)
        assert result.exit_code == 0, result.output
        auth = evidence["probes"][0]["authorization"]
        assert auth["unauthenticated"] == "rejected"
        assert auth["query_credentials_removed"] == ["api_key"]
        assert "no-auth" not in [f["id"] for f in evidence["findings"]]
        assert SECRET not in result.output

        table = cli("evidence", "probe", "--url", keyed_url, "-n", "2")
        assert table.exit_code == 0 and SECRET not in table.output

        redirected = cli("evidence", "probe", "--url", f"http://127.0.0.1:{login}/mcp")
        assert redirected.exit_code == 2
        assert "redirect" in redirected.output.lower()
        assert "Traceback" not in redirected.output

        refused = cli("evidence", "probe", "--url", f"http://127.0.0.1:{protected}/mcp")
        assert refused.exit_code == 2 and "--header" in refused.output
        signed_in = cli(
            "evidence", "probe", "--url", f"http://127.0.0.1:{protected}/mcp",
            "--header", "Authorization: Bearer valid-token", "-n", "2", "-f", "json",
        )  # fmt: skip
        assert signed_in.exit_code == 0, signed_in.output
        oauth = json.loads(signed_in.stdout)["probes"][0]["authorization"]
        assert oauth["unauthenticated"] == "rejected"
        assert oauth["protected_resource_metadata"] is True
        assert oauth["authorization_servers"] == [issuer]
        assert oauth["pkce_s256"] is True and oauth["client_id_metadata_document"] is True
        assert "valid-token" not in signed_in.output


@pytest.mark.parametrize("flag", ["--baseline", "--tool-rules"])
def test_a_missing_file_is_named(cli: Cli, tmp_path: Path, flag: str) -> None:
    missing = tmp_path / "nope.json"
    result = cli("evidence", "probe", "--url", "http://127.0.0.1:9/mcp", flag, missing)
    assert result.exit_code == 2
    assert "nope.json" in result.output
