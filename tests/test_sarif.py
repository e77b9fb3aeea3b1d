"""`evidence scan --format sarif`: a SARIF 2.1.0 log for GitHub and GitLab code scanning."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import jsonschema
import pytest

from mcpscale.evidence.scan import SEVERITY
from mcpscale.formats.evidence import Finding, SourceLocation
from mcpscale.render.sarif import RULES, artifact_location, sarif_document

from . import test_scan
from .conftest import DATA
from .test_scan import _no_secrets

SCHEMA = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())
estate = test_scan.estate  # the same tree test_scan.py scans, links and all
LEVELS = {"high": "error", "medium": "warning", "low": "note"}


def _valid(log: dict) -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    jsonschema.Draft7Validator(SCHEMA).validate(log)


def _where(result: dict) -> tuple[str, int]:
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    return unquote(physical["artifactLocation"]["uri"]), physical["region"]["startLine"]


def test_the_vendored_schema_is_the_official_draft_07_sarif_2_1_0() -> None:
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert SCHEMA["$id"].endswith("/Schemata/sarif-schema-2.1.0.json")
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


def test_scan_sarif_is_valid_and_holds_every_json_finding(cli, estate: Path) -> None:
    sarif = cli("evidence", "scan", estate, "--format", "sarif")
    evidence = json.loads(cli("evidence", "scan", estate, "--format", "json").stdout)
    assert sarif.exit_code == 0, sarif.output
    log = json.loads(sarif.stdout)
    _valid(log)
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "mcpscale"
    rules = driver["rules"]
    got = [
        (r["ruleId"], r["level"], *_where(r), rules[r["ruleIndex"]]["id"]) for r in run["results"]
    ]
    want = [
        (
            f["id"],
            LEVELS[f["severity"]],
            f["location"]["path"],
            f["location"]["line"],
            f["id"],
        )
        for f in evidence["findings"]
    ]
    assert got == want
    assert len(want) == 17  # the fixture's 16 risks and its broken file (config-unreadable)


def test_rules_carry_help_level_and_security_severity(cli, estate: Path) -> None:
    log = json.loads(cli("evidence", "scan", estate, "--format", "sarif").stdout)
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert set(SEVERITY) <= set(rules)
    for rule_id, severity in SEVERITY.items():
        rule = rules[rule_id]
        assert rule["defaultConfiguration"]["level"] == LEVELS[severity]
        assert (
            rule["properties"]["security-severity"]
            == {
                "high": "8.0",
                "medium": "5.0",
                "low": "3.0",
            }[severity]
        )
        assert "Fix: " in rule["help"]["text"] and rule["shortDescription"]["text"]


def test_every_finding_the_scan_can_report_has_its_own_rule() -> None:
    """A new finding id in scan.py needs its help text in render/sarif.py's RULES."""
    for rule_id, severity in SEVERITY.items():
        assert rule_id in RULES, f"add {rule_id} to RULES in mcpscale/render/sarif.py"
        assert RULES[rule_id].severity == severity


def test_an_unknown_finding_id_gets_a_generic_rule_not_a_crash() -> None:
    finding = Finding(
        id="brand-new-check",
        severity="medium",
        server="s",
        message="something new",
        location=SourceLocation(path="a/.mcp.json", line=2),
    )
    log = sarif_document([finding], PurePosixPath("/repo"))
    _valid(log)
    (result,) = log["runs"][0]["results"]
    rule = log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert rule["id"] == "brand-new-check" and rule["properties"]["security-severity"] == "5.0"


def test_sarif_output_is_byte_identical_across_runs_and_written_with_output(
    cli, estate: Path
) -> None:
    first = cli("evidence", "scan", estate, "--format", "sarif").stdout
    assert cli("evidence", "scan", estate, "--format", "sarif").stdout == first
    written = cli("evidence", "scan", estate, "--format", "sarif", "--output", "scan.sarif")
    assert written.exit_code == 0 and written.stdout == ""
    assert Path("scan.sarif").read_text() == first


def test_fingerprints_are_stable_and_distinct(cli, estate: Path) -> None:
    log = json.loads(cli("evidence", "scan", estate, "--format", "sarif").stdout)
    prints = [r["partialFingerprints"]["mcpscale/v1"] for r in log["runs"][0]["results"]]
    assert len(set(prints)) == len(prints)
    # the same finding keeps its fingerprint when the file's lines move
    moved = Finding(
        id="no-auth",
        severity="medium",
        server="x",
        message="m",
        location=SourceLocation(path="a/.mcp.json", line=3),
    )
    again = moved.model_copy(update={"location": SourceLocation(path="a/.mcp.json", line=30)})
    root = PurePosixPath("/repo")
    assert (
        sarif_document([moved], root)["runs"][0]["results"][0]["partialFingerprints"]
        == sarif_document([again], root)["runs"][0]["results"][0]["partialFingerprints"]
    )


@pytest.mark.parametrize(("fail_on", "exit_code"), [("high", 1), ("low", 1), (None, 0)])
def test_fail_on_still_gates_with_sarif(
    cli, estate: Path, fail_on: str | None, exit_code: int
) -> None:
    args = ["--fail-on", fail_on] if fail_on else []
    result = cli("evidence", "scan", estate, "--format", "sarif", "--output", "s.sarif", *args)
    assert result.exit_code == exit_code, result.output
    _valid(json.loads(Path("s.sarif").read_text()))


def test_no_secret_reaches_the_sarif_log(cli, estate: Path) -> None:
    result = cli("evidence", "scan", estate, "--format", "sarif")
    assert "<redacted>" in result.stdout
    _no_secrets(result.stdout, result.output)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("team-a/.mcp.json", {"uri": "team-a/.mcp.json", "uriBaseId": "%SRCROOT%"}),
        ("./x/../b c/.mcp.json", {"uri": "b%20c/.mcp.json", "uriBaseId": "%SRCROOT%"}),
        ("/repo/a/.mcp.json", {"uri": "a/.mcp.json", "uriBaseId": "%SRCROOT%"}),
        ("/home/u/.mcp.json", {"uri": "file:///home/u/.mcp.json"}),
        ("../elsewhere/.mcp.json", {"uri": "../elsewhere/.mcp.json"}),
    ],
)
def test_artifact_uris_are_relative_to_the_source_root_when_inside_it(
    path: str, expected: dict[str, str]
) -> None:
    assert artifact_location(path, PurePosixPath("/repo")) == expected


def test_the_readme_excerpt_is_real_output(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (DATA.parent.parent / "README.md").read_text()
    section = readme[readme.index("**SARIF for code scanning.**") :]
    excerpt = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    monkeypatch.chdir(DATA / "mcp-configs")
    log = json.loads(cli("evidence", "scan", "team-a", "--format", "sarif").stdout)
    assert excerpt in log["runs"][0]["results"]
