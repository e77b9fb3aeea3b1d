"""One rule each, used by every command: loopback, redaction and the clock.

`evidence scan` and `evidence probe` write the same evidence format; a host, a secret or a
date must come out of both the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcpscale.evidence.loopback import is_loopback
from mcpscale.evidence.secrets import REDACTED, redact_args

from .conftest import Cli
from .servers.warm import command

SECRET = "sk-ant-FAKE0123456789abcdef0123"
ARGS = ["--api-token", SECRET, "--port", "8080"]


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST", "localhost.", "localhost.localdomain", "app.localhost",
     "127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1"],
)  # fmt: skip
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host",
    ["", None, "example.com", "localhost.example.com", "10.0.0.1", "0.0.0.0", "::",
     "192.168.1.1", "mylocalhost"],
)  # fmt: skip
def test_hosts_that_leave_the_machine(host: str | None) -> None:
    assert not is_loopback(host)


def _scan(cli: Cli, tmp_path: Path, servers: dict[str, object]) -> dict:
    config = tmp_path / "estate" / ".mcp.json"
    config.parent.mkdir(exist_ok=True)
    config.write_text(json.dumps({"mcpServers": servers}, indent=2))
    result = cli("evidence", "scan", config.parent, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_scan_treats_localhost_localdomain_as_loopback(cli: Cli, tmp_path: Path) -> None:
    evidence = _scan(
        cli,
        tmp_path,
        {
            "local": {"type": "http", "url": "http://localhost.localdomain:8080/mcp"},
            "remote": {"type": "http", "url": "http://10.1.2.3:8080/mcp"},
        },
    )
    flagged = {(f["server"], f["id"]) for f in evidence["findings"]}
    assert ("remote", "plaintext-http") in flagged  # the control: off-machine http is flagged
    assert not {f for f in flagged if f[0] == "local"}


def test_scan_and_probe_redact_the_same_argument_the_same_way(cli: Cli, tmp_path: Path) -> None:
    scanned = _scan(cli, tmp_path, {"fixture": {"command": "python", "args": ARGS}})
    out = tmp_path / "probe.json"
    result = cli(
        "evidence", "probe", "--requests", "2", "--output", out,
        "--", *command("stdio_server.py", *ARGS),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    probed = json.loads(out.read_text())
    expected = ["--api-token", REDACTED, "--port", "8080"]
    assert scanned["servers"][0]["args"] == expected
    assert probed["servers"][0]["args"][-4:] == expected
    assert redact_args(ARGS) == expected
    for text in (json.dumps(scanned), out.read_text(), result.output):
        assert SECRET not in text


def test_scan_and_probe_date_their_evidence_by_the_one_clock(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    scanned = _scan(cli, tmp_path, {"x": {"command": "python", "args": []}})
    result = cli(
        "evidence", "probe", "--requests", "1", "-f", "json",
        "--", *command("stdio_server.py"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert scanned["collected_at"] == json.loads(result.stdout)["collected_at"] == "1970-01-01"


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_bad_input(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    (tmp_path / ".mcp.json").write_text('{"mcpServers": {}}')
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = cli("evidence", "scan", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: SOURCE_DATE_EPOCH=")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "value", ["${env:GITHUB_TOKEN}", "${GITHUB_TOKEN}", "$GITHUB_TOKEN", "{env:GITHUB_TOKEN}",
              "Bearer ${input:token}", "Bearer {env:TOKEN}"],
)  # fmt: skip
def test_references_to_a_secret_are_not_secrets(value: str) -> None:
    from mcpscale.evidence.secrets import is_literal_secret

    assert not is_literal_secret("GITHUB_TOKEN", value)
    assert is_literal_secret("GITHUB_TOKEN", "ghp_FAKE0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p")
