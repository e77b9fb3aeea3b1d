"""`mcpscale plan` as a user runs it: given these files, this command prints, writes, exits."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import yaml

from mcpscale.inputs.packs import data_dir, resolve_pack

from .conftest import ACME, TINY, Cli

PACK = data_dir("questionnaires") / "mcp-enterprise-readiness"
ACME_ARGS = (ACME / "answers", "--profile", ACME / "profile.yaml")


def top_level_answers(folder: Path) -> Path:
    """One respondent who picks the most mature choice of every question."""
    q = resolve_pack("mcp-enterprise-readiness").questionnaire
    folder.mkdir()
    answers = {
        question.id: max(question.choices, key=lambda c: c.level).id for question in q.questions
    }
    document = {
        "kind": "answers",
        "questionnaire": q.ref,
        "respondent": {"name": "Top", "role": "CTO"},
        "assessed_at": "2026-11-16",
        "answers": answers,
    }
    (folder / "top.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    return folder


def test_plan_table_shows_every_section(cli: Cli) -> None:
    result = cli("plan", *ACME_ARGS)
    assert result.exit_code == 0, result.output
    for heading in (
        "Phases and gates",
        "Roadmap",
        "Gate readiness today",
        "Budget by phase and calendar year",
        "Risk-adjusted cash flows",
        "Return on investment",
        "Sensitivity of NPV",
        "Risk register",
    ):
        assert heading in result.stdout, heading
    assert "critical path" in result.stdout


def test_plan_json_has_the_documented_shape(cli: Cli) -> None:
    data = cli.json("plan", *ACME_ARGS, "--simulations", "2000")
    assert data["schema"] == "mcpscale/plan@1"
    assert {"roadmap", "gates", "budget", "roi", "risks"} <= set(data)
    roi = data["roi"]
    assert {
        "npv",
        "roi",
        "irr",
        "payback_months",
        "cash_flows",
        "simulation",
        "sensitivity",
    } <= set(roi)
    assert set(roi["simulation"]) >= {"p10", "p50", "p90", "prob_positive", "cumulative_net"}
    assert [flow["year"] for flow in roi["cash_flows"]] == [0, 1, 2, 3]
    band = roi["simulation"]["cumulative_net"]  # the report's P10-P90 band, per year
    assert [point["year"] for point in band] == [0, 1, 2, 3]
    assert all(point["p10"] <= point["p50"] <= point["p90"] for point in band)
    assert band[-1]["p10"] < roi["cash_flows"][-1]["cumulative_net"] < band[-1]["p90"]
    # NPV is the sum of the present values the cash flows show.
    present = sum(f["present_benefits"] - f["present_costs"] for f in roi["cash_flows"])
    assert abs(present - roi["npv"]) < 1e-6
    phases = data["roadmap"]["phases"]
    assert [p["name"] for p in phases] == ["Foundation", "Expansion", "Scale"]
    for phase in phases:
        low, high = phase["range_months"]
        assert low <= phase["duration_months"] <= high or phase["note"]
    # plan_start 2027-01-01 + 4 months: the core platform exists, so phase 1 need not build it
    assert phases[0]["gate_date"] == "2027-07-01"
    scores = [r["score"] for r in data["risks"]]
    assert scores == sorted(scores, reverse=True)
    assert all(r["score"] == r["probability"] * r["impact"] for r in data["risks"])
    budget = data["budget"]
    assert abs(sum(budget["by_year"]) - budget["total"]) < 1e-6
    assert budget["total_cost_of_ownership"] > budget["total"]


def test_every_initiative_starts_after_what_it_depends_on(cli: Cli) -> None:
    roadmap = cli.json("plan", *ACME_ARGS, "--simulations", "0")["roadmap"]
    items = {i["id"]: i for i in roadmap["initiatives"]}
    in_place = {i["id"] for i in roadmap["left_out"]}  # exists already: nothing to wait for
    assert len(items) >= 10
    for item in items.values():
        for dependency in item["depends_on"]:
            if dependency not in in_place:
                assert items[dependency]["end_month"] <= item["start_month"]


def test_the_same_seed_gives_the_same_plan(cli: Cli) -> None:
    first = cli("plan", *ACME_ARGS, "--format", "json", "--seed", "7").stdout
    second = cli("plan", *ACME_ARGS, "--format", "json", "--seed", "7").stdout
    other = json.loads(cli("plan", *ACME_ARGS, "--format", "json", "--seed", "8").stdout)
    assert first == second
    assert json.loads(first)["roi"]["simulation"] != other["roi"]["simulation"]


def test_an_organisation_at_the_top_everywhere_needs_no_initiative_and_runs_no_risk(
    cli: Cli, tmp_path: Path
) -> None:
    answers = top_level_answers(tmp_path / "answers")
    data = cli.json("plan", answers, "--profile", ACME / "profile.yaml")
    assert data["roadmap"]["initiatives"] == []
    assert data["risks"] == []
    assert all(gate["ready"] for gate in data["gates"])
    assert data["budget"]["total"] == 0
    assert data["roi"]["roi"] is None  # nothing invested, nothing to return


def test_a_dependency_cycle_is_reported_by_name(cli: Cli, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    initiatives = pack / "initiatives.yaml"
    text = initiatives.read_text(encoding="utf-8")
    before = "    depends_on: [executive-sponsorship]\n    success_criteria: [Baselines"
    after = before.replace("sponsorship]", "sponsorship, usage-analytics]")
    assert before in text
    text = text.replace(before, after)
    initiatives.write_text(text, encoding="utf-8")
    result = cli("plan", *ACME_ARGS, "--questionnaire", pack)
    assert result.exit_code == 2
    assert "business-value-framework -> usage-analytics -> business-value-framework" in (
        result.stderr
    )
    assert "Traceback" not in result.output


def test_a_pack_without_planning_files_is_still_scored(cli: Cli) -> None:
    args = (TINY / "answers", "--profile", TINY / "profile.yaml", "--questionnaire", TINY)
    result = cli("plan", *args)
    assert result.exit_code == 0, result.output
    assert "Technology" in result.stdout and "1.75" in result.stdout
    assert "no planning files" in result.stdout
    data = cli.json("plan", *args)
    assert data["roadmap"] is None and data["roi"] is None and data["risks"] is None
    assert data["assessment"]["overall"] == 1.75
    assert sorted(data["missing"]) == ["economics", "gates", "initiatives", "risks"]


def test_plan_csv_has_one_row_per_initiative(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "roadmap.csv"
    result = cli("plan", *ACME_ARGS, "--format", "csv", "--output", out, "--simulations", "0")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    data = cli.json("plan", *ACME_ARGS, "--simulations", "0")
    assert [r["id"] for r in rows] == [i["id"] for i in data["roadmap"]["initiatives"]]


def test_horizon_years_sets_the_number_of_cash_flow_years(cli: Cli) -> None:
    data = cli.json("plan", *ACME_ARGS, "--horizon-years", "5", "--simulations", "0")
    assert [f["year"] for f in data["roi"]["cash_flows"]] == [0, 1, 2, 3, 4, 5]


def acme_profile_with(tmp_path: Path, extra: str) -> Path:
    """Acme's profile with extra YAML lines appended."""
    profile = tmp_path / "profile.yaml"
    profile.write_text((ACME / "profile.yaml").read_text(encoding="utf-8") + extra, "utf-8")
    return profile


