"""Writes a report in each requested format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mcpscale.errors import UserError
from mcpscale.pipeline import Assessment, Step, no_progress
from mcpscale.render.report.context import assessment_context
from mcpscale.render.report.html import render_html, render_pdf, require_pdf_support
from mcpscale.render.report.markdown import write_markdown
from mcpscale.render.report.options import ReportOptions, for_questionnaire


def report_format(output: Path, requested: str | None) -> str:
    """--format, or the output's suffix; `-` (standard output) takes html or pdf."""
    if str(output) == "-":
        if requested in ("html", "pdf"):
            return requested
        raise UserError(
            "--output - (standard output) needs --format html or --format pdf; a Markdown "
            "report writes its charts beside it and DOCX and xlsx are files to open, so name "
            "a file: --output report.md, report.docx or report.xlsx"
        )
    if requested:
        return requested
    suffix = output.suffix.lower().lstrip(".")
    if suffix in ("pdf", "html", "md", "docx", "xlsx"):
        return suffix
    if suffix == "htm":
        return "html"
    if suffix == "markdown":
        return "md"
    raise UserError(
        f"cannot tell the report format from '{output.name}'; name it .pdf, .html, .md, "
        ".docx or .xlsx, or pass --format pdf|html|md|docx|xlsx"
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
    options = for_questionnaire(options, assessment.questionnaire)
    step("charts")
    # DOCX draws its own charts (PNG) and xlsx has none: the SVG context only when needed
    context = _context(assessment, options) if {"pdf", "html", "md"} & set(outputs) else {}
    step("render")
    written = []
    html = render_html(context, options) if {"pdf", "html"} & set(outputs) else ""
    for fmt, path in outputs.items():
        if fmt == "html":
            write_atomic(path, html)
        elif fmt == "pdf":
            write_atomic_bytes(path, render_pdf(html, options))
        elif fmt == "docx":
            write_atomic_bytes(path, _docx_bytes(assessment, options))
        elif fmt == "xlsx":
            from mcpscale.render.report.xlsx import render_xlsx

            write_atomic_bytes(
                path,
                render_xlsx(assessment.result, assessment.plan, options, assessment.plan_files),
            )
        else:
            written += write_markdown(context, path, options)
            continue
        written.append(path)
    return written


def _docx_bytes(assessment: Assessment, options: ReportOptions) -> bytes:
    """The DOCX walks the HTML report itself, drawn again with its charts as PNG pictures."""
    from mcpscale.render.drawing import as_png
    from mcpscale.render.report.docx import render_docx

    with as_png():
        context = _context(assessment, options)
    return render_docx(render_html(context, options), context, options)


def render_report(
    assessment: Assessment, fmt: str, options: ReportOptions, step: Step = no_progress
) -> str | bytes:
    """One report as HTML text or PDF bytes, written nowhere (for --output -)."""
    if fmt == "pdf":
        require_pdf_support()
    options = for_questionnaire(options, assessment.questionnaire)
    step("charts")
    context = _context(assessment, options)
    step("render")
    html = render_html(context, options)
    return render_pdf(html, options) if fmt == "pdf" else html


def _context(assessment: Assessment, options: ReportOptions) -> dict[str, Any]:
    """Everything the templates show for one assessment (render/report/context.py)."""
    return assessment_context(
        assessment.result,
        assessment.questionnaire,
        options,
        assessment.plan,
        assessment.plan_files,
        assessment.coverage,
    )
