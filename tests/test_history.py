"""Results over time, as CI uses them: compare two results, gate on drops, JUnit, trend."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcpscale.formats.results import SavedResult
from mcpscale.history.compare import check_regressions, compare_results

from .conftest import TINY, Cli

TINY_Q = TINY / "questionnaire.yaml"
TINY_PROFILE = TINY / "profile.yaml"


def score_variant(
    cli: Cli,
    tmp_path: Path,
    name: str,
    edits: dict[str, tuple[str, str]] | None = None,
    date: str | None = None,
) -> Path:
    """Score a copy of the tiny answers with some lines changed; return the result file.

    Scores with the profile: tech 1.625, people 2.0, overall 1.75 before any edit. With
    `date`, every respondent is assessed on that day.
    """
    answers = tmp_path / f"answers-{name}"
    shutil.copytree(TINY / "answers", answers)
    for file, (old, new) in (edits or {}).items():
        path = answers / file
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))
    if date is not None:
        for path in answers.glob("*.yaml"):
            path.write_text(re.sub(r"assessed_at: .*", f"assessed_at: {date}", path.read_text()))
    result = tmp_path / f"{name}.json"
    run = cli(
        "score",
        answers,
        "--questionnaire",
        TINY_Q,
        "--profile",
        TINY_PROFILE,
        "--format",
        "json",
        "--output",
        result,
    )
    assert run.exit_code == 0, run.output
    return result


# Ben moves tech.b from most (2) to some (1): tech.b 1.5 -> 1.0, tech (weights 1 and 3)
# 1.625 -> 1.25, a drop of 0.375; overall (tech weight 2, people 1) 1.75 -> 1.5, a drop of 0.25.
REGRESSION = {"ben.yaml": ("tech.b: most", "tech.b: some")}
# Ben answers people.b all (3) instead of unknown: people 2.0 -> 2.5, overall 1.75 -> 1.9167.
IMPROVEMENT = {"ben.yaml": ("people.b: unknown", "people.b: all")}


@pytest.fixture
def base(cli: Cli, tmp_path: Path) -> Path:
    return score_variant(cli, tmp_path, "base")


def test_compare_lists_an_improvement_and_passes(cli: Cli, tmp_path: Path, base: Path) -> None:
    new = score_variant(cli, tmp_path, "new", IMPROVEMENT)
    result = cli("compare", base, new, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "mcpscale/compare@1"
    assert data["improvements"] == ["people", "people.b"] and data["regressions"] == []
    people = next(d for d in data["dimensions"] if d["id"] == "people")
    assert (people["old"], people["new"], people["delta"]) == (2.0, 2.5, 0.5)
    question = next(q for q in data["questions"] if q["id"] == "people.b")
    assert (question["old"], question["new"]) == (2.0, 2.5)
    assert data["overall"]["delta"] == pytest.approx(1 / 6)
    assert data["passed"] is True
    assert "PASS people rose by 0.50 (2.00 -> 2.50)" in result.stderr


def test_compare_fails_on_a_regression_and_names_what_dropped(
    cli: Cli, tmp_path: Path, base: Path
) -> None:
    new = score_variant(cli, tmp_path, "new", REGRESSION)
    result = cli("compare", base, new)
    assert result.exit_code == 1
    assert "FAIL tech dropped by 0.38 (1.62 -> 1.25); exceeds --max-drop 0" in result.stderr
    assert "FAIL overall score dropped by 0.25 (1.75 -> 1.50)" in result.stderr
    assert "PASS people held" in result.stderr
    assert "tech.b" in result.stdout  # the question that moved is listed


def test_a_drop_of_exactly_max_drop_passes(cli: Cli, tmp_path: Path, base: Path) -> None:
    new = score_variant(cli, tmp_path, "new", REGRESSION)
    assert cli("compare", base, new, "--max-drop", "0.375").exit_code == 0
    just_under = cli("compare", base, new, "--max-drop", "0.37")
    assert just_under.exit_code == 1
    assert "FAIL tech dropped by 0.38" in just_under.stderr
    assert "PASS overall score dropped by 0.25" in just_under.stderr


def test_compare_markdown_is_a_pull_request_comment(cli: Cli, tmp_path: Path, base: Path) -> None:
    new = score_variant(cli, tmp_path, "new", REGRESSION)
    comment = tmp_path / "compare.md"
    result = cli("compare", base, new, "--format", "markdown", "--output", comment)
    assert result.exit_code == 1  # the file is still written, so CI can post it
    text = comment.read_text()
    assert "| Technology | 1.62 | 1.25 | -0.38 |" in text
    assert "**Regressions** (2)" in text and "- `tech.b` 1.50 → 1.00 (-0.50)" in text
    assert "**Gate: failed**" in text


def test_compare_refuses_files_that_are_not_results(cli: Cli, tmp_path: Path, base: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"schema": "mcpscale/compare@1"}')
    result = cli("compare", base, other)
    assert result.exit_code == 2
    assert f"error: {other}: not an mcpscale result ('mcpscale/compare@1'" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{\n  oops")
    result = cli("compare", base, broken)
    assert result.exit_code == 2 and f"{broken}:2:3: invalid JSON" in result.stderr
    missing = cli("compare", base, tmp_path / "nope.json")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_compare_refuses_results_of_different_questionnaires(
    cli: Cli, tmp_path: Path, base: Path
) -> None:
    data = json.loads(base.read_text())
    data["questionnaire"]["id"] = "other"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data))
    result = cli("compare", base, other)
    assert result.exit_code == 2 and "same questionnaire" in result.stderr


def parse_junit(path: Path) -> dict[str, str | None]:
    """Test case name -> failure message (None when it passed), checking the XML shape."""
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    failures = {c.get("name"): c.find("failure") for c in cases}
    assert int(suite.get("tests", "-1")) == len(cases)
    assert int(suite.get("failures", "-1")) == sum(f is not None for f in failures.values())
    return {str(name): None if f is None else f.get("message") for name, f in failures.items()}


def test_compare_writes_junit_one_case_per_dimension(cli: Cli, tmp_path: Path, base: Path) -> None:
    new = score_variant(cli, tmp_path, "new", REGRESSION)
    report = tmp_path / "junit.xml"
    assert cli("compare", base, new, "--junit", report).exit_code == 1
    cases = parse_junit(report)
    assert list(cases) == ["regression:overall", "regression:tech", "regression:people"]
    assert cases["regression:people"] is None
    assert cases["regression:tech"] == ("tech dropped by 0.38 (1.62 -> 1.25); exceeds --max-drop 0")


def test_score_with_baseline_gates_like_compare(cli: Cli, tmp_path: Path, base: Path) -> None:
    answers = tmp_path / "answers-now"
    shutil.copytree(TINY / "answers", answers)
    ben = answers / "ben.yaml"
    ben.write_text(ben.read_text().replace("tech.b: most", "tech.b: some"))
    common = ("--questionnaire", TINY_Q, "--profile", TINY_PROFILE, "--baseline", base)
    assert cli("score", answers, *common, "--max-drop", "0.375").exit_code == 0
    report = tmp_path / "junit.xml"
    failing = cli(
        "score", answers, *common, "--max-drop", "0.3", "--fail-under", "1", "--junit", report
    )
    assert failing.exit_code == 1
    assert "FAIL tech dropped by 0.38" in failing.stderr
    cases = parse_junit(report)
    assert list(cases) == ["overall", "regression:overall", "regression:tech", "regression:people"]
    assert cases["overall"] is None and cases["regression:overall"] is None
    assert cases["regression:tech"] is not None


def test_score_junit_has_a_case_per_fail_under(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    result = cli(
        "score",
        TINY / "answers",
        "--questionnaire",
        TINY_Q,
        "--profile",
        TINY_PROFILE,
        "--fail-under",
        "1.8",
        "--fail-under-dimension",
        "people=2",
        "--junit",
        report,
    )
    assert result.exit_code == 1
    assert parse_junit(report) == {
        "overall": "overall score 1.75 is below --fail-under 1.8",
        "dimension:people": None,
    }


def test_max_drop_without_baseline_is_a_usage_error(cli: Cli) -> None:
    result = cli("score", TINY / "answers", "--questionnaire", TINY_Q, "--max-drop", "0.1")
    assert result.exit_code == 2 and "--max-drop needs --baseline" in result.stderr


def test_trend_orders_results_by_assessment_date(cli: Cli, tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    # File names sort the other way round from the dates, so only dates can give this order.
    for name, date, edits in (
        ("a-latest", "2027-08-18", IMPROVEMENT),
        ("b-middle", "2027-02-18", REGRESSION),
        ("c-first", "2026-11-18", {}),
    ):
        scored = score_variant(cli, tmp_path, name, edits, date)
        shutil.move(scored, results / f"{name}.json")
    (results / "notes.json").write_text('{"schema": "mcpscale/compare@1"}')  # skipped
    chart = tmp_path / "trend.svg"
    result = cli("trend", results, "--format", "csv", "--output", chart)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["file"] for r in rows] == ["c-first.json", "b-middle.json", "a-latest.json"]
    assert [r["assessed_at"] for r in rows] == ["2026-11-18", "2027-02-18", "2027-08-18"]
    assert rows[0]["tech_delta"] == "" and float(rows[1]["tech_delta"]) == -0.375
    assert float(rows[2]["people"]) == 2.5 and float(rows[2]["tech"]) == 1.625
    svg = chart.read_text()
    assert svg.startswith("<?xml") and "<svg" in svg and "<dc:date>" not in svg


def test_trend_json_and_table(cli: Cli, tmp_path: Path, base: Path) -> None:
    later = score_variant(cli, tmp_path, "later", IMPROVEMENT, "2027-02-01")
    data = cli.json("trend", later, base)
    assert data["schema"] == "mcpscale/trend@1"
    assert [p["file"] for p in data["points"]] == ["base.json", "later.json"]
    assert data["points"][1]["dimensions"]["people"] == {"score": 2.5, "delta": 0.5}
    assert {d["id"]: d["target"] for d in data["dimensions"]} == {"tech": 2.0, "people": 3.0}
    table = cli("trend", base, later)
    assert table.exit_code == 0 and "2.50 (+0.50)" in table.stdout


def test_trend_chart_must_be_svg_or_png(cli: Cli, tmp_path: Path, base: Path) -> None:
    result = cli("trend", base, "--output", tmp_path / "chart.pdf")
    assert result.exit_code == 2 and "write charts as .svg or .png" in result.stderr
    png = tmp_path / "chart.png"
    assert cli("trend", base, "--output", png).exit_code == 0
    assert png.read_bytes().startswith(b"\x89PNG")


def test_a_dimension_that_is_no_longer_scored_counts_as_a_drop(
    cli: Cli, tmp_path: Path, base: Path
) -> None:
    data = json.loads(base.read_text())
    data["dimensions"][1]["score"] = None  # people: every answer became unknown
    new = tmp_path / "new.json"
    new.write_text(json.dumps(data))
    result = cli("compare", base, new, "--max-drop", "3")
    assert result.exit_code == 1
    assert "FAIL people was 2.00 and is no longer scored" in result.stderr


def saved(scores: dict[str, float | None], overall: float | None) -> SavedResult:
    return SavedResult(
        Path("r.json"),
        {
            "schema": "mcpscale/result@1",
            "questionnaire": {"id": "q"},
            "overall": {"score": overall},
            "dimensions": [
                {"id": i, "name": i, "score": s, "target": 3} for i, s in scores.items()
            ],
            "questions": [],
        },
    )


score_values = st.one_of(st.none(), st.floats(0, 5, allow_nan=False))


@given(
    st.dictionaries(st.sampled_from(["a", "b", "c"]), st.tuples(score_values, score_values)),
    st.floats(0, 5, allow_nan=False),
)
def test_the_gate_fails_exactly_when_a_score_drops_more_than_max_drop(
    pairs: dict[str, tuple[float | None, float | None]], max_drop: float
) -> None:
    old = saved({i: o for i, (o, _) in pairs.items()}, None)
    new = saved({i: n for i, (_, n) in pairs.items()}, None)
    checks = check_regressions(compare_results(old, new), max_drop)
    assert [c.name for c in checks] == ["regression:overall"] + [f"regression:{i}" for i in pairs]
    for check, (before, after) in zip(checks[1:], pairs.values(), strict=True):
        dropped = before is not None and (after is None or before - after > max_drop + 1e-9)
        assert check.passed is not dropped


def test_trend_needs_results_of_one_questionnaire(cli: Cli, tmp_path: Path, base: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("trend", empty)
    assert result.exit_code == 2 and "no result files" in result.stderr
    data = json.loads(base.read_text())
    data["questionnaire"]["id"] = "other"
    (tmp_path / "other.json").write_text(json.dumps(data))
    mixed = cli("trend", base, tmp_path / "other.json")
    assert mixed.exit_code == 2 and "different questionnaires (other, tiny)" in mixed.stderr
