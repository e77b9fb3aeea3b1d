"""Finance a CFO signs, over the demo workshop: one cost base (the TCO and the ROI's costs
reconciled in one line that adds up), cumulative columns discounted beside undiscounted, the
most likely case beside the simulated median, no "100%" probability, a budget by phase that
splits one-off from running costs by calendar year and sums to the TCO, and assumptions that
cite the reference document by title and section."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from mcpscale.render.style import fmt_money, fmt_probability

from .conftest import ACME, ROOT, Cli, once, report_texts

ECONOMICS = ROOT / "questionnaires" / "mcp-enterprise-readiness" / "economics.yaml"
ARGS = (ACME / "answers", "--profile", ACME / "profile.yaml", "--simulations", "2000")


@pytest.fixture(scope="module")
def plan() -> dict:
    return Cli().json("plan", *ARGS)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The demo's report as Markdown and as the text of its HTML (markup and styles removed)."""
    return dict(once(tmp_path_factory, "finance-reports", _reports))


def _reports(folder: Path) -> dict[str, str]:
    texts = report_texts(folder, *ARGS)
    markup = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", texts["html"], flags=re.S)
    texts["text"] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
    texts["md_text"] = " ".join(html.unescape(texts["md"].replace("\\", "")).split())
    return texts


def eur(amount: float) -> str:
    return fmt_money(amount, "EUR")


def rounded(amount: float) -> float:
    return round(amount, -3)


def test_tco_and_roi_costs_reconcile_in_one_line_that_adds_up(
    plan: dict, reports: dict[str, str]
) -> None:
    basis, budget = plan["roi"]["cost_basis"], plan["budget"]
    assert basis["total_cost_of_ownership"] == pytest.approx(
        budget["total"] * (1 + budget["contingency_rate"])
    )
    assert basis["costs"] == pytest.approx(
        budget["total"] * (1 + basis["risk_adjustment_costs"]) * basis["cost_overrun"]
    )
    assert basis["costs"] == pytest.approx(sum(c["costs"] for c in plan["roi"]["cash_flows"]))
    assert basis["present_costs"] == pytest.approx(plan["roi"]["present_costs"])
    difference = rounded(basis["total_cost_of_ownership"]) - rounded(basis["costs"])
    # the assessment raises the pack's 10% cost risk above the 15% contingency
    risk = f"{basis['risk_adjustment_costs']:.0%}"
    assert basis["risk_adjustment_costs"] > budget["contingency_rate"] and difference < 0
    line = (
        f"One cost base: the total cost of ownership, {eur(basis['total_cost_of_ownership'])}, "
        f"is the budget {eur(budget['total'])} plus 15% contingency, the sum to approve; the ROI "
        f"counts the same budget plus a {risk} risk adjustment, {eur(basis['costs'])} "
        f"undiscounted ({eur(basis['present_costs'])} discounted), {eur(-difference)} above "
        f"the total cost of ownership: the ROI replaces the 15% contingency, a reserve, by its "
        f"{risk} risk adjustment, so that the uncertainty is not counted twice."
    )
    for text in (reports["text"], reports["md_text"]):
        assert text.count(line) == 2  # on the budget page and on the ROI page


def test_cumulative_columns_are_labelled_and_the_discounted_one_ends_at_the_npv(
    plan: dict, reports: dict[str, str]
) -> None:
    roi = plan["roi"]
    assert roi["cash_flows"][-1]["cumulative_present_net"] == pytest.approx(roi["npv"])
    header = "Cumulative net, undiscounted | Cumulative net, discounted |"
    assert header in reports["md"]
    assert "Cumulative net, undiscounted Cumulative net, discounted" in reports["text"]
    last = roi["cash_flows"][-1]
    row = f"| {eur(last['cumulative_net'])} | {eur(last['cumulative_present_net'])} |"
    assert row in reports["md"]
    assert "Cumulative " + "|" not in reports["md"]  # no unlabelled "Cumulative" column


