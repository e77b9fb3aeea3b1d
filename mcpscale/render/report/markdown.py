"""The report as Markdown with SVG charts beside it; user text escaped for Markdown and HTML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcpscale.render.report.options import ReportOptions
from mcpscale.render.report.templates import environment, render_template
from mcpscale.render.text import file_name, file_names, markdown_text

if TYPE_CHECKING:
    from mcpscale.assess.coverage import Coverage


def chart_files(context: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Every chart in the context, the report's own then one per dimension, by its key in
    `chart_links` ('radar', 'dimension-<id>'): (a safe, distinct file name, the SVG).

    A dimension id is questionnaire data ('x/../../y'), so file names go through
    render.text.file_names: the charts stay in the chart folder whatever the ids hold."""
    charts = {name: svg for name, svg in context["charts"].items() if svg}
    for dimension in context["dimensions"]:
        if dimension["chart"]:
            charts[f"dimension-{dimension['id']}"] = dimension["chart"]
    names = file_names(charts, fallback="chart")
    return {key: (f"{names[key]}.svg", svg) for key, svg in charts.items()}


def chart_folder(path: Path) -> str:
    """The folder beside report.md that holds its charts: report-charts."""
    return f"{file_name(path.stem, fallback='report')}-charts"


def render_markdown(context: dict[str, Any], options: ReportOptions, chart_dir: str) -> str:
    """The report as Markdown; `chart_dir` is where the SVGs are linked from, relatively."""
    env = environment(options, markdown=True)
    links = {key: f"{chart_dir}/{name}" for key, (name, _) in chart_files(context).items()}
    return render_template(env, "report.md", {**context, "chart_links": links})


def write_markdown(context: dict[str, Any], path: Path, options: ReportOptions) -> list[Path]:
    """report.md and, beside it, report-charts/*.svg that it links to."""
    from mcpscale.inputs.write import write_atomic

    chart_dir = chart_folder(path)
    written = []
    for name, svg in chart_files(context).values():
        chart_path = path.parent / chart_dir / name
        write_atomic(chart_path, svg)
        written.append(chart_path)
    write_atomic(path, render_markdown(context, options, chart_dir))
    return [path, *written]


def coverage_markdown(coverage: Coverage) -> str:
    """`mcpscale coverage --format markdown`: the report's Appendix C tables, under a heading
    of their own."""
    from mcpscale.render.coverage import coverage_view

    heading = (
        f"## Framework coverage: {markdown_text(coverage.questionnaire_id)} "
        f"{markdown_text(coverage.questionnaire_version)}\n\n"
    )
    env = environment(ReportOptions(), markdown=True)
    return heading + render_template(env, "coverage.md", {"coverage": coverage_view(coverage)})
