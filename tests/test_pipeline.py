"""One pipeline: `score`, `plan` and `report` read, score and plan the same way.

--aggregate, --questionnaire, --evidence and --trust mean the same thing in each, because
every command goes through mcpscale.pipeline with one Options object.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mcpscale.render.style import fmt_score

from .conftest import ACME, Cli

PROFILE = ACME / "profile.yaml"
ANSWERS = ACME / "answers"


def scores(cli: Cli, aggregate: str) -> tuple[float, list[float]]:
    data = cli.json("score", ANSWERS, "--profile", PROFILE, "--aggregate", aggregate)
    return data["overall"]["score"], [d["score"] for d in data["dimensions"]]


def test_median_and_mean_differ_on_the_example(cli: Cli) -> None:
    # Otherwise the tests below could not tell whether --aggregate was honoured.
    assert scores(cli, "median") != scores(cli, "mean")


@pytest.mark.parametrize("aggregate", ["mean", "median"])
def test_plan_scores_as_score_does(cli: Cli, aggregate: str) -> None:
    overall, dimensions = scores(cli, aggregate)
    plan = cli.json(
        "plan", ANSWERS, "--profile", PROFILE, "--aggregate", aggregate, "--simulations", "0"
    )
    assert plan["assessment"]["overall"] == overall
    assert [d["score"] for d in plan["assessment"]["dimensions"]] == dimensions


def test_report_shows_the_median_that_score_computes(cli: Cli, tmp_path: Path) -> None:
    overall, _ = scores(cli, "median")
    mean_overall, _ = scores(cli, "mean")
    output = tmp_path / "report.md"
    result = cli(
        "report", ANSWERS, "--profile", PROFILE, "--aggregate", "median",
        "--simulations", "0", "--output", output, "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = output.read_text()
    assert f"| **Overall** | **{fmt_score(overall)}** |" in text
    assert fmt_score(overall) != fmt_score(mean_overall)


def test_plan_without_profile_is_one_clear_error(cli: Cli) -> None:
    result = cli("plan", ANSWERS)
    assert result.exit_code == 2
    assert "--profile" in result.stderr


@pytest.mark.parametrize("trust", ["answers", "evidence"])
def test_plan_holds_answers_against_evidence_as_score_does(cli: Cli, trust: str) -> None:
    evidence = ("--evidence", ACME / "evidence", "--trust", trust)
    scored = cli.json("score", ANSWERS, "--profile", PROFILE, *evidence)
    plan = cli.json("plan", ANSWERS, "--profile", PROFILE, "--simulations", "0", *evidence)
    assert scored["evidence_conflicts"], "the example's evidence contradicts some answers"
    assert plan["assessment"]["overall"] == scored["overall"]["score"]
    if trust == "evidence":  # conflicting answers are scored down to what evidence supports
        assert scored["overall"]["score"] < scores(cli, "mean")[0]