def test_an_unknown_economic_override_is_one_clear_error_at_its_line(
    cli: Cli, tmp_path: Path
) -> None:
    profile = acme_profile_with(tmp_path, "economics: {compute_cost_reducton: {low: 0.1}}\n")
    result = cli("plan", ACME / "answers", "--profile", profile)
    assert result.exit_code == 2
    lines = len((ACME / "profile.yaml").read_text(encoding="utf-8").splitlines())
    assert f"profile.yaml:{lines + 1}:" in result.stderr
    assert "did you mean 'compute_cost_reduction'" in result.stderr


def test_an_override_that_breaks_the_range_order_is_an_error(cli: Cli, tmp_path: Path) -> None:
    profile = acme_profile_with(tmp_path, "economics: {compute_cost_reduction: {low: 0.5}}\n")
    result = cli("plan", ACME / "answers", "--profile", profile)
    assert result.exit_code == 2
    assert "expected low <= likely <= high" in result.stderr


def test_a_profile_override_changes_the_roi(cli: Cli, tmp_path: Path) -> None:
    profile = acme_profile_with(
        tmp_path, "economics: {context_work_share: {low: 0.05, likely: 0.05, high: 0.1}}\n"
    )
    base = cli.json("plan", *ACME_ARGS, "--simulations", "0")["roi"]["npv"]
    lower = cli.json("plan", ACME / "answers", "--profile", profile, "--simulations", "0")
    assert lower["roi"]["npv"] < base


