"""The report as Markdown with SVG charts beside it; user text escaped for Markdown and HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mcpscale.render.report.options import ReportOptions
from mcpscale.render.report.templates import environment, render_template


def chart_files(context: dict[str, Any]) -> dict[str, str]:
    """Every chart in the context by a file-safe name: the report's own, then per dimension."""
    files = {name: svg for name, svg in context["charts"].items() if svg}
    for dimension in context["dimensions"]:
        if dimension["chart"]:
            files[f"dimension-{dimension['id']}"] = dimension["chart"]
    return files


def render_markdown(context: dict[str, Any], options: ReportOptions, chart_dir: str) -> str:
    """The report as Markdown; `chart_dir` is where the SVGs are linked from, relatively."""
    env = environment(options, markdown=True)
    links = {name: f"{chart_dir}/{name}.svg" for name in chart_files(context)}
    return render_template(env, "report.md", {**context, "chart_links": links})


def write_markdown(context: dict[str, Any], path: Path, options: ReportOptions) -> list[Path]:
    """report.md and, beside it, report-charts/*.svg that it links to."""
    from mcpscale.inputs.write import write_atomic

    chart_dir = f"{path.stem}-charts"
    written = []
    for name, svg in chart_files(context).items():
        chart_path = path.parent / chart_dir / f"{name}.svg"
        write_atomic(chart_path, svg)
        written.append(chart_path)
    write_atomic(path, render_markdown(context, options, chart_dir))
    return [path, *written]
