"""`mcpscale coverage`: which framework items (OWASP, NIST, ISO) the questionnaire covers, and
with answers, the organisation's result per item."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mcpscale.cli.options import OutputOption, ProfileOption, QuestionnaireOption
from mcpscale.cli.output import emit, print_renderables


class CoverageFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def coverage(
    answers: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="ANSWERS_OR_DIRS",
            help="Answers files or folders of them: adds the organisation's result per item.",
        ),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option(
            "--framework", metavar="ID", help="Only this framework, e.g. owasp-mcp-top-10."
        ),
    ] = None,
    questionnaire: QuestionnaireOption = None,
    profile: ProfileOption = None,
    output_format: Annotated[CoverageFormat, typer.Option("--format", "-f")] = CoverageFormat.table,
    output: OutputOption = None,
) -> None:
    """Framework coverage: the items each framework lists, the questions that meet them, why
    the others are not covered, and with answers the result per item."""
    from mcpscale.pipeline import Options, coverage_files
    from mcpscale.render.coverage import coverage_json, coverage_renderables
    from mcpscale.render.report.markdown import coverage_markdown

    found = coverage_files(answers or [], Options(questionnaire, profile), framework)
    if output_format is CoverageFormat.json:
        emit(coverage_json(found), output)
    elif output_format is CoverageFormat.markdown:
        emit(coverage_markdown(found), output)
    else:
        print_renderables(coverage_renderables(found), output)
