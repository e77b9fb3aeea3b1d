"""The report reads as a deliverable: names not ids on charts, no near-empty pages, the
per-question detail in an appendix after the plan, Markdown with every section of the PDF,
the demo with its evidence, and regulations the questionnaire does not cover named."""

from __future__ import annotations

import functools
import html
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from mcpscale.pipeline import Options, run
from mcpscale.render import charts

from .conftest import ACME, EPOCH, ROOT, Cli

PACK = ROOT / "questionnaires" / "mcp-enterprise-readiness"
MM = 72 / 25.4
PAGE_TOP, PAGE_BOTTOM = 22 * MM, 20 * MM  # print.css @page margins: header and footer outside


def h2_titles(page: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", t)).strip()
        for t in re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)
    ]


def svg_labels(svg: str) -> list[str]:
    """Every piece of text a reader sees in a chart (text stays text: svg.fonttype none)."""
    return [
        html.unescape(re.sub(r"<[^>]+>", "", t)).strip()
        for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    ]


def page_fill(pdf: Path) -> list[float]:
    """Per page, how far down the body the lowest word reaches (0: empty, 1: full)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    fills = []
    for height, body in re.findall(
        r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S
    ):
        top, bottom = PAGE_TOP, float(height) - PAGE_BOTTOM
        lows = [
            float(y1)
            for y0, y1 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', body)
            if float(y0) >= top - 1 and float(y1) <= bottom + 1
        ]
        fills.append((max(lows, default=top) - top) / (bottom - top))
    return fills


def page_lines(pdf: Path, number: int) -> list[str]:
    """The non-blank lines of page NUMBER (from 1), as pdftotext lays them out."""
    return _layout_pages(pdf)[number - 1]


@functools.lru_cache(maxsize=8)
def _layout_pages(pdf: Path) -> list[list[str]]:
    # One pdftotext run for the whole file: it ends each page with a form feed.
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


@pytest.mark.slow
def test_no_demo_page_is_under_a_quarter_filled_except_a_chapter_end(demo_dir: Path) -> None:
    pdf = demo_dir / "report.pdf"
    headings = set(h2_titles((demo_dir / "report.html").read_text()))
    fills = page_fill(pdf)
    assert len(fills) > 15
    # A chapter end: the last page, or the page before one that opens with an h2 (the line
    # after the running header). Such a page may be short; no other may.
    opens_with_h2 = [
        any(line.startswith(h) for h in headings for line in page_lines(pdf, n)[1:2])
        for n in range(1, len(fills) + 1)
    ]
    short = [
        n
        for n, fill in enumerate(fills, 1)
        if fill < 0.25 and n < len(fills) and not opens_with_h2[n] and n != 1
    ]
    assert short == [], [(n, f"{fills[n - 1]:.0%}", page_lines(pdf, n)[1:3]) for n in short]


@pytest.mark.slow
def test_demo_report_shows_the_bundled_evidence_and_the_detail_after_the_plan(
    demo_dir: Path,
) -> None:
    page = (demo_dir / "report.html").read_text()
    titles = h2_titles(page)
    assert "Evidence conflicts" in titles and "Evidence: servers and findings" in titles
    assert "claims-context" in page  # the server the bundled scan found
    # story and plan first; the answers question by question after the risk register
    assert (
        titles.index("Risk register")
        < titles.index("Appendix A: answers question by question")
        < titles.index("Technical architecture")
    )
    # the bundled pack has frameworks.yaml: its coverage is the last appendix
    assert [t[:10] for t in titles[-2:]] == ["Appendix B", "Appendix C"]


def acme_assessment():  # type: ignore[no-untyped-def]
    return run([ACME / "answers"], Options(profile=ACME / "profile.yaml", simulations=200))


def test_charts_name_questions_and_initiatives_never_their_ids() -> None:
    assessment = acme_assessment()
    result, plan = assessment.result, assessment.plan
    assert plan is not None and plan.roadmap is not None
    question_ids = {q.id for q in result.questions}
    initiative_ids = {i.id for i in plan.roadmap.initiatives}
    drawn = {
        "gantt": charts.roadmap_gantt(plan),
        "tornado": charts.npv_tornado(plan),
        "budget": charts.budget_by_phase(plan),
        **{d.id: charts.question_spread(result, d.id) for d in result.dimensions},
    }
    for name, svg in drawn.items():
        labels = svg_labels(svg)
        assert labels, name
        for label in labels:
            assert label not in question_ids | initiative_ids, (name, label)
            assert not any(
                re.search(rf"(?<![\w.-]){re.escape(i)}(?![\w.-])", label)
                for i in question_ids
                if "." in i
            ), (name, label)
    gantt = svg_labels(drawn["gantt"])
    title = plan.roadmap.initiatives[0].initiative.title  # in full, or cut at a word with "…"
    assert any(t == title or (t.endswith("…") and title.startswith(t[:-1])) for t in gantt)
    spread = svg_labels(drawn["technical"])
    assert "How do your MCP servers scale when demand grows?" in spread


def test_gantt_draws_arrows_only_along_real_dependencies_of_the_critical_path() -> None:
    plan = acme_assessment().plan
    assert plan is not None and plan.roadmap is not None
    by_id = {i.id: i for i in plan.roadmap.initiatives}
    path = plan.roadmap.critical_path
    real = [
        (a, b) for a, b in zip(path, path[1:], strict=False) if a in by_id[b].initiative.depends_on
    ]
    # waits for a gate or for the team's time get no arrow (tests/test_roadmap.py has a path
    # held up by a real dependency)
    svg = charts.roadmap_gantt(plan)
    # one arrow line per real dependency on the path, in the arrows' colour and width
    assert svg.count('fill="none" stroke="#D55E00" stroke-width="1.2"') == len(real)


def test_markdown_has_every_section_of_the_html(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    args = (
        ACME / "answers",
        "--profile",
        ACME / "profile.yaml",
        "--evidence",
        ACME / "evidence",
        "--simulations",
        "200",
    )
    assert cli("report", *args, "--format", "html", "--output", tmp_path / "r.html").exit_code == 0
    assert cli("report", *args, "--output", tmp_path / "r.md").exit_code == 0
    markdown = (tmp_path / "r.md").read_text()
    md_h2 = re.findall(r"^## (.+)$", markdown, re.M)
    html_h2 = [t for t in h2_titles((tmp_path / "r.html").read_text()) if t != "Contents"]
    assert md_h2 == html_h2
    assert "The scale" in markdown and "### Method" in markdown


def test_a_regulation_the_questionnaire_does_not_cover_is_named_and_hipaa_is_left_out(
    cli: Cli, tmp_path: Path
) -> None:
    profile = yaml.safe_load((ACME / "profile.yaml").read_text())
    assert profile["regulations"] == ["GDPR", "SOX"]
    profile["regulations"] = ["GDPR", "SOX", "PCI DSS"]
    (tmp_path / "profile.yaml").write_text(yaml.safe_dump(profile))
    out = tmp_path / "r.html"
    assert (
        cli(
            "report",
            ACME / "answers",
            "--profile",
            tmp_path / "profile.yaml",
            "--simulations",
            "200",
            "--format",
            "html",
            "--output",
            out,
        ).exit_code
        == 0
    )
    page = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", out.read_text())))
    assert "Not covered: PCI DSS." in page
    assert "The questionnaire asks about GDPR, SOX." in page
    assert "HIPAA compliance (Governance, security and compliance, 3 questions)" in page
    assert "DORA compliance (Governance, security and compliance, 1 question" in page
    assert "Do Business Associate Agreements" not in page  # no HIPAA block for a bank


def test_html_has_screen_margins_and_a_readable_width(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert cli("report", ACME / "answers", "--format", "html", "--output", out).exit_code == 0
    screen = re.search(r"@media screen \{(.*?)\n\}", out.read_text(), re.S)
    assert screen is not None
    body = re.search(r"body \{([^}]*)\}", screen.group(1))
    assert (
        body is not None
        and "max-width: 60rem" in body.group(1)
        and "margin: 0 auto" in body.group(1)
    )
