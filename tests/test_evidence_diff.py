"""`mcpscale evidence diff OLD NEW`: the nightly rug-pull check between two probes' evidence.

old.json and new.json hold four servers probed on two days: random-facts swaps its tool's
description for Invariant Labs' WhatsApp takeover text without a version change; whatsapp
ships 0.2.0 with a tool added, one removed and a new parameter; filesystem drops
destructiveHint from write_file; weather could not be probed the second time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcpscale.evidence.tools import diff_inventories
from mcpscale.inputs.evidence import load_evidence

from .conftest import DATA

OLD = DATA / "evidence-diff" / "old.json"
NEW = DATA / "evidence-diff" / "new.json"


def test_json_lists_added_removed_and_changed_tools_with_their_findings(cli) -> None:
    document = cli.json("evidence", "diff", OLD, NEW)
    assert document["schema"] == "mcpscale/evidence-diff@1"
    assert document["added"] == [{"server": "whatsapp", "tool": "download_media"}]
    assert document["removed"] == [{"server": "whatsapp", "tool": "send_file"}]
    changed = {(c["server"], c["tool"]): c for c in document["changed"]}
    assert changed[("random-facts", "get_fact_of_the_day")]["changed"] == ["description"]
    assert changed[("whatsapp", "send_message")]["changed"] == ["input schema"]
    assert changed[("filesystem", "write_file")]["changed"] == ["annotations"]
    assert document["not_compared"] == [
        {"server": "weather", "why": "in the new file it could not be probed"}
    ]
    findings = sorted(
        (f["severity"], f["id"], f["server"], f["tool"]) for f in document["findings"]
    )
    assert findings == [
        ("high", "tool-definition-changed", "random-facts", "get_fact_of_the_day"),
        ("low", "tool-added", "whatsapp", "download_media"),
        ("low", "tool-removed", "whatsapp", "send_file"),
        ("medium", "tool-definition-changed", "filesystem", "write_file"),
        ("medium", "tool-definition-changed", "whatsapp", "send_message"),
    ]
    rug_pull = next(f for f in document["findings"] if f["severity"] == "high")
    assert "description changed while the server version stayed 1.0.0" in rug_pull["message"]
    assert list(document) == sorted(document)


def test_the_table_shows_each_change_and_the_gate_fails_on_the_rug_pull(cli) -> None:
    result = cli("evidence", "diff", OLD, NEW, "--fail-on", "high")
    assert result.exit_code == 1
    assert "gate failed: 1 finding at high severity or above" in result.stderr
    out = " ".join(result.stdout.split())
    assert "get_fact_of_the_day description changed (same version 1.0.0)" in out
    assert "send_message input schema changed (version 0.1.0 -> 0.2.0)" in out
    assert "download_media added" in out and "send_file removed" in out
    assert "1 added, 1 removed, 3 changed; 1 high, 2 medium, 2 low" in out


@pytest.mark.parametrize(("fail_on", "code"), [("low", 1), ("medium", 0), ("high", 0)])
def test_fail_on_gates_at_its_severity_and_above(
    cli, tmp_path: Path, fail_on: str, code: int
) -> None:
    """One tool added, nothing changed: a low finding, which only --fail-on low fails on."""
    new = json.loads(OLD.read_text())
    whatsapp = next(p for p in new["probes"] if p["server"] == "whatsapp")
    whatsapp["tools"].append({**whatsapp["tools"][0], "name": "list_contacts"})
    (tmp_path / "new.json").write_text(json.dumps(new))
    result = cli("evidence", "diff", OLD, tmp_path / "new.json", "--fail-on", fail_on)
    assert result.exit_code == code, result.output
    assert "low tool-added [whatsapp] tool 'list_contacts' is new" in result.stdout


def test_an_unchanged_inventory_passes_every_gate(cli) -> None:
    result = cli("evidence", "diff", NEW, NEW, "--fail-on", "low")
    assert result.exit_code == 0, result.output
    assert "No tool was added, removed or changed." in result.stdout


def test_without_a_version_change_only_a_description_change_is_high() -> None:
    findings = diff_inventories(load_evidence(OLD), load_evidence(NEW))
    severities = {f.tool: f.severity for f in findings if f.id == "tool-definition-changed"}
    assert severities == {
        "get_fact_of_the_day": "high",
        "write_file": "medium",  # same version, but the description did not change
        "send_message": "medium",  # the version moved with it
    }


def test_a_server_missing_from_one_file_or_without_tools_is_said_not_compared(
    cli, tmp_path: Path
) -> None:
    old = json.loads(OLD.read_text())
    old["probes"] = [p for p in old["probes"] if p["server"] != "filesystem"]
    for probe in old["probes"]:
        if probe["server"] == "whatsapp":
            probe.pop("tools")  # an evidence file written before the inventory existed
    (tmp_path / "old.json").write_text(json.dumps(old))
    document = cli.json("evidence", "diff", tmp_path / "old.json", NEW)
    assert {(n["server"], n["why"]) for n in document["not_compared"]} == {
        ("filesystem", "not in the old file"),
        ("whatsapp", "in the old file it has no tool inventory (an older probe?)"),
        ("weather", "in the new file it could not be probed"),
    }
    assert [f["server"] for f in document["findings"]] == ["random-facts"]


def test_bad_input_is_one_line_and_exit_2(cli, tmp_path: Path) -> None:
    missing = cli("evidence", "diff", tmp_path / "nope.json", NEW)
    assert missing.exit_code == 2 and "nope.json: no such file" in missing.stderr
    (tmp_path / "scan.yaml").write_text("kind: evidence-rules\nrules: []\n")
    wrong = cli("evidence", "diff", tmp_path / "scan.yaml", NEW)
    assert wrong.exit_code == 2 and "expected kind: evidence" in wrong.stderr
    assert "Traceback" not in missing.output + wrong.output


def test_the_readme_transcript_is_real_output(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = cli("evidence", "diff", OLD, NEW, "--fail-on", "high")
    shown = [line.rstrip() for line in result.stdout.splitlines()]
    readme = (DATA.parent.parent / "README.md").read_text()
    block = readme.split("$ mcpscale evidence diff old.json new.json --fail-on high\n")[1]
    assert block.split("\ngate failed:")[0].splitlines() == shown
