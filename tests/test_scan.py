"""`mcpscale evidence scan`: given a tree of client configs, these findings, lines and exits."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcpscale.evidence.packages import package_launched
from mcpscale.inputs.jsonc import JsoncError, parse_jsonc

from .conftest import DATA

# The fake secrets written in tests/data/mcp-configs; none may appear in any output.
SECRETS = [
    "ghp_FAKE0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p",
    "FAKE-fetch-key-9f8e7d6c5b4a",
    "FAKE-search-key-1a2b3c4d5e6f",
    "xoxb-FAKE-1234567890-abcdefghij",
    "sk-FAKEbroken0123456789abcdef",
]

CLAUDE = "home/Library/Application Support/Claude/claude_desktop_config.json"
EXPECTED_FINDINGS = [
    ("config-unreadable", "low", "-", "broken/.mcp.json", 5),
    # the two HTTP+SSE servers (an explicit /sse endpoint) are also deprecated-transport
    ("deprecated-transport", "low", "slack", "home/.codeium/windsurf/mcp_config.json", 4),
    ("inline-secret", "high", "slack", "home/.codeium/windsurf/mcp_config.json", 4),
    ("duplicate-server", "low", "search", CLAUDE, 10),
    ("no-auth", "medium", "search", CLAUDE, 10),
    ("plaintext-http", "high", "search", CLAUDE, 11),
    ("duplicate-server", "low", "github", "team-a/.mcp.json", 3),
    ("unpinned-package", "medium", "github", "team-a/.mcp.json", 5),
    ("inline-secret", "high", "github", "team-a/.mcp.json", 7),
    ("duplicate-server", "low", "internal-search", "team-a/.mcp.json", 10),
    ("no-auth", "medium", "internal-search", "team-a/.mcp.json", 10),
    ("plaintext-http", "high", "internal-search", "team-a/.mcp.json", 12),
    ("duplicate-server", "low", "github", "team-a/.vscode/mcp.json", 7),
    ("unpinned-package", "medium", "postgres", "team-b/.cursor/mcp.json", 6),
    ("inline-secret", "high", "fetch", "team-b/.cursor/mcp.json", 11),
    ("deprecated-transport", "low", "search-sse", "team-b/.cursor/mcp.json", 14),
    ("inline-secret", "high", "search-sse", "team-b/.cursor/mcp.json", 15),
]


@pytest.fixture
def estate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture tree copied into tmp_path with a symlink loop and a link out of the tree."""
    root = tmp_path / "mcp-configs"
    shutil.copytree(DATA / "mcp-configs", root)
    (root / "team-b" / "loop").symlink_to("..", target_is_directory=True)
    (root / "team-b" / "self-a").symlink_to("self-b")
    (root / "team-b" / "self-b").symlink_to("self-a")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".mcp.json").write_text('{"mcpServers": {"elsewhere": {"url": "http://x.example"}}}')
    (root / "home" / "outside").symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    return Path("mcp-configs")


def test_the_fixture_really_holds_every_secret() -> None:
    """Else the no-secret assertions below could not fail."""
    tree = "".join(p.read_text() for p in (DATA / "mcp-configs").rglob("*.json"))
    assert all(secret in tree for secret in SECRETS)


