"""A programme office's view: many business units scored at once into one table."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from .conftest import TINY, Cli

TINY_Q = TINY / "questionnaire.yaml"


def make_unit(root: Path, name: str, ben_tech_b: str = "most", profile: bool = False) -> Path:
    """A unit folder holding the tiny answers (Ben's tech.b varies), and maybe a profile."""
    unit = root / name
    shutil.copytree(TINY / "answers", unit / "answers")
    ben = unit / "answers" / "ben.yaml"
    ben.write_text(ben.read_text().replace("tech.b: most", f"tech.b: {ben_tech_b}"))
    if profile:
        shutil.copy(TINY / "profile.yaml", unit / "profile.yaml")
    return unit


@pytest.fixture
def portfolio_root(tmp_path: Path) -> Path:
    """Three units; 'broken' has a typo in a choice id."""
    root = tmp_path / "units"
    make_unit(root, "retail", "most", profile=True)
    make_unit(root, "wholesale", "some", profile=True)
    broken = make_unit(root, "broken", profile=True)
    ana = broken / "answers" / "ana.yaml"
    ana.write_text(ana.read_text().replace("tech.a: all", "tech.a: alll"))
    return root


def test_portfolio_scores_the_good_units_and_names_the_broken_one(
    cli: Cli, portfolio_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = cli(
        "portfolio", portfolio_root, "--profile-per-unit", "-q", TINY_Q, "--output-dir", out
    )
    assert result.exit_code == 2
    assert "1 of 3 units could not be scored" in result.stderr
    assert "unit 'broken':" in result.stderr
    assert "ana.yaml:6:11: unknown choice 'alll'" in result.stderr
    rows = list(csv.DictReader(io.StringIO((out / "portfolio.csv").read_text())))
    assert [r["unit"] for r in rows] == ["retail", "wholesale"]
    # With the profile, tech.hipaa does not apply: retail tech 1.625, wholesale 1.25.
    assert [float(r["tech"]) for r in rows] == [1.625, 1.25]
    assert [float(r["overall"]) for r in rows] == [1.75, 1.5]
    assert rows[0]["profile"] == "Tiny Org" and rows[0]["respondents"] == "2"
    data = json.loads((out / "portfolio.json").read_text())
    assert data["schema"] == "mcpscale/portfolio@1"
    assert [f["unit"] for f in data["failures"]] == ["broken"]
    assert data["units"][1]["dimensions"] == {"tech": 1.25, "people": 2.0}
    assert data["summary"]["tech"] == {"mean": 1.4375, "min": 1.25, "max": 1.625}
    heatmap = (out / "portfolio-heatmap.svg").read_text()
    assert "<svg" in heatmap and "<dc:date>" not in heatmap


def test_keep_going_exits_0_but_still_warns(cli: Cli, portfolio_root: Path, tmp_path: Path) -> None:
    result = cli(
        "portfolio",
        portfolio_root,
        "--profile-per-unit",
        "-q",
        TINY_Q,
        "--output-dir",
        tmp_path / "out",
        "--keep-going",
    )
    assert result.exit_code == 0
    assert "warning: unit 'broken':" in result.stderr


def test_without_profiles_every_question_applies(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "units"
    make_unit(root, "only")
    out = tmp_path / "out"
    result = cli("portfolio", root, "-q", TINY_Q, "--output-dir", out, "--image-format", "png")
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(io.StringIO((out / "portfolio.csv").read_text())))
    assert float(row["tech"]) == 1.9  # tech.hipaa counts: (2 + 4.5 + 3) / 5
    assert (out / "portfolio-heatmap.png").read_bytes().startswith(b"\x89PNG")
    assert "Technology" in result.stdout  # the table is printed


def test_profile_per_unit_needs_each_profile(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "units"
    make_unit(root, "has", profile=True)
    make_unit(root, "lacks")
    result = cli("portfolio", root, "--profile-per-unit", "-q", TINY_Q, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "unit 'lacks':" in result.stderr and "profile.yaml: no such file" in result.stderr


def test_a_process_pool_gives_the_same_table(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "units"
    for index, choice in enumerate(["none", "some", "most", "all"] * 3):
        make_unit(root, f"unit-{index:02d}", choice)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        assert cli("portfolio", root, "-q", TINY_Q, "-o", out, "--jobs", jobs).exit_code == 0
        outputs.append((out / "portfolio.csv").read_text() + (out / "portfolio.json").read_text())
    assert outputs[0] == outputs[1]
    assert outputs[0].count("unit-") >= 24


def test_empty_root_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("portfolio", tmp_path)
    assert result.exit_code == 2 and "holds no unit folders" in result.stderr


@pytest.mark.slow
def test_portfolio_report_in_html_and_pdf_uses_the_report_templates(
    cli: Cli, portfolio_root: Path, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    out = tmp_path / "out"
    result = cli(
        "portfolio",
        portfolio_root,
        "--profile-per-unit",
        "-q",
        TINY_Q,
        "--output-dir",
        out,
        "--keep-going",
        "--report",
        "html",
        "--report",
        "pdf",
    )
    assert result.exit_code == 0, result.output
    html = (out / "portfolio.html").read_text()
    assert "retail" in html and "wholesale" in html
    assert "<svg" in html  # the heat map, inline
    assert "broken" in html and "unknown choice" in html  # failures are listed, not hidden
    assert 'class="cell below">1.62' in html  # retail tech 1.625 is under its target of 2
    text = "\n".join(p.extract_text() for p in PdfReader(out / "portfolio.pdf").pages)
    assert "Tiny readiness check portfolio" in text and "wholesale" in text  # its subject


def test_the_heat_map_leaves_a_cell_without_a_score_blank_and_shows_names_as_text() -> None:
    """A unit whose dimension has no score gets no cell there; a hostile unit name is text in
    well-formed SVG; 14 columns and fewer units: a row per dimension; the same bytes twice."""
    from xml.etree import ElementTree

    from mcpscale.history.portfolio import DimensionCell, Portfolio, UnitScore
    from mcpscale.render.portfolio import heatmap

    def unit(name: str, scores: list[float | None]) -> UnitScore:
        cells = tuple(
            DimensionCell(f"d{i}", f"Dimension {i} & <more>", s, 50.0) for i, s in enumerate(scores)
        )
        return UnitScore(name, ("q", "1", "Q"), (0, 100), None, 1, None, 40.0, cells)

    hostile = "$x^2$ <b>Unit</b> \\x1b[31m"
    portfolio = Portfolio((unit(hostile, [10.0] * 12 + [None]), unit("B", [90.0] * 13)), ())
    svg = heatmap(portfolio, "svg").decode()
    assert svg == heatmap(portfolio, "svg").decode()
    root = ElementTree.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert hostile in " ".join(texts) and "Dimension 3 & <more>" in texts  # a name may wrap
    # a row per dimension and overall (14), a unit a column (2), less the cell without a score
    assert texts.count("10.0") == 12 and texts.count("90.0") == 13 and texts.count("40.0") == 2
    assert heatmap(portfolio, "png").startswith(b"\x89PNG")