def test_headline_shows_the_most_likely_case_and_the_simulated_median_and_mean(
    plan: dict, reports: dict[str, str]
) -> None:
    roi = plan["roi"]
    median = roi["simulation"]["p50"]
    assert median["npv"] != pytest.approx(roi["npv"])  # they differ: both must be shown
    markdown = reports["md_text"]
    assert (
        f"Most likely case: NPV **{eur(roi['npv'])}**, ROI **{roi['roi']:.0%}**; simulated "
        f"median: NPV {eur(median['npv'])}, ROI {median['roi']:.0%}"
    ) in markdown
    mean = roi["simulation"]["mean"]
    assert (
        f"**NPV:** {eur(roi['npv'])}, most likely case (median {eur(median['npv'])}, mean "
        f"{eur(mean['npv'])}; P10 (low end) to P90 (high end):"
    ) in markdown
    text = reports["text"]
    assert (
        f"NPV, most likely case {eur(roi['npv'])} Median {eur(median['npv'])}, mean "
        f"{eur(mean['npv'])}"
    ) in text
    assert (
        f"ROI, most likely case {roi['roi']:.0%} Median {median['roi']:.0%}, mean {mean['roi']:.0%}"
    ) in text
    # the P10/P90 convention, in words
    assert "P10 is the low (pessimistic) end: nine draws in ten do better." in text
    assert "P90 is the high (optimistic) end" in markdown
    assert "80% of the outcomes lie between P10 and P90" in markdown


@pytest.mark.parametrize(
    ("probability", "shown"),
    [
        (1.0, "> 99%"),
        (0.9951, "> 99%"),
        (0.99, "99%"),
        (0.5, "50%"),
        (0.004, "< 1%"),
        (0.0, "< 1%"),
    ],
)
def test_probabilities_never_read_certain(probability: float, shown: str) -> None:
    assert fmt_probability(probability) == shown


def coverage_cells(results_dimensions: list[dict]) -> int:
    return sum(1 for d in results_dimensions if d["coverage"] == 1)


def sure_gates_pack(folder: Path) -> Path:
    """The bundled pack with every gate sure to pass, so that every draw pays back."""
    pack = folder / "pack"
    shutil.copytree(ECONOMICS.parent, pack)
    with (pack / "economics.yaml").open("a", encoding="utf-8") as economics:
        economics.write("gate_pass: {all_met: 1.0, none_met: 1.0}\n")
    return pack


def test_no_100_percent_probability_in_the_report_or_the_terminal(cli: Cli, tmp_path: Path) -> None:
    args = (*ARGS, "--questionnaire", sure_gates_pack(tmp_path))
    assert cli.json("plan", *args)["roi"]["simulation"]["prob_positive"] > 0.99
    results = cli.json("score", ACME / "answers", "--profile", ACME / "profile.yaml")
    full_coverage = coverage_cells(results["dimensions"])  # a count, not an estimate
    output = tmp_path / "report.md"
    assert cli("report", *args, "--output", output).exit_code == 0
    text = " ".join(html.unescape(output.read_text().replace("\\", "")).split())
    assert "P(ROI > 0) > 99%" in text
    assert "paid back within the 36-month horizon in > 99% of draws" in text
    assert text.count("100%") == full_coverage
    terminal = cli("plan", *args).stdout
    assert "P(ROI > 0) > 99%" in terminal and "100%" not in terminal.split("Roadmap")[1]


