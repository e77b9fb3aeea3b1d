"""The report as Markdown with SVG charts beside it; user text escaped for Markdown and HTML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcpscale.render.report.html import _render, template_dirs
from mcpscale.render.report.options import ReportOptions

if TYPE_CHECKING:
    pass

# Backslash-escaped in Markdown output; < > & are escaped as HTML.
MARKDOWN_SPECIALS = set("\\`*_{}[]()#+!|~")


def chart_files(context: dict[str, Any]) -> dict[str, str]:
    """Every chart in the context by a file-safe name: the report's own, then per dimension."""
    files = {name: svg for name, svg in context["charts"].items() if svg}
    for dimension in context["dimensions"]:
        if dimension["chart"]:
            files[f"dimension-{dimension['id']}"] = dimension["chart"]
    return files


def render_markdown(context: dict[str, Any], options: ReportOptions, chart_dir: str) -> str:
    """The report as Markdown; `chart_dir` is where the SVGs are linked from, relatively."""
    import jinja2
    from markupsafe import Markup

    def cell(value: Any) -> Markup:
        # Escaped as HTML (Markdown renderers pass HTML through) and as Markdown, so a note
        # holding ![x](http://...) stays text and fetches nothing; kept on one line, one cell.
        raw = "" if value is None else str(value)
        text = "".join(f"\\{char}" if char in MARKDOWN_SPECIALS else char for char in raw)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Markup(" ".join(text.split()))

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(options)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["cell"] = cell
    links = {name: f"{chart_dir}/{name}.svg" for name in chart_files(context)}
    return _render(environment, "report.md", {**context, "chart_links": links})


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
