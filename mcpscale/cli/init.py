"""`mcpscale init`: scaffold a workspace to commit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mcpscale.cli.options import CiChoice


def init(
    folder: Annotated[Path, typer.Argument(metavar="[DIR]", help="Where to scaffold.")] = Path("."),
    ci: Annotated[
        CiChoice | None, typer.Option(help="Also write a pipeline that re-scores every quarter.")
    ] = None,
) -> None:
    """Scaffold a workspace to commit: profile.yaml, answers/, results/ and a CI pipeline."""
    from mcpscale.inputs.workspace import init_workspace

    for path in init_workspace(folder, None if ci is None else ci.value):
        typer.echo(f"wrote {path}")
