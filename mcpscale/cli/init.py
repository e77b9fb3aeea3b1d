"""`mcpscale init`: scaffold a workspace to commit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mcpscale.cli.options import CiChoice, NewQuestionnaireOption


def init(
    folder: Annotated[Path, typer.Argument(metavar="[DIR]", help="Where to scaffold.")] = Path("."),
    ci: Annotated[
        CiChoice | None, typer.Option(help="Also write a pipeline that re-scores every quarter.")
    ] = None,
    questionnaire: NewQuestionnaireOption = None,
    title: Annotated[
        str | None,
        typer.Option(help="The workspace's title, in its files. Default: the questionnaire's."),
    ] = None,
) -> None:
    """Scaffold a workspace to commit: profile.yaml, answers/, results/ and a CI pipeline."""
    from mcpscale.inputs.packs import DEFAULT_QUESTIONNAIRE
    from mcpscale.inputs.workspace import init_workspace

    written = init_workspace(
        folder, None if ci is None else ci.value, questionnaire or DEFAULT_QUESTIONNAIRE, title
    )
    for path in written:
        typer.echo(f"wrote {path}")
