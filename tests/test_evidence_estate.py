"""The report's estate table: every server the evidence names, by finding, worst first."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import ACME, DATA, Cli

ANSWERS = ACME / "answers"
PROFILE = ACME / "profile.yaml"
SCAN = DATA / "evidence" / "plaintext-http.yaml"


def _probe_file(tmp_path: Path) -> Path:
    evidence = {
        "kind": "evidence",
        "schema": "mcpscale/evidence@2",
        "source": "probe",
        "collected_at": "2026-11-30",
        "tool": "mcpscale test",
        "servers": [
            {"name": "claims-context", "transport": "http", "url": "http://claims/mcp"},
            {"name": "<b>ledger</b>", "transport": "http", "url": "https://ledger/mcp"},
            {"name": "down", "transport": "sse", "url": "https://down/sse"},
        ],
        "findings": [
            {"id": "tool-hidden-instructions", "severity": "high", "server": "<b>ledger</b>",
             "message": "m", "tool": "add"},
            {"id": "tool-hidden-instructions", "severity": "high", "server": "<b>ledger</b>",
             "message": "m", "tool": "sub"},
            {"id": "auth-no-iss-parameter", "severity": "low", "server": "<b>ledger</b>",
             "message": "m"},
        ],
        "probes": [
            {"server": "claims-context", "transport": "http", "era": "modern"},
            {"server": "<b>ledger</b>", "transport": "http", "era": "legacy"},
            {"server": "down", "transport": "sse", "error": "could not connect"},
        ],
    }  # fmt: skip
    path = tmp_path / "probe.json"
    path.write_text(json.dumps(evidence))
    return path


def test_score_lists_each_server_once_with_its_findings_counted(cli: Cli, tmp_path: Path) -> None:
    probe = _probe_file(tmp_path)
    data = cli.json("score", ANSWERS, "--profile", PROFILE, "--evidence", SCAN, "--evidence", probe)
    servers = {s["name"]: s for s in data["evidence_servers"]}
    assert sorted(servers) == ["<b>ledger</b>", "claims-context", "down"]
    # named by both the scan and the probe: one row, both files
    assert servers["claims-context"]["sources"] == sorted([str(SCAN), str(probe)])
    assert servers["claims-context"]["findings"] == [
        {"id": "plaintext-http", "severity": "high", "count": 1}
    ]
    assert servers["<b>ledger</b>"]["findings"] == [
        {"id": "tool-hidden-instructions", "severity": "high", "count": 2},
        {"id": "auth-no-iss-parameter", "severity": "low", "count": 1},
    ]
    assert servers["down"] == {
        "name": "down",
        "transport": "sse",
        "sources": [str(probe)],
        "findings": [],
        "error": "could not connect",
    }


def test_report_shows_the_table_escaped_in_html_and_markdown(cli: Cli, tmp_path: Path) -> None:
    probe = _probe_file(tmp_path)
    for name in ("report.html", "report.md"):
        out = tmp_path / name
        result = cli(
            "report", ANSWERS, "--profile", PROFILE, "--evidence", SCAN, "--evidence", probe,
            "--output", out,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        text = out.read_text()
        assert "Evidence: servers and findings" in text
        assert "<b>ledger</b>" not in text  # escaped for HTML, and for Markdown
    html = (tmp_path / "report.html").read_text()
    section = html[html.index('id="evidence-estate"') :]
    section = section[: section.index("</section>")]
    ledger = section[section.index("&lt;b&gt;ledger&lt;/b&gt;") :]
    ledger = ledger[: ledger.index("</tr>")]
    # counts by severity (2 high, 0 medium, 1 low), then the ids, worst first
    assert (
        '<span class="sev high">2</span>' in ledger and '<span class="sev low">1</span>' in ledger
    )
    assert ledger.index("tool-hidden-instructions &times;2") < ledger.index("auth-no-iss-parameter")
    assert "not probed: could not connect" in section
    assert "of them had no finding" not in section  # the one without findings was not probed
    markdown = (tmp_path / "report.md").read_text()
    assert "| claims-context | http | 1 | 0 | 0 | plaintext-http (high) |" in markdown
    assert "tool-hidden-instructions (high, 2), auth-no-iss-parameter (low) |" in markdown
