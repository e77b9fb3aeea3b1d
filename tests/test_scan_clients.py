"""Every MCP client's config as `evidence scan` reads it: tests/data/mcp-estate gives these."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import DATA

ESTATE = DATA / "mcp-estate"
CODE = "home/.config/Code/User"
CLINE = f"{CODE}/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json"
CLAUDE_DESKTOP = "home/Library/Application Support/Claude/claude_desktop_config.json"

HOME_SERVERS = [
    ("git", "amazon-q", "home/.aws/amazonq/mcp.json", 3),
    ("memory", "claude-code", "home/.claude.json", 4),
    ("sentry", "claude-code", "home/.claude.json", 9),
    ("notion", "windsurf", "home/.codeium/windsurf/mcp_config.json", 3),
    ("docs", "codex", "home/.codex/config.toml", 3),
    ("figma-dev", "codex", "home/.codex/config.toml", 10),
    ("brave", "cline", CLINE, 3),
    ("playwright", "vscode", f"{CODE}/mcp.json", 4),
    ("time", "vscode", f"{CODE}/settings.json", 6),
    ("github", "goose", "home/.config/goose/config.yaml", 7),
    ("everything", "opencode", "home/.config/opencode/opencode.json", 4),
    ("postgres", "zed", "home/.config/zed/settings.json", 5),
    ("sqlite", "continue", "home/.continue/config.yaml", 6),
    ("browser", "continue", "home/.continue/mcpServers/browser.yaml", 5),
    ("linear", "cursor", "home/.cursor/mcp.json", 3),
    ("stripe", "antigravity", "home/.gemini/antigravity/mcp_config.json", 3),
    ("atlassian", "gemini-cli", "home/.gemini/settings.json", 4),
    ("aws-docs", "kiro", "home/.kiro/settings/mcp.json", 3),
    ("filesystem", "claude-desktop", CLAUDE_DESKTOP, 3),
]
PROJECT_SERVERS = [
    ("git", "amazon-q", "project/.amazonq/mcp.json", 3),
    ("github", "claude-code", "project/.mcp.json", 3),
    ("context7", "roo", "project/.roo/mcp.json", 3),
    ("fetch", "vscode", "project/.vscode/mcp.json", 5),
    ("jira", "opencode", "project/opencode.json", 3),
]


def _servers(evidence: dict, root: Path) -> list[tuple[str, str, str, int]]:
    return [
        (
            s["name"],
            s["client"],
            Path(s["location"]["path"]).relative_to(root).as_posix(),
            s["location"]["line"],
        )
        for s in evidence["servers"]
    ]


def _findings(evidence: dict, root: Path) -> list[tuple[str, str, str, int | None]]:
    return [
        (
            f["id"],
            f["server"],
            Path(f["location"]["path"]).relative_to(root).as_posix(),
            f["location"].get("line"),
        )
        for f in evidence["findings"]
    ]


def test_every_client_format_gives_exactly_these_servers_by_file_and_line(cli) -> None:
    evidence = cli.json("evidence", "scan", ESTATE, "--host", "ci")
    assert evidence["host"] == "ci"
    assert _servers(evidence, ESTATE) == HOME_SERVERS + PROJECT_SERVERS
    found = _findings(evidence, ESTATE)
    # file and line hold in YAML (goose), TOML (codex) and JSONC (gemini)
    assert ("unpinned-package", "github", "home/.config/goose/config.yaml", 14) in found
    assert ("inline-secret", "github", "home/.config/goose/config.yaml", 16) in found
    assert ("plaintext-http", "atlassian", "home/.gemini/settings.json", 5) in found
    assert not any(f[1] == "figma-dev" for f in found)  # bearer_token_env_var is auth
    assert "ghp_FAKEgoose" not in json.dumps(evidence)


def test_files_not_understood_are_findings_and_counted(cli) -> None:
    evidence = cli.json("evidence", "scan", ESTATE)
    unreadable = [f for f in _findings(evidence, ESTATE) if f[0] == "config-unreadable"]
    assert unreadable == [
        ("config-unreadable", "-", "project/broken/.codex/config.toml", 2),
        ("config-unreadable", "-", "project/broken/.mcp.json", 6),
        ("config-unreadable", "-", "project/unknown/.mcp.json", None),
    ]
    table = cli("evidence", "scan", ESTATE / "project")
    summary = " ".join(table.stdout.split())
    assert "7 config files read, 3 not understood (2 invalid syntax, 1 unknown shape)" in summary
    gated = cli("evidence", "scan", ESTATE / "project" / "broken", "--fail-on", "low")
    assert gated.exit_code == 1


def test_discover_reads_the_standard_places_of_a_home(cli) -> None:
    home = ESTATE / "home"
    evidence = cli.json("evidence", "scan", "--discover", "--home", home, "--host", "laptop")
    assert _servers(evidence, ESTATE) == HOME_SERVERS


def test_home_without_discover_is_a_user_error(cli) -> None:
    result = cli("evidence", "scan", ESTATE, "--home", ESTATE)
    assert result.exit_code == 2


def test_merge_counts_each_host_and_finds_shadow_servers(cli, tmp_path: Path) -> None:
    scans = {"alpha": ESTATE / "home", "beta": ESTATE / "project", "gamma": ESTATE / "project"}
    files = []
    for host, root in scans.items():
        written = tmp_path / f"{host}.json"
        assert cli("evidence", "scan", root, "--host", host, "-o", written).exit_code == 0
        files.append(written)
    estate_file = tmp_path / "estate.json"
    result = cli("evidence", "merge", *files, "--output", estate_file)
    assert result.exit_code == 0, result.output
    estate = json.loads(estate_file.read_text())
    assert [(h["host"], h["servers"]) for h in estate["hosts"]] == [
        ("alpha", 19),
        ("beta", 5),
        ("gamma", 5),
    ]
    hosts = {s["identity"]: s["hosts"] for s in estate["servers"]}
    assert hosts["package mcp-server-git"] == ["alpha", "beta", "gamma"]
    assert hosts["package @modelcontextprotocol/server-github"] == ["alpha", "beta", "gamma"]
    assert hosts["url https://mcp.context7.com/mcp"] == ["beta", "gamma"]
    assert "package @modelcontextprotocol/server-memory" in estate["single_host"]
    assert "alpha: 19 servers" in result.stderr


ESTATE_FINDINGS = [
    ("duplicate-server", "git", "home/.aws/amazonq/mcp.json", 3),
    ("no-auth", "sentry", "home/.claude.json", 9),
    ("unpinned-package", "brave", "home/.config/Code/User/globalStorage/"
     "saoudrizwan.claude-dev/settings/cline_mcp_settings.json", 3),
    ("duplicate-server", "github", "home/.config/goose/config.yaml", 7),
    ("unpinned-package", "github", "home/.config/goose/config.yaml", 14),
    ("inline-secret", "github", "home/.config/goose/config.yaml", 16),
    ("unpinned-package", "everything", "home/.config/opencode/opencode.json", 6),
    ("deprecated-transport", "browser", "home/.continue/mcpServers/browser.yaml", 6),
    ("deprecated-transport", "linear", "home/.cursor/mcp.json", 3),
    ("no-auth", "atlassian", "home/.gemini/settings.json", 4),
    ("plaintext-http", "atlassian", "home/.gemini/settings.json", 5),
    ("duplicate-server", "git", "project/.amazonq/mcp.json", 3),
    ("duplicate-server", "github", "project/.mcp.json", 3),
    ("config-unreadable", "-", "project/broken/.codex/config.toml", 2),
    ("config-unreadable", "-", "project/broken/.mcp.json", 6),
    ("config-unreadable", "-", "project/unknown/.mcp.json", None),
]  # fmt: skip


def test_the_whole_estate_gives_exactly_these_findings_despite_loops_and_links_out(
    cli, tmp_path: Path
) -> None:
    root = tmp_path / "estate"
    shutil.copytree(ESTATE, root)
    (root / "project" / "loop").symlink_to("..", target_is_directory=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".mcp.json").write_text('{"mcpServers": {"elsewhere": {"url": "http://x.example"}}}')
    (root / "home" / "outside").symlink_to(outside, target_is_directory=True)
    result = cli("evidence", "scan", root, "--format", "json", "--host", "ci")
    evidence = json.loads(result.stdout)
    assert _servers(evidence, root) == HOME_SERVERS + PROJECT_SERVERS
    assert _findings(evidence, root) == ESTATE_FINDINGS
    assert "elsewhere" not in result.stdout
    assert "symlink leads outside the scanned folders" in result.stderr
    assert "symlink loop" in result.stderr