def _no_secrets(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text
            assert secret[4:20] not in text  # no partial echo either


def test_scan_finds_exactly_the_expected_findings_with_file_and_line(cli, estate: Path) -> None:
    result = cli("evidence", "scan", estate, "--format", "json")
    assert result.exit_code == 0, result.output
    evidence = json.loads(result.stdout)
    assert evidence["kind"] == "evidence" and evidence["schema"] == "mcpscale/evidence@2"
    assert evidence["source"] == "scan" and evidence["collected_at"] == "2026-01-01"
    found = [
        (
            f["id"],
            f["severity"],
            f["server"],
            str(Path(f["location"]["path"]).relative_to(estate)),
            f["location"]["line"],
        )
        for f in evidence["findings"]
    ]
    assert found == EXPECTED_FINDINGS
    servers = {(s["name"], s["client"], s["transport"]) for s in evidence["servers"]}
    assert servers == {
        ("slack", "windsurf", "sse"),
        ("filesystem", "claude-desktop", "stdio"),
        ("local-dev", "claude-desktop", "http"),
        ("search", "claude-desktop", "http"),
        ("github", "claude-code", "stdio"),
        ("internal-search", "claude-code", "http"),
        ("github", "vscode", "stdio"),
        ("docs", "vscode", "http"),
        ("postgres", "cursor", "stdio"),
        ("fetch", "cursor", "stdio"),
        ("search-sse", "cursor", "sse"),
    }
    fetch = next(s for s in evidence["servers"] if s["name"] == "fetch")
    assert fetch["args"] == ["mcp-server-fetch==0.6.2", "--api-key", "<redacted>"]
    assert fetch["package"] == "mcp-server-fetch==0.6.2"
    _no_secrets(result.stdout, result.stderr)


def test_bad_files_loops_and_links_outside_are_reported_and_skipped(cli, estate: Path) -> None:
    result = cli("evidence", "scan", estate)
    assert result.exit_code == 0
    skipped = sorted(line for line in result.stderr.splitlines() if line.startswith("skipped:"))
    assert skipped == [
        "skipped: mcp-configs/broken/.mcp.json:5:7: invalid JSON/JSONC: expected ',' or '}'; "
        "skipped",
        "skipped: mcp-configs/home/outside: symlink leads outside the scanned folders; skipped",
        "skipped: mcp-configs/team-b/loop: symlink loop (folder seen already); skipped",
        "skipped: mcp-configs/team-b/self-a: symlink loop or broken link; skipped",
        "skipped: mcp-configs/team-b/self-b: symlink loop or broken link; skipped",
    ]
    assert "elsewhere" not in result.stdout
    summary = " ".join(result.stdout.split())
    assert (
        "6 high, 4 medium, 7 low; 5 config files read, 1 not understood (1 invalid syntax); "
        "4 other problems (see stderr)"
    ) in summary
    assert "mcp-configs/team-a/.mcp.json:12: high plaintext-http [internal-search]" in result.stdout
    _no_secrets(result.stdout, result.stderr)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_reported_not_fatal(cli, estate: Path) -> None:
    (estate / "team-a" / ".mcp.json").chmod(0)
    result = cli("evidence", "scan", estate)
    assert result.exit_code == 0
    assert "mcp-configs/team-a/.mcp.json: cannot read" in result.stderr


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_written_evidence_validates_and_holds_no_secret(cli, estate: Path, suffix: str) -> None:
    written = Path(f"evidence{suffix}")
    result = cli("evidence", "scan", estate, "--output", written)
    assert result.exit_code == 0
    assert f"wrote {written}" in result.stderr
    text = written.read_text()
    _no_secrets(text, result.stdout, result.stderr)
    assert text.count("<redacted>") >= 2
    checked = cli("validate", written)
    assert checked.exit_code == 0, checked.output
    assert "1 valid, 0 invalid" in checked.stderr


@pytest.mark.parametrize(
    ("fail_on", "exit_code"), [("high", 1), ("medium", 1), ("low", 1), (None, 0)]
)
def test_fail_on_gates_on_severity(cli, estate: Path, fail_on: str | None, exit_code: int) -> None:
    args = ["--fail-on", fail_on] if fail_on else []
    result = cli("evidence", "scan", estate, *args)
    assert result.exit_code == exit_code
    if fail_on:
        assert "gate failed:" in result.stderr


def test_fail_on_passes_when_only_lower_findings(cli, tmp_path: Path) -> None:
    (tmp_path / ".cursor").mkdir()
    (tmp_path / ".cursor" / "mcp.json").write_text(
        '{"mcpServers": {"a": {"command": "npx", "args": ["pkg"]},'
        ' "b": {"command": "npx", "args": ["pkg@1.0.0"]}}}'
    )
    assert cli("evidence", "scan", tmp_path, "--fail-on", "high").exit_code == 0
    gated = cli("evidence", "scan", tmp_path, "--fail-on", "medium")
    assert gated.exit_code == 1
    assert "gate failed: 1 finding at medium severity or above" in gated.stderr
    low = cli("evidence", "scan", tmp_path, "--fail-on", "low")
    assert "3 findings at low severity or above" in low.stderr


def test_a_file_root_of_unknown_format_is_reported(cli) -> None:
    result = cli("evidence", "scan", DATA / "mcp-configs" / "other" / "settings.json")
    assert result.exit_code == 0
    assert "settings.json: not a client config file this scan knows (.mcp.json," in result.stderr
    assert "not-scanned.example" not in result.stdout


def test_missing_root_is_a_user_error(cli, tmp_path: Path) -> None:
    result = cli("evidence", "scan", tmp_path / "nope")
    assert result.exit_code == 2
    assert "nope: no such file or directory" in result.stderr


def test_a_config_file_can_be_given_directly(cli) -> None:
    path = DATA / "mcp-configs" / "team-a" / ".vscode" / "mcp.json"
    evidence = cli.json("evidence", "scan", path)
    assert [s["name"] for s in evidence["servers"]] == ["github", "docs"]
    assert evidence["findings"] == []


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        ("npx", ["-y", "@scope/pkg"], ("npx", "@scope/pkg", 1, False)),
        ("npx", ["-y", "@scope/pkg@1.2.3", "--flag"], ("npx", "@scope/pkg@1.2.3", 1, True)),
        ("npx", ["pkg@latest"], ("npx", "pkg@latest", 0, False)),
        ("npx", ["pkg@^1.2.0"], ("npx", "pkg@^1.2.0", 0, False)),
        ("/usr/local/bin/npx.cmd", ["--package=pkg@2.0.0", "bin"], ("npx", "pkg@2.0.0", 0, True)),
        ("uvx", ["--from", "tool==1.0.0", "tool-cli"], ("uvx", "tool==1.0.0", 1, True)),
        ("uvx", ["--python", "3.12", "tool"], ("uvx", "tool", 2, False)),
        ("uv", ["tool", "run", "tool@0.4.1"], ("uvx", "tool@0.4.1", 2, True)),
        ("pipx", ["run", "--spec", "tool==2.1.0", "tool"], ("pipx", "tool==2.1.0", 2, True)),
        ("pipx", ["run", "tool"], ("pipx", "tool", 1, False)),
        ("docker", ["run", "-i", "--rm", "-e", "X", "img"], ("docker", "img", 5, False)),
        ("docker", ["run", "img:latest"], ("docker", "img:latest", 1, False)),
        # a tag can be moved to another image: only a digest pins one
        ("docker", ["run", "ghcr.io/o/img:1.4.0"], ("docker", "ghcr.io/o/img:1.4.0", 1, False)),
        ("docker", ["run", "--stop-timeout", "30", "img"], ("docker", "img", 3, False)),
        ("cmd", ["/c", "npx", "-y", "pkg"], ("npx", "pkg", 3, False)),
        ("yarn", ["dlx", "pkg@1.0.0"], ("npx", "pkg@1.0.0", 1, True)),
        ("bunx", ["pkg"], ("npx", "pkg", 0, False)),
        ("uv", ["run", "--with", "mcp-x", "mcp-x-cli"], ("uvx", "mcp-x", 2, False)),
        ("deno", ["run", "-A", "npm:pkg@1.2.3"], ("deno", "npm:pkg@1.2.3", 2, True)),
        ("deno", ["run", "--allow-net", "jsr:@s/p"], ("deno", "jsr:@s/p", 2, False)),
        ("deno", ["run", "server.ts"], None),
        ("docker", ["run", "img@sha256:abc"], ("docker", "img@sha256:abc", 1, True)),
        ("docker", ["ps"], None),
        ("node", ["server.js"], None),
    ],
)
def test_package_runners(command: str, args: list[str], expected: object) -> None:
    assert package_launched(command, args) == expected