def test_budget_by_phase_splits_one_off_from_running_by_calendar_year_to_the_tco(
    plan: dict, reports: dict[str, str]
) -> None:
    budget = plan["budget"]
    assert budget["calendar_years"] == [2027, 2028, 2029]  # plan_start 2027-01-01, 3 years
    cells = budget["by_phase_kind_calendar_year"]
    assert {c["kind"] for c in cells} == {"one_off", "running"}
    assert sum(c["amount"] for c in cells) == pytest.approx(budget["total"])
    assert sum(budget["by_kind"].values()) == pytest.approx(budget["total"])
    per_initiative = budget["by_initiative"]
    assert {i["id"] for i in per_initiative} == {i["id"] for i in plan["roadmap"]["initiatives"]}
    assert sum(i["total"] for i in per_initiative) == pytest.approx(budget["total"])
    # no cost comes before the phase that causes it starts (plan_start 2027-01-01)
    starts = {p["phase"]: 2027 + p["start_month"] // 12 for p in plan["roadmap"]["phases"]}
    assert all(c["calendar_year"] >= starts[c["phase"]] for c in cells), (starts, cells)
    assert starts[3] == 2028 and any(c["phase"] == 3 and c["calendar_year"] == 2029 for c in cells)

    markdown = reports["md"]
    assert "| Phase | Costs | 2027 | 2028 | 2029 | Total |" in markdown
    for phase in ("1 Foundation", "2 Expansion", "3 Scale"):
        assert f"| {phase} | One-off (build) |" in markdown
    assert markdown.count("|  | Running (operate) |") >= 3
    tco_row = re.search(r"\| \*\*Total cost of ownership\*\* \| \| (.+) \|\n", markdown)
    assert tco_row is not None
    *years, total = (
        float(cell.strip(" *").removeprefix("EUR ").replace(",", ""))
        for cell in tco_row.group(1).split("|")
    )
    assert total == rounded(budget["total_cost_of_ownership"])
    assert abs(sum(years) - total) <= 1000 * len(years)  # each cell rounded to a thousand
    # cost per initiative, by name; benefits by source
    first = plan["roadmap"]["initiatives"][0]
    assert f"| {first['title']} | {first['phase']} |" in markdown
    for source in ("Developer productivity", "Lower compute costs", "Faster time to market"):
        assert f"| {source} |" in markdown
    benefits = sum(c["benefits"] for c in plan["roi"]["cash_flows"])
    assert "| **Benefits** |" in markdown and f"**{eur(benefits)}**" in markdown


def test_every_assumption_cites_the_reference_document_by_title_and_section(
    plan: dict, reports: dict[str, str]
) -> None:
    pack = yaml.safe_load(ECONOMICS.read_text())
    title = pack["reference"]["title"]
    assert title == "The Strategic Imperative for Enterprise MCP Scaling"
    assumptions = plan["roi"]["assumptions"]
    assert plan["roi"]["reference"]["title"] == title
    sectioned = [name for name, a in assumptions.items() if a["section"]]
    assert len(sectioned) == 7  # the others are mcpscale's own, and say so
    for name, assumption in assumptions.items():
        citation = assumption["citation"]
        assert title in citation, name
        if assumption["section"]:
            assert citation.startswith(f"{title}, section {assumption['section']}: "), name
        else:
            assert citation.startswith(f"mcpscale assumption, no figure in {title}"), name
        assert " ".join(citation.split()) in reports["text"], name
        assert " ".join(citation.split()) in reports["md_text"], name
    assert "Reference text" not in reports["text"] and "Reference text" not in reports["md"]


@pytest.mark.slow
def test_the_demo_pdf_shows_no_100_percent_probability(demo_dir: Path, cli: Cli) -> None:
    layout = subprocess.run(
        ["pdftotext", "-layout", str(demo_dir / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    results = cli.json("score", ACME / "answers", "--profile", ACME / "profile.yaml")
    # the demo plans with its evidence, which now moves the risk adjustment and so the ROI
    chance = cli.json(
        "plan",
        ACME / "answers",
        "--profile",
        ACME / "profile.yaml",
        "--evidence",
        ACME / "evidence",
    )["roi"]
    shown = fmt_probability(chance["simulation"]["prob_positive"])
    assert f"P(ROI > 0) {'' if shown[0] in '<>' else '= '}{shown}" in " ".join(layout.split())
    assert layout.count("100%") == coverage_cells(results["dimensions"])
