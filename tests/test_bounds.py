"""Every input is bounded: devices, FIFOs, huge error lists, infinite numbers, far-off years,
hand-edited results and out-of-range options end in exit 2 and one clear line, quickly."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.zygote import shared

from .conftest import ACME, TINY, Cli

QUESTIONNAIRE = TINY / "questionnaire.yaml"
SECONDS = 10


class Run:
    def __init__(self, code: int, out: str, err: str, seconds: float) -> None:
        self.code, self.out, self.err, self.seconds = code, out, err, seconds


def mcpscale(*args: str | Path, cwd: Path | None = None) -> Run:
    """A real process (forked from the warmed parent in tests/zygote.py), so a hang is a
    timeout and not a stuck test run."""
    run = shared().run([str(a) for a in args], cwd or Path.cwd(), dict(os.environ), "", SECONDS * 3)
    assert not run.killed, f"still running after {SECONDS * 3} s"
    return Run(run.code, run.out, run.err, run.seconds)


def refused(run: Run, *fragments: str) -> None:
    assert "Traceback" not in run.out + run.err, run.err
    assert run.code == 2, f"exit {run.code}\n{run.out}\n{run.err}"
    for fragment in fragments:
        assert fragment in run.err, run.err
    assert run.seconds < SECONDS


@pytest.fixture
def result_json(tmp_path: Path, cli: Cli) -> Path:
    path = tmp_path / "r.json"
    run = cli("score", TINY / "answers", "-q", QUESTIONNAIRE, "-f", "json", "-o", path)
    assert run.exit_code == 0, run.output
    return path


# ---------------------------------------------------------------- not regular files


@pytest.mark.parametrize("role", ["answers", "profile", "questionnaire", "results", "logo"])
def test_a_symlink_to_dev_zero_is_refused_by_type_before_reading(
    role: str, tmp_path: Path, result_json: Path
) -> None:
    zero = tmp_path / ("logo.png" if role == "logo" else f"{role}.yaml")
    zero.symlink_to("/dev/zero")
    answers = TINY / "answers"
    args: dict[str, list[Any]] = {
        "answers": ["score", zero, "-q", QUESTIONNAIRE],
        "profile": ["score", answers, "-q", QUESTIONNAIRE, "-p", zero],
        "questionnaire": ["score", answers, "-q", zero],
        "results": ["compare", result_json, zero],
        "logo": ["report", answers, "-q", QUESTIONNAIRE, "-f", "html", "-o", tmp_path / "r.html"],
    }
    if role == "logo":
        (tmp_path / "brand.yaml").write_text("kind: brand\nname: Example\nlogo: logo.png\n")
        args["logo"] += ["--brand", tmp_path / "brand.yaml"]
    refused(mcpscale(*args[role]), "not a regular file (a character device)")


def test_a_fifo_as_answers_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    refused(
        mcpscale("score", fifo, "-q", QUESTIONNAIRE),
        "answers.yaml: not a regular file (a FIFO); pass a YAML file",
    )


def test_validate_dev_urandom_is_a_usage_error() -> None:
    refused(mcpscale("validate", "/dev/urandom"), "/dev/urandom: not a regular file")


def test_compare_with_dev_zero_does_not_hang(result_json: Path) -> None:
    refused(mcpscale("compare", result_json, "/dev/zero"), "/dev/zero: not a regular file")


# ---------------------------------------------------------------- many problems
# 60,000 unknown question ids, capped at 50 lines and fast: the hostile corpus' case
# inputs/validate-sixty-thousand-unknown-ids (tests/data/hostile).


# ---------------------------------------------------------------- numbers and dates


def test_an_infinite_weight_is_reported_at_its_line(tmp_path: Path) -> None:
    lines = QUESTIONNAIRE.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip() == "weight: 2")
    lines[number] = lines[number].replace("2", ".inf")
    bad = tmp_path / "questionnaire.yaml"
    bad.write_text("\n".join(lines) + "\n")
    run = mcpscale("validate", bad)
    assert run.code == 1
    assert f"{bad}:{number + 1}:" in run.out and "finite number" in run.out


def test_plan_with_the_largest_sane_numbers_writes_strict_json(tmp_path: Path) -> None:
    profile = (ACME / "profile.yaml").read_text()
    profile = profile.replace("size: 12000", "size: 10000000")
    profile = profile.replace("developer_annual_cost: 135000", "developer_annual_cost: 1e12")
    (tmp_path / "profile.yaml").write_text(profile)
    run = mcpscale("plan", ACME / "answers", "-p", tmp_path / "profile.yaml", "-f", "json")
    assert run.code == 0, run.err

    def refuse(name: str) -> None:
        raise AssertionError(f"plan wrote {name}, which is not JSON")

    json.loads(run.out, parse_constant=refuse)


@pytest.mark.parametrize(
    ("line", "replacement", "fragment"),
    [
        ("developer_annual_cost: 135000", "developer_annual_cost: .inf", "finite number"),
        ("size: 12000", "size: 100000000000", "less than or equal to 10000000"),
        ("plan_start: 2027-01-01", "plan_start: 9999-12-01", "year 9999 is outside 1900-2200"),
    ],
)
def test_insane_profile_numbers_stop_plan_at_their_line(
    tmp_path: Path, line: str, replacement: str, fragment: str
) -> None:
    text = (ACME / "profile.yaml").read_text()
    assert line in text
    (tmp_path / "profile.yaml").write_text(text.replace(line, replacement))
    number = text.splitlines().index(next(x for x in text.splitlines() if x.startswith(line)))
    run = mcpscale("plan", ACME / "answers", "-p", tmp_path / "profile.yaml", "-f", "json")
    refused(run, f"profile.yaml:{number + 1}:", fragment)


def test_an_assessment_in_year_9999_is_refused(tmp_path: Path) -> None:
    answers = tmp_path / "ana.yaml"
    answers.write_text(
        (TINY / "answers" / "ana.yaml")
        .read_text()
        .replace("assessed_at:", "assessed_at: 9999-12-31 #")
    )
    refused(mcpscale("score", answers, "-q", QUESTIONNAIRE), "year 9999")


def test_an_assessment_in_year_2200_still_plans(tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    for source in (ACME / "answers").glob("*.yaml"):
        text = source.read_text()
        (folder / source.name).write_text(text.replace("assessed_at:", "assessed_at: 2200-12-31 #"))
    profile = (ACME / "profile.yaml").read_text().replace("plan_start: 2027-01-01", "")
    (tmp_path / "profile.yaml").write_text(profile)
    run = mcpscale("plan", folder, "-p", tmp_path / "profile.yaml", "--horizon-years", "10")
    assert run.code == 0, run.err


# ---------------------------------------------------------------- options


@pytest.mark.parametrize(
    "option",
    [
        ["--seed", "-1"],
        ["--seed", str(2**32)],
        ["--simulations", "1000000000"],
        ["--simulations", "-1"],
    ],
)
def test_out_of_range_monte_carlo_options_are_usage_errors(cli: Cli, option: list[str]) -> None:
    run = cli("plan", ACME / "answers", "-p", ACME / "profile.yaml", *option)
    assert run.exit_code == 2
    assert "Invalid value" in run.stderr


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_a_gate_threshold_must_be_finite(cli: Cli, value: str) -> None:
    run = cli("score", TINY / "answers", "-q", QUESTIONNAIRE, "--fail-under", value)
    assert run.exit_code == 2 and "not a finite number" in run.stderr


# ---------------------------------------------------------------- hand-edited results


def test_deeply_nested_results_json_is_refused(tmp_path: Path, result_json: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"schema": "mcpscale/result@1", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    refused(mcpscale("compare", result_json, deep), "deep.json: JSON nests too deeply")
    refused(mcpscale("trend", result_json, deep), "deep.json")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["dimensions"][1].update(score="high"),
            'dimensions[1].score: expected a number, got "high"',
        ),
        (lambda d: d.update(dimensions=5), "dimensions: expected a list, got 5"),
        (
            lambda d: d["questions"][0].update(id=["x"]),
            "questions[0].id: expected text, got a list",
        ),
        (lambda d: d.update(assessed_at="9999-01-01"), "assessed_at: year 9999 is outside"),
        (lambda d: d["overall"].pop("score"), "overall.score: missing"),
    ],
)
def test_hand_edited_results_name_the_file_and_json_path(
    cli: Cli, tmp_path: Path, result_json: Path, edit: Any, message: str
) -> None:
    data = json.loads(result_json.read_text())
    edit(data)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    for args in (["compare", result_json, edited], ["trend", result_json, edited]):
        run = cli(*args)
        assert run.exit_code == 2, run.output
        assert f"error: {edited}: {message}" in run.stderr
    run = cli("score", TINY / "answers", "-q", QUESTIONNAIRE, "--baseline", edited)
    assert run.exit_code == 2 and message in run.stderr


def test_infinity_in_results_is_reported_at_its_line(
    cli: Cli, tmp_path: Path, result_json: Path
) -> None:
    text = result_json.read_text()
    data = json.loads(text)
    data["overall"]["score"] = float("inf")
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, indent=2))
    run = cli("compare", result_json, edited)
    assert run.exit_code == 2
    assert "Infinity is not a JSON number" in run.stderr
    assert f"{edited}:" in run.stderr and f"{edited}: Infinity" not in run.stderr
