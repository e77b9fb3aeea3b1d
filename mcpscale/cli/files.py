"""`mcpscale validate` and `mcpscale schema`: check input files, print their JSON Schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mcpscale.cli.options import QuestionnaireOption, SchemaKind
from mcpscale.cli.output import emit
from mcpscale.errors import EXIT_GATE_FAILED, shown_problems


def validate(
    paths: Annotated[
        list[Path], typer.Argument(help="Questionnaires, answers and profiles, or folders of them.")
    ],
    questionnaire: QuestionnaireOption = None,
) -> None:
    """Check any mix of questionnaire, answers and profile files; report every problem."""
    from mcpscale.inputs.validate import check_paths

    checked = check_paths(paths, questionnaire)
    problems = sorted((p for c in checked for p in c.problems), key=lambda p: p.sort_key)
    for line in shown_problems(problems):
        typer.echo(line)
    bad = sum(1 for c in checked if c.problems)
    typer.echo(
        f"{len(checked) - bad} valid, {bad} invalid ({len(problems)} problem"
        f"{'s' * (len(problems) != 1)})",
        err=True,
    )
    if bad:
        raise typer.Exit(EXIT_GATE_FAILED)


def schema(kind: Annotated[SchemaKind, typer.Argument(help="Which file format.")]) -> None:
    """Print the JSON Schema of a file format, for editors that validate YAML as you type."""
    from mcpscale.formats.schemas import json_schema

    emit(json_schema(kind.value), None)
