"""Charts read on any scale and any number of dimensions: a 0-100 scale gets a handful of
round ticks, not 101; a -2..2 scale's bars grow from -2; 22 dimensions get bars, not a
radar, 22 colours in a trend, and a portfolio table whose columns do not run together."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from mcpscale.formats.results import Result
from mcpscale.pipeline import Options, run
from mcpscale.render import charts

from .conftest import ACME, DATA, Cli, PackPdfs
from .test_report_layout import svg_labels

PACKS = DATA / "generality"
SVG = "{http://www.w3.org/2000/svg}"


def scored(pack: str) -> Result:
    return run(
        [PACKS / pack / "answers"], Options(questionnaire=str(PACKS / pack / "questionnaire.yaml"))
    ).result


def ticks(svg: str, axis: str) -> dict[str, float]:
    """The tick labels a reader sees along an axis ("x" or "y"), each with where it sits."""
    found = {}
    for group in ElementTree.fromstring(svg).iter(f"{SVG}g"):
        if re.fullmatch(rf"{axis}tick_\d+", group.get("id", "")):
            label = " ".join("".join(t.itertext()).strip() for t in group.iter(f"{SVG}text"))
            mark = next(group.iter(f"{SVG}path"), None)  # the tick's line, from its first point
            start = re.match(r"M ([-\d.]+)", mark.get("d", "")) if mark is not None else None
            found[label] = float(start.group(1)) if start else float("nan")
    return found


def test_a_0_to_100_scale_gets_a_handful_of_named_ticks_not_101() -> None:
    result = scored("percent")
    spread = charts.question_spread(result, "build")
    # one tick per quarter, each named after the scale's level it lands on
    assert list(ticks(spread, "x")) == [
        "0 Not started",
        "25 Started",
        "50 Half done",
        "75 Mostly done",
        "100 Done",
    ]
    radar = charts.maturity_radar(result)
    assert 3 <= len(ticks(radar, "y")) <= 6  # rings, not a grey disc of 100


def test_ticks_are_round_numbers_named_only_where_they_land_on_a_level() -> None:
    # 0..10 with only the ends named: round steps in between, numbers only
    scale = ((0, "Nothing"), (10, "Everything"))
    assert charts.scale_ticks(scale) == [0, 2, 4, 6, 8, 10]
    labels = charts.level_labels(scale, charts.scale_ticks(scale), " ")
    assert labels == ["0 Nothing", "2", "4", "6", "8", "10 Everything"]
    assert charts.scale_ticks(((0, "No"), (1, "Yes"))) == [0, 1]


def test_bars_of_a_signed_scale_grow_from_its_minimum() -> None:
    result = scored("signed")
    svg = charts.maturity_bars(result)
    x_ticks = ticks(svg, "x")
    assert list(x_ticks) == ["-2 Far behind", "-1 Behind", "0 On par", "1 Ahead", "2 Far ahead"]
    # the boxes in the current score's colour: a bar per dimension, and the legend's swatch
    boxes = [
        round(float(x)) for x in re.findall(r'<path d="M ([-\d.]+) [^"]*" fill="#0072B2"', svg)
    ]
    assert len(boxes) == len(result.dimensions) + 1
    # every bar starts at the tick labelled -2, none at 0 (the middle of the axis)
    assert boxes.count(round(x_ticks["-2 Far behind"])) == len(result.dimensions)
    assert round(x_ticks["0 On par"]) not in boxes


def test_many_dimensions_get_bars_with_every_name_whole_not_a_radar() -> None:
    result = scored("wide")
    assert len(result.dimensions) == 22
    svg = charts.maturity_radar(result)
    assert "Current score and target by dimension" in svg_labels(svg)
    assert "Maturity by dimension (level)" not in svg_labels(svg)
    text = " ".join(svg_labels(svg))
    for dimension in result.dimensions:
        assert dimension.name in text  # wrapped onto lines, never cut
    # three dimensions still get the radar
    assert "Maturity by dimension (level)" in svg_labels(charts.maturity_radar(scored("signed")))


def test_22_trend_lines_have_22_colours(cli: Cli, tmp_path: Path) -> None:
    for name in ("before", "after"):
        answers = tmp_path / name
        shutil.copytree(PACKS / "wide" / "answers", answers)
        if name == "after":
            (answers / "ben.yaml").unlink()
        scored_file = tmp_path / f"{name}.json"
        result = cli(
            "score",
            answers,
            "-q",
            PACKS / "wide" / "questionnaire.yaml",
            "--format",
            "json",
            "--output",
            scored_file,
        )
        assert result.exit_code == 0, result.output
    chart = tmp_path / "trend.svg"
    assert (
        cli("trend", tmp_path / "before.json", tmp_path / "after.json", "-o", chart).exit_code == 0
    )
    svg = chart.read_text()
    lines = {c.lower() for c in re.findall(r'stroke="(#[0-9a-fA-F]{6})"', svg)}
    lines -= {"#000000", "#dddddd"}  # the axes and the grid
    assert len(lines) == 22
    legend = " ".join(svg_labels(svg))
    assert "Identity management and access control" in legend.replace("\n", " ")
    assert len(set(charts.series_colours(60))) == 60


def wide_portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "units"
    for unit, drop in (("North region", "ana"), ("South region and islands", None), ("HQ", "ben")):
        shutil.copytree(PACKS / "wide" / "answers", root / unit / "answers")
        if drop:
            (root / unit / "answers" / f"{drop}.yaml").unlink()
    return root


def pdf_lines(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(line.split()) for line in text.splitlines()]


@pytest.mark.slow
def test_portfolio_of_22_dimensions_has_a_row_per_dimension(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli(
        "portfolio",
        wide_portfolio(tmp_path),
        "-q",
        PACKS / "wide" / "questionnaire.yaml",
        "-o",
        out,
        "--report",
        "pdf",
        "--jobs",
        "1",
    )
    assert result.exit_code == 0, result.output
    lines = pdf_lines(out / "portfolio.pdf")
    # each dimension on its own line with its three units' scores beside it
    assert "Identity management and access control 3.00 4.00 3.50" in lines
    assert "Overall 2.41 2.41 2.41" in lines
    heatmap = (out / "portfolio-heatmap.svg").read_text()
    names = " ".join(svg_labels(heatmap))
    assert "Identity management and access control" in names
    assert "South region and islands" in names


@pytest.mark.slow
@pytest.mark.parametrize("pack", ["percent", "signed", "wide", "features"])
def test_report_pdf_renders_for_any_scale_and_size(pack_pdf: PackPdfs, pack: str) -> None:
    lines = pdf_lines(pack_pdf(pack))
    chart_title = "Current score and target by dimension" if pack == "wide" else "(level)"
    assert any(chart_title in line for line in lines)


def test_portfolio_of_22_dimensions_prints_a_row_per_dimension(cli: Cli, tmp_path: Path) -> None:
    root = wide_portfolio(tmp_path)
    wide = PACKS / "wide" / "questionnaire.yaml"
    result = cli("portfolio", root, "-q", wide, "-o", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 0, result.output
    rows = [" ".join(line.split()) for line in result.stdout.splitlines()]
    # a row per dimension (a long name wraps on 80 columns), the units across
    assert "Respondents 1 1 2" in rows and "Overall 2.41 2.41 2.41" in rows
    assert "Risk assessment 4.00 3.00 3.50" in rows
    assert "…" not in result.stdout  # no column squeezed to an ellipsis


def labels_off_the_canvas(svg: str) -> list[str]:
    """The labels that would stick out of the chart's canvas, measured as the PDF sets them."""
    root = ElementTree.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    outside = []
    for text in root.iter(f"{SVG}text"):
        x, y, size = (float(text.get(k, "0")) for k in ("x", "y", "font-size"))
        wide = charts.text_width(text.text or "", size, text.get("font-weight") == "bold")
        left = {"start": x, "middle": x - wide / 2, "end": x - wide}[
            text.get("text-anchor", "start")
        ]
        if left < 0 or left + wide > width or y - 0.8 * size < 0 or y + 0.25 * size > height:
            outside.append(text.text or "")
    return outside


@pytest.mark.parametrize("spokes", [3, 5, 8])
def test_radar_names_of_any_length_stay_whole_on_the_canvas(spokes: int) -> None:
    wide = scored("wide")  # long names: "Identity management and access control", ...
    result = dataclasses.replace(wide, dimensions=wide.dimensions[4 : 4 + spokes])
    svg = charts.maturity_radar(result)
    assert "Maturity by dimension (level)" in svg_labels(svg)
    assert labels_off_the_canvas(svg) == []
    text = " ".join(svg_labels(svg))
    assert all(d.name in text for d in result.dimensions)  # wrapped, never cut
    assert svg == charts.maturity_radar(result)  # the same bytes every time


def test_bars_and_gantt_keep_every_label_on_the_canvas() -> None:
    assert labels_off_the_canvas(charts.maturity_bars(scored("wide"))) == []
    assessment = run([ACME / "answers"], Options(profile=ACME / "profile.yaml", simulations=200))
    assert assessment.plan is not None
    assert labels_off_the_canvas(charts.roadmap_gantt(assessment.plan)) == []
