"""The report with its plan: the demo a sponsor reads, Markdown for wikis, progress on a terminal.

The demo PDF takes about ten seconds to render, so it is rendered once for this module.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from mcpscale.render.style import fmt_money

from .conftest import ACME, EPOCH, ROOT, TINY, Cli, pdf_pages, run_demo
from .test_plan_cli import make_custom_pack
from .test_report import HOSTILE_NOTE, TINY_ARGS, pdf_text
from .zygote import PtyChild, warm

ECONOMICS = ROOT / "questionnaires" / "mcp-enterprise-readiness" / "economics.yaml"
PLAN_SECTIONS = (
    "Gate readiness",
    "Roadmap",
    "Budget and total cost of ownership",
    "Return on investment",
    "Risk register",
)
PLAN_CHART_TITLES = (
    "Roadmap: initiatives by phase, gates and dependencies",
    "Budget by phase and category",
    "Risk-adjusted cash flows per year",
    "Cumulative net cash flow with its P10-P90 range",
    "Sensitivity of NPV to each input",
    "Risk heat map: probability x impact",
)


@pytest.fixture(scope="module")
def acme_plan() -> dict:
    """The demo's plan: its evidence conflicts raise the risk adjustment, so they count."""
    return Cli().json(
        "plan",
        ACME / "answers",
        "--profile",
        ACME / "profile.yaml",
        "--evidence",
        ACME / "evidence",
    )


@pytest.mark.slow
def test_demo_report_has_every_plan_section_and_at_least_six_charts(demo_dir: Path) -> None:
    text = pdf_text(demo_dir / "report.pdf")
    contents = text[text.index("Contents") : text.index("Page 2 of")]
    for section in PLAN_SECTIONS:
        assert section in contents, section
        assert text.count(section) >= 2, section  # and the section's heading
    assert "Economic assumptions and their sources" in text
    document = (demo_dir / "report.html").read_text()
    assert document.count("<svg") >= 6
    for title in PLAN_CHART_TITLES:
        assert title in document, title
    assert "not available" not in document  # the bundled pack has every planning file


@pytest.mark.slow
def test_demo_pdf_names_the_organisation_each_score_and_the_formatted_npv(
    demo_dir: Path, acme_plan: dict
) -> None:
    text = " ".join(pdf_text(demo_dir / "report.pdf").split())  # lines wrap in boxes
    results = json.loads((demo_dir / "results.json").read_text())
    assert "Acme Financial Group" in text
    for dimension in results["dimensions"]:
        assert f"{dimension['score']:.2f}" in text, dimension["id"]
    roi = acme_plan["roi"]
    npv = fmt_money(roi["npv"], "EUR")
    assert re.fullmatch(r"EUR \d{1,3}(,\d{3})+", npv)  # thousands separators, the currency
    assert npv in text
    p10, p90 = roi["simulation"]["p10"]["npv"], roi["simulation"]["p90"]["npv"]
    assert (
        f"P10 (low end) to P90 (high end): {fmt_money(p10, 'EUR')} to {fmt_money(p90, 'EUR')}"
    ) in text
    assert f"{roi['payback_months']} months" in text


@pytest.mark.slow
def test_executive_summary_fits_on_one_page_with_the_plan_headlines(
    demo_dir: Path, acme_plan: dict
) -> None:
    pages = pdf_pages(demo_dir / "report.pdf")
    summary = next(i for i, p in enumerate(pages) if "Executive summary" in p and i > 1)
    page = " ".join(pages[summary].split())  # a criterion may wrap across lines
    blocked = next(g for g in acme_plan["gates"] if not g["ready"])
    assert f"Not yet ready for phase {blocked['phase']} {blocked['name']}" in page
    for criterion in blocked["blocking"]:
        assert criterion in page
    tco = acme_plan["budget"]["total_cost_of_ownership"]
    assert fmt_money(tco, "EUR") in page
    assert fmt_money(acme_plan["roi"]["npv"], "EUR") in page
    assert f"{acme_plan['roi']['roi']:.0%}" in page
    assert "Key findings" in page and "Decision asked" in page
    assert "Maturity by dimension" in pages[summary + 1]  # nothing spilled over


@pytest.mark.slow
def test_appendix_gives_every_economic_assumption_with_its_source(
    demo_dir: Path, acme_plan: dict
) -> None:
    markup = (demo_dir / "report.html").read_text()
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
    assumptions = acme_plan["roi"]["assumptions"]
    assert len(assumptions) >= 6
    for name, estimate in assumptions.items():
        assert name.replace("_", " ") in text
        assert " ".join(estimate["source"].split()) in text, name
    pack = yaml.safe_load((ECONOMICS).read_text())
    adjustment, used = pack["risk_adjustment"], acme_plan["roi"]["risk_adjustment"]
    assert (
        f"Risk adjustment benefits -{used['benefits']:.0%}, costs +{used['costs']:.0%} "
        f"{' '.join(adjustment['source'].split())}; the pack's {adjustment['benefits']:.0%} and "
        f"{adjustment['costs']:.0%} moved by the assessment (Return on investment); weights: "
        f"{adjustment['weights_source']}"
    ) in text
    assert (
        f"Contingency {pack['contingency']:.0%} mcpscale assumption in the pack's economics.yaml; "
        f"{pack['reference']['title']} gives no figure"
    ) in text
    assert "Discount rate 10% organisation profile" in text  # examples/acme/profile.yaml


