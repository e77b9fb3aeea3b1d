"""Answers held against evidence: a claim of mTLS everywhere meets a plaintext-http finding."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import ACME, DATA, Cli

PLAINTEXT = DATA / "evidence" / "plaintext-http.yaml"
ANSWERS = ACME / "answers"
PROFILE = ACME / "profile.yaml"


def test_conflict_is_listed_in_json_and_scores_are_not_silently_changed(cli: Cli) -> None:
    plain = cli.json("score", ANSWERS, "--profile", PROFILE)
    data = cli.json("score", ANSWERS, "--profile", PROFILE, "--evidence", PLAINTEXT)
    conflicts = {(c["question"], c["respondent"]): c for c in data["evidence_conflicts"]}
    # Ana Silva (CTO) claims mTLS at 5 and encryption in transit at 4; the scan caps both at 2
    mtls = conflicts[("gov.mtls", "Ana Silva")]
    assert (mtls["answered_level"], mtls["supported_level"]) == (5, 2)
    assert mtls["finding"] == "plaintext-http"
    assert mtls["source"] == "repos/claims-portal/.vscode/mcp.json:6"
    assert ("gov.encryption-in-transit", "Ana Silva") in conflicts
    assert all(c["answered_level"] > c["supported_level"] for c in data["evidence_conflicts"])
    assert data["trust"] == "answers"
    assert data["overall"] == plain["overall"]  # reported, not applied


def test_trust_evidence_caps_the_conflicting_answers(cli: Cli) -> None:
    plain = cli.json("score", ANSWERS, "--profile", PROFILE)
    capped = cli.json(
        "score", ANSWERS, "--profile", PROFILE, "--evidence", PLAINTEXT, "--trust", "evidence"
    )
    score = {q["id"]: q["score"] for q in capped["questions"]}
    before = {q["id"]: q["score"] for q in plain["questions"]}
    assert score["gov.mtls"] < before["gov.mtls"]
    assert (
        max(
            a["level"]
            for q in capped["questions"]
            if q["id"] == "gov.mtls"
            for a in q["answers"]
            if a["level"] is not None
        )
        == 2
    )
    governance = {d["id"]: d["score"] for d in capped["dimensions"]}["governance"]
    assert governance < {d["id"]: d["score"] for d in plain["dimensions"]}["governance"]
    assert capped["trust"] == "evidence"


def test_conflict_shows_in_the_table(cli: Cli) -> None:
    result = cli("score", ANSWERS, "--profile", PROFILE, "--evidence", PLAINTEXT)
    assert result.exit_code == 0
    assert "Evidence conflicts" in result.stdout and "gov.mtls" in result.stdout


@pytest.mark.slow
def test_conflict_has_its_own_section_in_the_pdf(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "r.pdf"
    result = cli("report", ANSWERS, "--evidence", PLAINTEXT, "--output", output, "--quiet")
    assert result.exit_code == 0, result.output
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(output.read_bytes())).pages)
    assert "Evidence conflicts" in text
    squeezed = "".join(text.split())  # long paths wrap inside their table cell
    assert "plaintext-http" in text and "repos/claims-portal/.vscode/mcp.json:6" in squeezed


def test_evidence_without_rules_is_a_clear_error(cli: Cli) -> None:
    tiny = DATA / "tiny"
    result = cli("score", tiny / "answers", "-q", tiny, "--evidence", PLAINTEXT)
    assert result.exit_code == 2
    assert "no evidence.yaml" in result.stderr


def test_bad_evidence_file_is_located(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "kind": "evidence",
                "source": "scan",
                "collected_at": "2026-11-20",
                "tool": "x",
                "findings": [{"id": "x"}],
            }
        )
    )
    result = cli("score", ANSWERS, "--evidence", bad)
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "severity" in result.stderr


def test_assess_shows_the_evidence_before_anyone_answers(cli: Cli, tmp_path: Path) -> None:
    # gov.mtls is about the 28th question; answering 'u' until then reaches it
    output = tmp_path / "ana.yaml"
    keys = "u\n" * 60 + "q\n"
    result = cli(
        "assess",
        "--respondent",
        "Ana",
        "--role",
        "CTO",
        "--output",
        output,
        "--no-notes",
        "--profile",
        PROFILE,
        "--evidence",
        PLAINTEXT,
        input=keys,
    )
    assert result.exit_code == 0, result.output
    screen = result.stdout
    assert "Evidence: plaintext-http" in screen
    mtls_screen = screen[screen.index("gov.mtls") :]
    assert "Evidence: plaintext-http" in mtls_screen.split("Answer:")[0]
    assert "Source: repos/claims-portal/.vscode/mcp.json:6" in mtls_screen
