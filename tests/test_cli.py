"""The commands as a user runs them: given these files, this command prints, writes, exits."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .conftest import TINY, Cli

TINY_Q = TINY / "questionnaire.yaml"
TINY_ARGS = (TINY / "answers", "--questionnaire", TINY_Q, "--profile", TINY / "profile.yaml")


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("mcpscale ")


def test_score_table_shows_every_dimension_and_the_disagreement(cli: Cli) -> None:
    result = cli("score", *TINY_ARGS)
    assert result.exit_code == 0, result.output
    assert "Technology" in result.stdout and "People" in result.stdout
    assert "1.62" in result.stdout  # tech: hand-computed 1.625
    assert "1.75" in result.stdout  # overall
    assert "Ana 3, Ben 1" in result.stdout


def test_score_json_is_versioned_and_full_precision(cli: Cli) -> None:
    data = cli.json("score", *TINY_ARGS)
    assert data["schema"] == "mcpscale/result@1"
    assert data["overall"] == {"score": 1.75, "level": 1, "level_name": "Emerging"}
    tech = next(d for d in data["dimensions"] if d["id"] == "tech")
    assert tech["score"] == 1.625 and tech["gap"] == 0.375 and tech["not_applicable"] == 1
    assert [d["question"] for d in data["disagreements"]] == ["tech.a"]
    assert [r["name"] for r in data["respondents"]] == ["Ana", "Ben"]


def test_score_json_is_identical_whatever_the_order_of_files(cli: Cli) -> None:
    answers = sorted((TINY / "answers").glob("*.yaml"))
    common = ("--questionnaire", TINY_Q, "--format", "json")
    forward = cli("score", *answers, *common).stdout
    backward = cli("score", *reversed(answers), *common).stdout
    assert forward == backward


def test_score_csv_has_overall_then_dimensions(cli: Cli) -> None:
    result = cli("score", *TINY_ARGS, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["overall", "tech", "people"]
    assert float(rows[1]["score"]) == 1.625


def test_output_file_is_written(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "results.json"
    result = cli("score", *TINY_ARGS, "--format", "json", "--output", target)
    assert result.exit_code == 0
    assert json.loads(target.read_text())["overall"]["score"] == 1.75
    assert not list(target.parent.glob(".*tmp"))  # no temporary file left behind


def test_fail_under_gate_exits_1_and_names_what_failed(cli: Cli) -> None:
    passing = cli("score", *TINY_ARGS, "--fail-under", "1.75")
    assert passing.exit_code == 0
    failing = cli("score", *TINY_ARGS, "--fail-under", "1.8")
    assert failing.exit_code == 1
    assert "overall score 1.75 is below --fail-under 1.8" in failing.stderr


def test_fail_under_dimension(cli: Cli) -> None:
    result = cli(
        "score",
        *TINY_ARGS,
        "--fail-under-dimension",
        "tech=2",
        "--fail-under-dimension",
        "people=2",
    )
    assert result.exit_code == 1
    assert "FAIL tech score 1.62 is below 2" in result.stderr
    assert "PASS people score 2.00 meets 2" in result.stderr


def test_fail_under_dimension_typos_are_usage_errors(cli: Cli) -> None:
    unknown = cli("score", *TINY_ARGS, "--fail-under-dimension", "tehc=2")
    assert unknown.exit_code == 2 and "did you mean 'tech'" in unknown.stderr
    malformed = cli("score", *TINY_ARGS, "--fail-under-dimension", "tech")
    assert malformed.exit_code == 2 and "DIMENSION=SCORE" in malformed.stderr


def test_validate_good_files_exits_0(cli: Cli) -> None:
    result = cli("validate", TINY)
    assert result.exit_code == 0, result.output
    assert "4 valid, 0 invalid" in result.stderr


def test_schema_prints_json_schema_for_each_kind(cli: Cli) -> None:
    for kind, required in (
        ("questionnaire", "questions"),
        ("answers", "respondent"),
        ("profile", "name"),
    ):
        schema = json.loads(cli("schema", kind).stdout)
        assert schema["$schema"].startswith("https://json-schema.org/")
        assert required in schema["required"]
        assert schema["additionalProperties"] is False


def test_custom_questionnaire_shows_by_path(cli: Cli) -> None:
    result = cli("questionnaires", "show", TINY)
    assert result.exit_code == 0
    assert "tech.hipaa" in result.stdout and "Leading" in result.stdout


def test_unknown_questionnaire_id_suggests(cli: Cli) -> None:
    result = cli("score", TINY / "answers", "--questionnaire", "tinny")
    assert result.exit_code == 2
    assert "unknown questionnaire 'tinny'" in result.stderr


def test_written_files_get_the_usual_permissions(cli: Cli, tmp_path: Path) -> None:
    import os

    target = tmp_path / "results.json"
    assert cli("score", *TINY_ARGS, "--format", "json", "--output", target).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0600


def test_validate_on_a_workspace_skips_hidden_ci_folders(cli: Cli, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    assert cli("init", workspace, "--ci", "github").exit_code == 0
    assert list(workspace.glob(".github/**/*.yml"))  # the pipeline is there...
    result = cli("validate", workspace)
    assert result.exit_code == 0, result.output  # ...and not mistaken for an input file