@pytest.mark.slow
def test_demo_is_byte_identical_on_a_second_run(demo_dir: Path, tmp_path: Path) -> None:
    run_demo(tmp_path)
    for name in ("report.pdf", "report.html", "results.json"):
        assert (tmp_path / name).read_bytes() == (demo_dir / name).read_bytes(), name


def test_markdown_report_links_charts_written_beside_it(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    output = tmp_path / "wiki" / "report.md"
    args = (ACME / "answers", "--profile", ACME / "profile.yaml", "--simulations", "500")
    result = cli("report", *args, "--output", output)
    assert result.exit_code == 0, result.output
    again = tmp_path / "again" / "report.md"
    assert cli("report", *args, "--output", again).exit_code == 0
    assert again.read_bytes() == output.read_bytes()
    for chart in (tmp_path / "again" / "report-charts").iterdir():
        assert chart.read_bytes() == (tmp_path / "wiki" / "report-charts" / chart.name).read_bytes()
    markdown = output.read_text()
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    charts = sorted((tmp_path / "wiki" / "report-charts").glob("*.svg"))
    assert len(charts) >= 10  # radar, one per dimension, six for the plan
    assert sorted(links) == sorted(f"report-charts/{c.name}" for c in charts)
    assert all(c.read_text().startswith("<svg") for c in charts)
    assert f"wrote {output}" in result.stdout
    for heading in ("## Executive summary", *(f"## {s}" for s in PLAN_SECTIONS)):
        assert heading in markdown
    assert "# MCP readiness assessment: Acme Financial Group" in markdown
    assert re.search(r"\*\*NPV:\*\* EUR \d{1,3}(,\d{3})+", markdown)


def test_markdown_keeps_hostile_notes_as_text(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "answers"
    shutil.copytree(TINY / "answers", answers)
    ben = answers / "ben.yaml"
    note = HOSTILE_NOTE + " ![x](http://example.com/t.png) | pipe"
    ben.write_text(
        ben.read_text().replace("tech.b: most", f"tech.b: {{choice: most, note: '{note}'}}")
    )
    output = tmp_path / "r.md"
    args = (answers, "--questionnaire", TINY / "questionnaire.yaml", "--output", output)
    assert cli("report", *args).exit_code == 0
    markdown = output.read_text()
    assert '&lt;img src="file:///etc/passwd"&gt;' in markdown
    assert "<img" not in markdown and "<script>" not in markdown
    assert "](http://example.com" not in markdown  # no image or link syntax survives
    assert "\\| pipe" in markdown  # stays inside its table cell


def test_a_custom_pack_on_another_scale_gets_every_plan_section(cli: Cli, tmp_path: Path) -> None:
    pack = make_custom_pack(tmp_path)
    output = tmp_path / "r.html"
    args = (TINY / "answers", "--profile", TINY / "profile.yaml", "--questionnaire", pack)
    result = cli("report", *args, "--output", output, "--simulations", "200", "--seed", "7")
    assert result.exit_code == 0, result.output
    document = html.unescape(output.read_text())
    assert "not available" not in document
    # gates 1 and 3 are open today, gate 2 is not: the verdict names the first blocked one
    assert (
        "Ready to enter phase 1 Start. Not yet ready for phase 2 Grow: 1 blocking criterion."
        in (document)
    )
    for title in PLAN_CHART_TITLES:
        assert title in document, title
    assert "Deploy from a pipeline" in document and "Manual deploys break" in document


def test_pack_without_planning_files_says_so_once(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "r.html"
    assert cli("report", *TINY_ARGS, "--output", output).exit_code == 0
    document = html.unescape(output.read_text())
    line = (
        "This pack has no planning files (initiatives, gates, risks, economics), so the report "
        "holds the assessment only."
    )
    assert document.count(line) == 1
    for section in ("Gate readiness", "Roadmap", "Risk register", "Return on investment"):
        assert section not in document, section  # no page that only says a file is missing
    assert "Tiny Org" in document and "1.62" in document  # the assessment is all there


def test_report_without_a_profile_of_a_pack_without_a_plan_says_so(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "r.md"
    args = (TINY / "answers", "--questionnaire", TINY / "questionnaire.yaml")
    assert cli("report", *args, "--output", output).exit_code == 0
    markdown = output.read_text()
    assert "This pack has no planning files" in markdown  # a profile would add nothing
    assert "pass --profile" not in markdown
    assert "## Maturity by dimension" in markdown


def on_a_terminal(*args: str) -> str:
    """Everything `mcpscale ARGS...` shows in a pseudo-terminal, escape sequences included."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm")
    child = PtyChild(warm(), list(args), ROOT, env, 24, 100, encoding="utf-8", timeout=60)
    shown = str(child.read())
    child.close()
    return shown


def test_progress_is_drawn_on_a_terminal_and_quiet_otherwise(cli: Cli, tmp_path: Path) -> None:
    args = [*map(str, TINY_ARGS), "--output"]
    quiet = cli("report", *args, tmp_path / "quiet.html")
    assert quiet.exit_code == 0 and quiet.stderr == ""  # not a terminal: no progress
    screen = on_a_terminal("report", *args, str(tmp_path / "tty.html"))
    assert "render" in screen and "/5" in screen and "wrote" in screen
    screen = on_a_terminal("report", *args, str(tmp_path / "q.html"), "--quiet")
    assert "/5" not in screen and "wrote" in screen
