"""`evidence scan` findings on real config files: each at its file, line and severity; and the
scan runs nothing and connects nowhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import DATA, ROOT, Cli


def _findings(cli: Cli, tmp_path: Path, server: dict[str, Any]) -> set[tuple[str, str, str, int]]:
    config = tmp_path / ".mcp.json"
    config.write_text(json.dumps({"mcpServers": {"s": server}}, indent=2))
    evidence = cli.json("evidence", "scan", config)
    return {
        (f["id"], f["severity"], f["location"]["path"], f["location"]["line"])
        for f in evidence["findings"]
    }


# (server config, finding id, severity, line in the file written with indent=2: an
# argument's own line, from 6 for the first)
CASES = [
    ({"command": "cmd", "args": ["/c", "npx", "-y", "@acme/mcp"]}, "unpinned-package", "medium", 9),
    ({"command": "pnpm", "args": ["dlx", "@acme/mcp"]}, "unpinned-package", "medium", 7),
    ({"command": "yarn", "args": ["dlx", "@acme/mcp@latest"]}, "unpinned-package", "medium", 7),
    ({"command": "bunx", "args": ["@acme/mcp"]}, "unpinned-package", "medium", 6),
    ({"command": "uv", "args": ["run", "--with", "acme-mcp", "acme-mcp"]},
     "unpinned-package", "medium", 8),
    ({"command": "deno", "args": ["run", "-A", "npm:@acme/mcp"]}, "unpinned-package", "medium", 8),
    ({"command": "deno", "args": ["run", "jsr:@acme/mcp@^1"]}, "unpinned-package", "medium", 7),
    ({"command": "docker", "args": ["run", "--stop-timeout", "30", "-i", "acme/mcp:1.2.0"]},
     "unpinned-package", "medium", 10),
    ({"command": "npx", "args": ["-y", "mcp-remote@0.1.18", "http://mcp.corp.example/mcp"]},
     "plaintext-http", "high", 8),
    ({"command": "uvx", "args": ["mcp-proxy==0.8.0", "http://10.0.0.5:8080/sse"]},
     "plaintext-http", "high", 7),
    ({"type": "sse", "url": "https://mcp.vendor.example/events",
      "headers": {"Authorization": "Bearer ${env:T}"}}, "deprecated-transport", "low", 4),
    ({"transport": "sse", "url": "https://mcp.vendor.example/events",
      "headers": {"Authorization": "Bearer ${env:T}"}}, "deprecated-transport", "low", 4),
    ({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "/"]},
     "broad-filesystem", "high", 8),
    ({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "~"]},
     "broad-filesystem", "high", 8),
    ({"command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "/work", "/home/jo"]},
     "broad-filesystem", "high", 9),
    ({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14",
                                 "/Users/jo/"]}, "broad-filesystem", "high", 8),
    ({"command": "npx.cmd", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14",
                                     "C:\\Users\\jo"]}, "broad-filesystem", "high", 8),
    ({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14",
                                 "C:\\"]}, "broad-filesystem", "high", 8),
    ({"command": "uvx", "args": ["mcp-server-filesystem==0.1.0", "$HOME"]},
     "broad-filesystem", "high", 7),
    ({"command": "docker", "args": ["run", "--privileged", "acme/mcp@sha256:0f"]},
     "privileged-container", "high", 7),
    ({"command": "docker", "args": ["run", "--network", "host", "acme/mcp@sha256:0f"]},
     "privileged-container", "high", 7),
    ({"command": "docker", "args": ["run", "--net=host", "acme/mcp@sha256:0f"]},
     "privileged-container", "high", 7),
    ({"command": "docker",
      "args": ["run", "-v", "/var/run/docker.sock:/var/run/docker.sock", "acme/mcp@sha256:0f"]},
     "privileged-container", "high", 7),
    ({"command": "npx",
      "args": ["-y", "mcp-remote@0.1.18", "https://h.example/mcp?api_key=FAKEq8ZtW3rK"]},
     "inline-secret", "high", 8),
]  # fmt: skip


@pytest.mark.parametrize(("server", "rule", "severity", "line"), CASES)
def test_each_finding_names_file_line_and_severity(
    cli: Cli, tmp_path: Path, server: dict[str, Any], rule: str, severity: str, line: int
) -> None:
    found = _findings(cli, tmp_path, server)
    assert (rule, severity, str(tmp_path / ".mcp.json"), line) in found, found


FINE = [
    {"command": "npx", "args": ["-y", "mcp-remote@0.1.18", "http://localhost:3000/mcp"]},
    {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14",
                                "/Users/jo/work", "~/projects"]},
    {"command": "docker", "args": ["run", "--network", "bridge", "-v", "/srv/data:/data",
                                   "acme/mcp@sha256:0f"]},
    {"command": "psql", "args": ["-h", "db", "-p", "5432"]},
    {"type": "http", "url": "https://mcp.vendor.example/mcp",
     "headers": {"Authorization": "Bearer ${env:T}"}},
    {"command": "node", "args": ["s.js"], "env": {"DATABASE_URL": "postgresql://db.internal/app",
                                                  "API_KEY": "${API_KEY:-}"}},
]  # fmt: skip


@pytest.mark.parametrize("server", FINE)
def test_safe_configs_have_no_finding(cli: Cli, tmp_path: Path, server: dict[str, Any]) -> None:
    assert _findings(cli, tmp_path, server) == set()


AUDIT = """
import os, sys
_log = os.environ["MCPSCALE_AUDIT_LOG"]
_WATCHED = ("socket.connect", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn",
            "os.spawn", "os.fork", "os.startfile", "ctypes.dlopen")
def _hook(event, args):
    if event.startswith(_WATCHED):
        with open(_log, "a") as log:
            log.write(event + "\\n")
sys.addaudithook(_hook)
"""


def test_scan_executes_nothing_and_connects_nowhere(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(AUDIT)
    log = tmp_path / "audit.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), str(ROOT)]),
        "MCPSCALE_AUDIT_LOG": str(log),
    }
    for args in (["--format", "json"], ["--output", str(tmp_path / "ev.yaml")], []):
        done = subprocess.run(
            [sys.executable, "-m", "mcpscale", "evidence", "scan", DATA / "mcp-configs", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "ev.yaml").exists()  # the hook was live while the scan ran in full
    assert not log.exists(), log.read_text()


def test_the_audit_hook_would_see_a_subprocess(tmp_path: Path) -> None:
    """Else the test above could not fail."""
    (tmp_path / "sitecustomize.py").write_text(AUDIT)
    log = tmp_path / "audit.log"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "MCPSCALE_AUDIT_LOG": str(log)}
    code = "import subprocess, sys; subprocess.run([sys.executable, '-c', ''])"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert "subprocess.Popen" in log.read_text()
