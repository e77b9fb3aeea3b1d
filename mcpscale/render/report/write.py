"""Writes a report in each requested format."""

from __future__ import annotations

from pathlib import Path

from mcpscale.errors import UserError
from mcpscale.pipeline import Assessment, Step, no_progress
from mcpscale.render.report.context import assessment_context
from mcpscale.render.report.html import render_html, render_pdf, require_pdf_support
from mcpscale.render.report.markdown import write_markdown
from mcpscale.render.report.options import ReportOptions


def report_format(output: Path, requested: str | None) -> str:
    """--format, or the output's suffix; `-` (standard output) takes html or pdf."""
    if str(output) == "-":
        if requested in ("html", "pdf"):
            return requested
        raise UserError(
            "--output - (standard output) needs --format html or --format pdf; a Markdown "
            "report writes its charts beside it, so name a file: --output report.md"
        )
    if requested:
        return requested
    suffix = output.suffix.lower().lstrip(".")
    if suffix in ("pdf", "html", "md"):
        return suffix
    if suffix == "htm":
        return "html"
    if suffix == "markdown":
        return "md"
    raise UserError(
        f"cannot tell the report format from '{output.name}'; name it .pdf, .html or "
        ".md, or pass --format pdf|html|md"
    )


def write_reports(
    assessment: Assessment,
    outputs: dict[str, Path],
    options: ReportOptions,
    step: Step = no_progress,
) -> list[Path]:
    """Build the context once and write each requested format ({"pdf": path, ...})."""
    from mcpscale.inputs.write import write_atomic, write_atomic_bytes

    if "pdf" in outputs:
        require_pdf_support()
    step("charts")
    context = assessment_context(
        assessment.result, assessment.questionnaire, options, assessment.plan
    )
    step("render")
    written = []
    html = render_html(context, options) if {"pdf", "html"} & set(outputs) else ""
    for fmt, path in outputs.items():
        if fmt == "html":
            write_atomic(path, html)
        elif fmt == "pdf":
            write_atomic_bytes(path, render_pdf(html, options))
        else:
            written += write_markdown(context, path, options)
            continue
        written.append(path)
    return written


def render_report(
    assessment: Assessment, fmt: str, options: ReportOptions, step: Step = no_progress
) -> str | bytes:
    """One report as HTML text or PDF bytes, written nowhere (for --output -)."""
    if fmt == "pdf":
        require_pdf_support()
    step("charts")
    context = assessment_context(
        assessment.result, assessment.questionnaire, options, assessment.plan
    )
    step("render")
    html = render_html(context, options)
    return render_pdf(html, options) if fmt == "pdf" else html
