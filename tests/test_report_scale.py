"""Reports that scale with the model: the per-dimension chart is a small SVG whose labels fit,
charts drawn once are cropped like savefig's tight box and stay byte-identical, and WeasyPrint's
garbage-collector settings are put back after a PDF."""

from __future__ import annotations

import gc
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from mcpscale.pipeline import Options, run
from mcpscale.render import charts
from mcpscale.render.drawing import num
from mcpscale.render.report.html import fewer_collections

from .conftest import ACME, DATA, Cli

PACKS = DATA / "generality"
SVG = "{http://www.w3.org/2000/svg}"


def scored(pack: str):  # type: ignore[no-untyped-def]
    return run(
        [PACKS / pack / "answers"], Options(questionnaire=str(PACKS / pack / "questionnaire.yaml"))
    ).result


def test_the_spread_chart_names_every_scored_question_inside_the_chart() -> None:
    result = scored("wide")
    for dimension in result.dimensions:
        svg = charts.question_spread(result, dimension.id)
        root = ElementTree.fromstring(svg)  # well-formed, standalone SVG
        assert root.get("width") == f"{charts.SPREAD_WIDTH:g}pt"  # the page's width: not shrunk
        scored_questions = [
            q
            for q in result.questions
            if q.dimension == dimension.id and q.answers and q.score is not None
        ]
        labels = [
            group.find(f"{SVG}text")
            for group in root.iter(f"{SVG}g")
            if re.fullmatch(r"ytick_\d+", group.get("id", ""))
        ]
        assert len(labels) == len(scored_questions)
        for label in labels:
            assert label is not None and label.text
            # right-aligned at x: the text's width fits between the chart's edge and x
            assert charts.text_width(label.text, 7) <= float(label.get("x", "0"))
        title = next(t for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold")
        assert title.text == f"{dimension.name}: scores and spread per question"
        size = float(title.get("font-size", "0"))
        assert charts.text_width(title.text, size, bold=True) <= charts.SPREAD_WIDTH + 1


def test_a_long_dimension_name_and_text_with_markup_stay_text() -> None:
    result = scored("features")  # a dimension named "Controls [/x]", text "[bold]"
    svg = charts.question_spread(result, "controls")
    ElementTree.fromstring(svg)
    assert "Controls [/x]: scores and spread per question" in svg


def test_charts_are_sized_in_points_and_the_same_bytes_every_time() -> None:
    result = scored("wide")
    first, second = charts.maturity_radar(result), charts.maturity_radar(result)
    assert first == second
    root = ElementTree.fromstring(first)
    x, y, width, height = (float(v) for v in root.get("viewBox", "").split())
    assert (x, y) == (0, 0)  # one unit a point: the page shows it at the size it was drawn
    assert root.get("width") == f"{num(width)}pt" and root.get("height") == f"{num(height)}pt"
    assert "<metadata" not in first  # nothing a reader sees, nothing for WeasyPrint to style


def test_the_collector_settings_come_back_after_weasyprint() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == 10_000
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_report_with_a_plan_draws_every_chart_without_pyplot(tmp_path: Path) -> None:
    """Every chart of the Acme report (maturity, spread, Gantt, budget, cash flows, tornado,
    heat map) is drawn as shapes: a report never pays for importing pyplot."""
    output = tmp_path / "report.html"
    code = (
        "import sys\n"
        "from mcpscale.cli.app import main\n"
        f"sys.argv = ['mcpscale', 'report', {str(ACME / 'answers')!r}, '--profile',"
        f" {str(ACME / 'profile.yaml')!r}, '--output', {str(output)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    run_ = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run_.returncode == 0, run_.stderr
    assert run_.stdout.strip().splitlines()[-1] == "False"
    assert output.read_text().count("<svg") >= 11


def test_trend_and_portfolio_charts_are_drawn_without_pyplot(tmp_path: Path) -> None:
    """`trend --output x.svg` and `portfolio` draw their charts as shapes too: neither command
    imports pyplot, and each writes its chart."""
    root = tmp_path / "units"
    for unit in ("north", "south"):
        shutil.copytree(ACME / "answers", root / unit)
    result = tmp_path / "result.json"
    scored = Cli()("score", ACME / "answers", "--format", "json", "--output", result)
    assert scored.exit_code == 0, scored.output
    chart, portfolio = tmp_path / "trend.svg", tmp_path / "portfolio"
    commands = [
        ["trend", str(result), str(result), "--output", str(chart)],
        ["portfolio", str(root), "--output-dir", str(portfolio), "--jobs", "1"],
    ]
    # both in one fresh process: neither command, nor the two together, loads pyplot
    code = (
        "import sys\n"
        "from mcpscale.cli.app import main\n"
        f"for args in {commands!r}:\n"
        "    sys.argv = ['mcpscale', *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as stop:\n"
        "        assert not stop.code, (sys.argv, stop.code)\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    run_ = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert run_.returncode == 0, run_.stderr
    assert run_.stdout.strip().splitlines()[-1] == "False"
    for svg in (chart, portfolio / "portfolio-heatmap.svg"):
        ElementTree.fromstring(svg.read_bytes())  # well-formed XML
        assert svg.read_text().startswith("<?xml") and "<text" in svg.read_text()