def test_validate_checks_planning_files_with_lines(cli: Cli, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    risks = pack / "risks.yaml"
    risks.write_text(
        risks.read_text(encoding="utf-8").replace(
            "mitigations: [core-platform, multi-region]", "mitigations: [core-platfom]"
        ),
        encoding="utf-8",
    )
    result = cli("validate", pack)
    assert result.exit_code == 1
    assert "risks.yaml:" in result.stdout
    assert "unknown initiative 'core-platfom' (did you mean 'core-platform'?)" in result.stdout
    assert cli("validate", PACK).exit_code == 0


def test_schema_covers_the_planning_files(cli: Cli) -> None:
    for kind in ("initiatives", "gates", "risks", "economics"):
        result = cli("schema", kind)
        assert result.exit_code == 0
        assert json.loads(result.stdout)["$id"].endswith(f"/{kind}.json")


def test_bundled_pack_has_the_content_the_issue_asks_for() -> None:
    from mcpscale.inputs.packs import load_plan_content

    content = load_plan_content(resolve_pack("mcp-enterprise-readiness"))
    assert content.initiatives and len(content.initiatives.initiatives) >= 25
    assert content.risks and len(content.risks.risks) >= 15
    assert content.risks and {r.category for r in content.risks.risks} == {
        "technical",
        "security",
        "compliance",
        "operational",
        "organisational",
    }
    assert content.economics and content.economics.risk_adjustment.benefits == 0.15


def test_a_speedup_below_one_is_refused(cli: Cli, tmp_path: Path) -> None:
    profile = acme_profile_with(
        tmp_path, "economics: {time_to_market_speedup: {low: 0.5, likely: 1, high: 2}}\n"
    )
    result = cli("plan", ACME / "answers", "--profile", profile)
    assert result.exit_code == 2
    assert "time_to_market_speedup: low must be at least 1" in result.stderr


def test_validate_points_at_a_gate_criterion_on_an_unknown_question(
    cli: Cli, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    gates = pack / "gates.yaml"
    text = gates.read_text(encoding="utf-8")
    assert "question.skl.core-team" in text
    gates.write_text(text.replace("question.skl.core-team", "question.skl.core-teem"), "utf-8")
    line = next(
        number
        for number, content in enumerate(text.splitlines(), start=1)
        if "question.skl.core-team" in content
    )
    result = cli("validate", pack)
    assert result.exit_code == 1
    assert f"gates.yaml:{line}:" in result.stdout
    assert "did you mean 'question.skl.core-team'" in result.stdout


def make_custom_pack(tmp_path: Path) -> Path:
    """The tiny 0-3 questionnaire with two initiatives, three gates, one risk, our economics."""
    pack = tmp_path / "tiny-pack"
    shutil.copytree(TINY, pack)
    shutil.copy(PACK / "economics.yaml", pack / "economics.yaml")
    (pack / "initiatives.yaml").write_text(
        """kind: initiatives
initiatives:
  - {id: pipeline, title: Deploy from a pipeline, dimension: tech,
     triggers: {question.tech.a: "< 2"}, phase: 1, duration_months: {low: 2, high: 3},
     effort_fte_months: 4, costs: {one_off: {software: 10000}}}
  - {id: coaching, title: Coach the teams, dimension: people,
     triggers: {gap.people: "> 0"}, phase: 2, duration_months: {low: 1, high: 2},
     effort_fte_months: 2, depends_on: [pipeline]}
""",
        "utf-8",
    )
    (pack / "gates.yaml").write_text(
        """kind: gates
phases:
  - {phase: 1, name: Start, duration_months: {low: 2, high: 4},
     entry: [{name: Someone deploys, condition: {dimension.tech: ">= 1"}}]}
  - {phase: 2, name: Grow, duration_months: {low: 2, high: 4},
     entry: [{name: Tech established, condition: {dimension.tech: ">= 2"}}]}
  - {phase: 3, name: Run, duration_months: {low: 1, high: 2}}
""",
        "utf-8",
    )
    (pack / "risks.yaml").write_text(
        """kind: risks
risks:
  - {id: manual-deploys, title: Manual deploys break, category: operational,
     probability: 4, impact: 3, trigger: {question.tech.a: "<= 2"}, mitigations: [pipeline]}
""",
        "utf-8",
    )
    return pack


def test_a_custom_pack_on_another_scale_gets_a_full_plan(cli: Cli, tmp_path: Path) -> None:
    pack = make_custom_pack(tmp_path)
    assert cli("validate", pack).exit_code == 0
    data = cli.json(
        "plan", TINY / "answers", "--profile", TINY / "profile.yaml", "--questionnaire", pack
    )
    initiatives = data["roadmap"]["initiatives"]
    # tech.a scores 2.0 (Ana 3, Ben 1): pipeline does not fire, and the answers show it in
    # place, so coaching's dependency on it is satisfied rather than scheduled.
    assert [(i["id"], i["fired"]) for i in initiatives] == [("coaching", True)]
    assert [(i["id"], i["reason"], i["needed_by"]) for i in data["roadmap"]["left_out"]] == [
        ("pipeline", "in place", ["coaching"])
    ]
    assert [g["ready"] for g in data["gates"]] == [True, False, True]
    assert [r["id"] for r in data["risks"]] == ["manual-deploys"]
    # Only coaching (phase 2) is built: nothing is paid in year 0, but the plan costs money.
    assert data["roi"]["cash_flows"][0]["costs"] == 0
    assert sum(c["costs"] for c in data["roi"]["cash_flows"]) > 0
    assert data["missing"] == []


def test_a_question_gap_trigger_is_said_by_the_questions_text(cli: Cli, tmp_path: Path) -> None:
    # tech.b gets a target of its own; an initiative fires on its gap to it
    pack = make_custom_pack(tmp_path)
    questionnaire = pack / "questionnaire.yaml"
    text = questionnaire.read_text()
    questionnaire.write_text(
        text.replace(
            "  - id: tech.b\n    dimension: tech\n",
            "  - id: tech.b\n    dimension: tech\n    target: 3\n",
        )
    )
    initiatives = pack / "initiatives.yaml"
    initiatives.write_text(
        initiatives.read_text()
        + """  - {id: watch, title: Watch latency, dimension: tech,
     triggers: {question_gap.tech.b: "> 0"}, phase: 1, duration_months: {low: 1, high: 2},
     effort_fte_months: 1}
"""
    )
    assert cli("validate", pack).exit_code == 0
    args = ("plan", TINY / "answers", "--profile", TINY / "profile.yaml", "--questionnaire", pack)
    data = cli.json(*args)
    assert "watch" in [i["id"] for i in data["roadmap"]["initiatives"]]
    report = tmp_path / "r.md"
    assert cli("report", *args[1:], "--output", report).exit_code == 0
    shown = " ".join(report.read_text().split())
    assert "The gap of “How is latency watched?” to its target scores 1.50, above 0" in shown
    assert "question_gap" not in shown
    # it closes the question's whole gap (1.5 levels): it has value, it is no mere enabler
    value = {p["id"]: p["value"] for p in data["priorities"]}
    assert value["watch"] == 1.5
