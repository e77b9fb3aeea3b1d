"""A plan that fits what exists: what the answers show in place is not scheduled, and the plan
says why; each initiative says why it is in; value against effort; targets per phase."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
import yaml

from mcpscale.formats.pack import GateSet
from mcpscale.plan.roadmap import build_roadmap

from .conftest import ACME, Cli
from .test_plan_cli import ACME_ARGS, PACK
from .test_report_plan import pdf_text
from .test_roadmap import GATES, initiative


@pytest.fixture(scope="module")
def acme_plan() -> dict:
    return Cli().json("plan", *ACME_ARGS, "--simulations", "0")


def pack_copy(tmp_path: Path, old: str, new: str, file: str = "initiatives.yaml") -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    text = (pack / file).read_text(encoding="utf-8")
    assert old in text
    (pack / file).write_text(text.replace(old, new), encoding="utf-8")
    return pack


def answers_with_nominal_sponsor(tmp_path: Path) -> Path:
    """The Acme workshop, but the CTO calls the sponsorship nominal: it scores 2.5, so the
    sponsor initiative's trigger (< 3) holds while the gate's sponsor criterion (>= 2) is met."""
    folder = tmp_path / "answers"
    shutil.copytree(ACME / "answers", folder)
    ana = folder / "ana-silva.yaml"
    document = yaml.safe_load(ana.read_text(encoding="utf-8"))
    answer = document["answers"]["chg.executive-sponsorship"]
    if isinstance(answer, dict):
        answer["choice"] = "nominal"
    else:
        document["answers"]["chg.executive-sponsorship"] = "nominal"
    ana.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return folder


def test_the_core_platform_the_answers_show_is_not_scheduled_and_the_plan_says_why(
    acme_plan: dict,
) -> None:
    roadmap = acme_plan["roadmap"]
    scheduled = {i["id"] for i in roadmap["initiatives"]}
    assert "core-platform" not in scheduled
    left = {item["id"]: item for item in roadmap["left_out"]}
    core = left["core-platform"]
    assert core["reason"] == "in place"
    # The trigger's questions are scored at or above the level it asks for.
    assert [c["fact"] for c in core["checks"]] == [
        "question.tech.horizontal-scaling",
        "question.tech.cluster-topology",
    ]
    assert all(not c["holds"] and c["score"] >= c["value"] for c in core["checks"])
    assert {"sso-integration", "observability", "audit-logging"} <= set(core["needed_by"])
    # A dependency is either scheduled before its dependant or left out as existing.
    for item in roadmap["initiatives"]:
        for dependency in item["depends_on"]:
            assert dependency in scheduled or item["id"] in left[dependency]["needed_by"]
    assert not any(line["id"] in left for line in acme_plan["priorities"])


def test_the_sponsor_initiative_is_not_scheduled_while_its_gate_criterion_is_met(
    cli: Cli, tmp_path: Path
) -> None:
    answers = answers_with_nominal_sponsor(tmp_path)
    profile = ("--profile", ACME / "profile.yaml", "--simulations", "0")
    data = cli.json("plan", answers, *profile)
    sponsor_gate = data["gates"][0]["entry"][0]
    assert sponsor_gate == {"name": "An executive sponsor backs the programme", "met": True}
    left = {item["id"]: item for item in data["roadmap"]["left_out"]}
    sponsor = left["executive-sponsorship"]
    assert sponsor["reason"] == "gate criterion met"
    assert sponsor["criterion"] == sponsor_gate["name"]
    assert sponsor["checks"] == [
        {
            "fact": "question.chg.executive-sponsorship",
            "op": ">=",
            "value": 2,
            "score": 2.5,
            "holds": True,
        }
    ]
    assert "executive-sponsorship" not in {i["id"] for i in data["roadmap"]["initiatives"]}

    # Without `satisfies` in gates.yaml the same answers schedule it, and it costs money.
    pack = pack_copy(tmp_path, "        satisfies: [executive-sponsorship]\n", "", "gates.yaml")
    unfit = cli.json("plan", answers, *profile, "--questionnaire", pack)
    ids = [i["id"] for i in unfit["roadmap"]["initiatives"]]
    assert "executive-sponsorship" in ids
    charged = {p["id"]: p["effort"] for p in unfit["priorities"]}
    assert charged["executive-sponsorship"] > 0  # the core team's month on it
    assert "executive-sponsorship" not in {p["id"] for p in data["priorities"]}


def test_totals_drop_by_what_is_not_built_and_still_add_up(
    cli: Cli, tmp_path: Path, acme_plan: dict
) -> None:
    # Make the core platform's trigger hold: it is scheduled again, with its costs.
    pack = pack_copy(
        tmp_path,
        '{question.tech.horizontal-scaling: "< 3"}, {question.tech.cluster-topology: "< 3"}',
        '{question.tech.horizontal-scaling: "< 5"}, {question.tech.cluster-topology: "< 3"}',
    )
    forced = cli.json("plan", *ACME_ARGS, "--simulations", "0", "--questionnaire", pack)
    assert "core-platform" in {i["id"] for i in forced["roadmap"]["initiatives"]}
    one_off = 120_000 + 60_000 + 40_000  # its one-off costs in initiatives.yaml (multiplier 1)
    assert forced["budget"]["total"] - acme_plan["budget"]["total"] > one_off
    for plan in (acme_plan, forced):
        budget = plan["budget"]
        assert math.isclose(sum(budget["by_year"]), budget["total"])
        assert math.isclose(sum(budget["by_phase"].values()), budget["total"])
        # Every amount belongs to a scheduled initiative: the efforts sum to the budget.
        efforts = sum(p["effort"] for p in plan["priorities"])
        assert math.isclose(efforts, budget["total"])
        assert math.isclose(
            budget["total_cost_of_ownership"], budget["total"] * (1 + budget["contingency_rate"])
        )


def test_every_scheduled_initiative_says_why_it_is_in_the_plan(acme_plan: dict) -> None:
    initiatives = acme_plan["roadmap"]["initiatives"]
    assert len(initiatives) >= 20
    for item in initiatives:
        if item["fired"]:
            assert item["reasons"], item["id"]
            assert all(reason["holds"] for reason in item["reasons"]), item["id"]
        else:  # brought in only because a scheduled initiative needs it
            assert item["required_by"], item["id"]
    audit = next(i for i in initiatives if i["id"] == "audit-logging")
    assert audit["reasons"] == [
        {"fact": "question.gov.audit-logging", "op": "<", "value": 3, "score": 2.25, "holds": True}
    ]


def test_value_against_effort_marks_quick_wins_and_phases_have_targets(acme_plan: dict) -> None:
    priorities = {p["id"]: p for p in acme_plan["priorities"]}
    assert set(priorities) == {i["id"] for i in acme_plan["roadmap"]["initiatives"]}
    quick = [p for p in priorities.values() if p["quadrant"] == "quick win"]
    assert quick
    valued = sorted(p["value"] for p in priorities.values() if p["value"] > 0)
    efforts = sorted(p["effort"] for p in priorities.values())
    for p in quick:  # at least the median gap, at most the median cost
        assert p["value"] >= valued[len(valued) // 2 - (len(valued) % 2 == 0)]
        assert p["effort"] <= efforts[len(efforts) // 2]
    targets = {t["dimension"]: t for t in acme_plan["phase_targets"]}
    # Phase 1 exit asks technical >= 3, phase 3 entry technical >= 4; the plan ends at target.
    assert targets["technical"]["by_phase"] == [3, 4, 4]
    assert targets["governance"]["by_phase"] == [3, 3, 4]
    for target in targets.values():
        assert target["by_phase"] == sorted(target["by_phase"])
        assert target["by_phase"][-1] == target["target"]


def test_a_scored_dependency_is_satisfied_an_unanswered_one_is_scheduled() -> None:
    base = initiative("base", triggers={"question.base": "< 3"})
    top = initiative("top", depends_on=["base"])
    shown = build_roadmap([base, top], GATES, {"question.q": 1.0, "question.base": 3.5}, 5)
    assert [i.id for i in shown.initiatives] == ["top"]
    assert [(i.id, i.reason, i.needed_by) for i in shown.left_out] == [
        ("base", "in place", ("top",))
    ]
    unknown = build_roadmap([base, top], GATES, {"question.q": 1.0}, 5)  # base unanswered
    assert [i.id for i in unknown.initiatives] == ["base", "top"]
    assert unknown.initiatives[0].reasons[0].score is None
    gates = GateSet.model_validate(
        {
            **GATES.model_dump(),
            "phases": [
                {
                    **GATES.gate(1).model_dump(),
                    "entry": [
                        {"name": "q ok", "condition": {"question.q": ">= 1"}, "satisfies": ["top"]}
                    ],
                },
                GATES.gate(2).model_dump(),
                GATES.gate(3).model_dump(),
            ],
        }
    )
    met = build_roadmap([base, top], gates, {"question.q": 1.0}, 5)
    assert met.initiatives == ()  # top is satisfied by the gate, so nobody needs base
    assert [(i.id, i.reason, i.criterion, i.fired) for i in met.left_out] == [
        ("top", "gate criterion met", "q ok", True)
    ]


def test_validate_names_an_unknown_initiative_in_satisfies(cli: Cli, tmp_path: Path) -> None:
    pack = pack_copy(
        tmp_path,
        "satisfies: [executive-sponsorship]",
        "satisfies: [executive-sponsor]",
        "gates.yaml",
    )
    result = cli("validate", pack)
    assert result.exit_code == 1
    assert re.search(
        r"gates\.yaml:\d+:\d+: .*unknown initiative 'executive-sponsor'", result.stdout
    )
    assert "did you mean 'executive-sponsorship'" in result.stdout


def test_html_report_shows_fit_priorities_targets_and_dimension_points(
    acme_report: dict[str, str],
) -> None:
    document = acme_report["html"]
    roadmap = document[document.index('<section id="roadmap">') :]
    roadmap = roadmap[: roadmap.index("</section>")]
    left = roadmap[roadmap.index("<h3>Left out: already in place") :]
    left = left[: left.index("</table>")]
    assert "Stand up the core MCP server platform" in left
    assert "In place: “How do your MCP servers scale when demand grows?” scores 3.33" in left
    assert "Gate criterion met: An executive sponsor backs the programme" in left
    listed = roadmap[roadmap.index("Initiatives and why each is in the plan") :]
    assert "Stand up the core MCP server platform" not in listed
    assert "scores 2.25, below 3" in listed  # audit logging's trigger, in words
    assert "Value against effort" in roadmap and "Quick win" in roadmap
    assert "Maturity each phase should reach" in roadmap
    technical = document[document.index('<section id="dimension-technical">') :]
    technical = technical[: technical.index("</section>")]
    assert "Strengths and weaknesses" in technical
    assert re.search(r'<span class="sev high">high</span>\s*Weakness: “', technical)
    assert '<span class="tag ok">strength</span>' in technical


def test_markdown_carries_the_fit_sections(acme_report: dict[str, str]) -> None:
    text = acme_report["md"]
    for heading in (
        "### Maturity each phase should reach",
        "### Initiatives and why each is in the plan",
        "### Left out: already in place",
        "### Value against effort",
    ):
        assert heading in text, heading
    assert "| Stand up the core MCP server platform | In place:" in text
    assert "- **high**: Weakness:" in text


@pytest.mark.slow
def test_pdf_roadmap_pages_say_what_was_left_out_and_why(demo_dir: Path) -> None:
    text = " ".join(pdf_text(demo_dir / "report.pdf").split())
    start = text.index("Left out: already in place An initiative is left out")
    end = text.index("Value against effort", start)
    left = text[start:end]  # table cells interleave in the text layer: check each part
    assert "Stand up the core MCP server platform" in left
    assert "In place: “How do your MCP servers scale when demand grows?”" in left
    assert "quick win" in text[end:].lower()


def test_the_terminal_plan_lists_what_it_left_out_and_why(cli: Cli) -> None:
    result = cli("plan", ACME / "answers", "--profile", ACME / "profile.yaml")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Left out: already in place" in text
    left_out = text[text.index("Left out: already in place") :]
    assert "core-platform in place" in left_out
    assert "executive-sponsorship gate criterion met" in left_out