def test_jsonc_comments_trailing_commas_and_lines() -> None:
    text = '// c\n{\n  "a": [1, /* "x": 2 */ 2,],\n  "b": {"c": "// not a comment",},\n}\n'
    parsed = parse_jsonc(text)
    assert parsed.value == {"a": [1, 2], "b": {"c": "// not a comment"}}
    assert parsed.lines[("a",)] == 3 and parsed.lines[("b", "c")] == 4


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('{"a": 1 "b": 2}', 1, "expected ',' or '}'"),
        ('{\n"a": /* open', 2, "unterminated /* comment"),
        ('{"a": "secret-value\n"}', 1, "unterminated string or control character in a string"),
        ("[" * 100, 1, "nested more than 64 levels deep"),
        ("{}\n{}", 2, "unexpected text after the end of the document"),
    ],
)
def test_jsonc_errors_locate_and_never_quote(text: str, line: int, reason: str) -> None:
    with pytest.raises(JsoncError) as caught:
        parse_jsonc(text)
    assert (caught.value.line, caught.value.reason) == (line, reason)
    assert "secret-value" not in str(caught.value)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(_JSON, st.sampled_from([None, 2]))
def test_jsonc_reads_any_json_as_json_does(value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert parse_jsonc(text).value == json.loads(text)


def test_secrets_in_args_urls_and_headers_are_found_and_redacted(cli, tmp_path: Path) -> None:
    token = "ghp_FAKEpath0123456789abcdefghijklmn"
    config = {
        "mcpServers": {
            "docker": {
                "command": "docker",
                "args": ["run", "-e", f"GITHUB_TOKEN={token}", "img@sha256:0f", {"x": 1}],
            },
            "flag": {"command": "node", "args": ["s.js", "--password=hunter2-FAKE"]},
            "path": {"url": f"https://h.example/{token}/mcp"},
            "bearer": {
                "url": "https://h.example/mcp",
                "headers": {"Authorization": "Bearer FAKE-literal-bearer-77"},
            },
            "fine": {
                "url": "https://h.example/other",
                "headers": {"Authorization": "Bearer ${env:TOKEN}"},
            },
            "bad-args": {"command": "node", "args": "not a list"},
        }
    }
    (tmp_path / ".mcp.json").write_text(json.dumps(config, indent=2))
    result = cli("evidence", "scan", tmp_path, "--format", "json")
    evidence = json.loads(result.stdout)
    secrets = {(f["server"], f["location"]["line"]) for f in evidence["findings"]}
    assert {f["id"] for f in evidence["findings"]} == {"inline-secret"}
    assert secrets == {("docker", 8), ("flag", 19), ("path", 23), ("bearer", 28)}
    args = {s["name"]: s.get("args") for s in evidence["servers"]}
    assert args["docker"] == ["run", "-e", "GITHUB_TOKEN=<redacted>", "img@sha256:0f", "<object>"]
    assert args["flag"] == ["s.js", "--password=<redacted>"]
    assert args["bad-args"] == []
    for text in (result.stdout, result.stderr):
        assert token not in text and "hunter2" not in text and "literal-bearer" not in text


def test_a_duplicate_names_three_other_places_then_counts(cli, tmp_path: Path) -> None:
    for index in range(5):
        (tmp_path / f"r{index}").mkdir()
        (tmp_path / f"r{index}" / ".mcp.json").write_text(
            '{"mcpServers": {"s": {"command": "npx", "args": ["pkg@1.0.0"]}}}'
        )
    evidence = cli.json("evidence", "scan", tmp_path)
    messages = [f["message"] for f in evidence["findings"]]
    assert len(messages) == 5 and {f["id"] for f in evidence["findings"]} == {"duplicate-server"}
    assert messages[0].startswith("same package pkg also at ")
    assert messages[0].count(".mcp.json:1") == 3 and messages[0].endswith(", and 1 more")
