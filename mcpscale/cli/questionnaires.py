"""`mcpscale questionnaires [show ID|PATH]`: the bundled questionnaires."""

from __future__ import annotations

from typing import Annotated

import typer

from mcpscale.cli.output import print_renderables

app = typer.Typer(help="List and show the bundled questionnaires.", invoke_without_command=True)


@app.callback()
def questionnaires_list(ctx: typer.Context) -> None:
    """List the bundled questionnaires (id, version, questions, dimensions)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from mcpscale.inputs.packs import bundled_pack_paths, load_pack
    from mcpscale.render.text import rich_text

    table = Table(title="Bundled questionnaires")
    table.add_column("ID", no_wrap=True)
    table.add_column("Version", no_wrap=True)
    table.add_column("Questions", justify="right")
    table.add_column("Dimensions")
    table.add_column("Title")
    for path in bundled_pack_paths().values():
        q = load_pack(path).questionnaire
        table.add_row(
            rich_text(q.id),
            rich_text(q.version),
            str(len(q.questions)),
            rich_text(", ".join(d.id for d in q.dimensions)),
            rich_text(q.title),
        )
    print_renderables([table], None)


@app.command("show")
def questionnaires_show(
    questionnaire: Annotated[str, typer.Argument(metavar="ID|PATH")],
) -> None:
    """Print one questionnaire readably: scale, dimensions, every question and its choices."""
    from mcpscale.inputs.packs import resolve_pack
    from mcpscale.render.questionnaire import questionnaire_renderables

    print_renderables(questionnaire_renderables(resolve_pack(questionnaire).questionnaire), None)
