"""`mcpscale report` and `mcpscale demo`: the assessment and its plan as documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mcpscale.cli.options import (
    AggregateChoice,
    AggregateOption,
    AnswersArgument,
    DocumentFormat,
    EvidenceOption,
    QuestionnaireOption,
    QuietOption,
    SeedOption,
    SimulationsOption,
    TrustChoice,
    TrustOption,
)
from mcpscale.cli.output import emit, is_stdout, print_renderables, progress


def report(
    answers: AnswersArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="report.pdf, .html, .md, .docx (to edit in Word) or .xlsx (the figures, for "
            "analysts); - for standard output (html or pdf).",
        ),
    ],
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            "-p",
            help="Organisation profile YAML; with it the report includes the plan.",
        ),
    ] = None,
    questionnaire: QuestionnaireOption = None,
    output_format: Annotated[
        DocumentFormat | None, typer.Option("--format", "-f", help="Default: from the suffix.")
    ] = None,
    template_dir: Annotated[
        Path | None,
        typer.Option(help="Templates here override the bundled ones by file name."),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            help="The report's title. Default: the questionnaire's subject and 'assessment', "
            "e.g. 'MCP readiness assessment'."
        ),
    ] = None,
    classification: Annotated[
        str | None,
        typer.Option(
            help="Marking on the cover and every page. Default: the brand's, or 'Confidential'."
        ),
    ] = None,
    assessor: Annotated[str | None, typer.Option(help="Named on the cover.")] = None,
    brand: Annotated[
        Path | None,
        typer.Option(help="Brand file (kind: brand): name, colour, logo, classification."),
    ] = None,
    simulations: SimulationsOption = None,
    seed: SeedOption = None,
    quiet: QuietOption = False,
    aggregate: AggregateOption = AggregateChoice.mean,
    evidence: EvidenceOption = None,
    trust: TrustOption = TrustChoice.answers,
    narrative: Annotated[
        Path | None,
        typer.Option(help="Narrative file (kind: narrative): verdict, messages, findings."),
    ] = None,
) -> None:
    """Write the assessment and its plan as PDF, HTML, Markdown + SVGs, DOCX or xlsx."""
    from mcpscale.pipeline import Options, run
    from mcpscale.render.report.html import require_pdf_support
    from mcpscale.render.report.options import report_options
    from mcpscale.render.report.story import with_narrative
    from mcpscale.render.report.write import render_report, report_format, write_reports

    fmt = report_format(output, output_format.value if output_format else None)
    if fmt == "pdf":
        require_pdf_support()  # before any work, and before anything is written
    options = with_narrative(
        report_options(title, classification, assessor, template_dir, brand), narrative
    )
    with progress(quiet) as step:
        pipeline_options = Options(
            questionnaire,
            profile,
            aggregate.value,
            tuple(evidence or ()),
            trust.value,
            simulations=simulations,
            seed=seed,
        )
        assessment = run(answers, pipeline_options, step=step)
        if is_stdout(output):
            content = render_report(assessment, fmt, options, step)
        else:
            written = write_reports(assessment, {fmt: output}, options, step)
    if is_stdout(output):
        emit(content, output)
        return
    charts = written[1:]  # Markdown: the SVGs written beside it
    typer.echo(
        f"wrote {output}" + (f" and {len(charts)} charts in {charts[0].parent}" if charts else "")
    )


def demo(
    output_dir: Annotated[Path, typer.Option(help="Where to write the results.")] = Path(
        "mcpscale-demo"
    ),
    quiet: QuietOption = False,
) -> None:
    """Run the main job on the bundled example workshop and print what it wrote."""
    from mcpscale.demo import run_demo
    from mcpscale.render.results import result_table

    with progress(quiet) as step:
        outcome = run_demo(output_dir, step)
    print_renderables([result_table(outcome.result)], None)
    for path in outcome.written:
        typer.echo(f"wrote {path}")
