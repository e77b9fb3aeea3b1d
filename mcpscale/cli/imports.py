"""`mcpscale import aws-wa-lens|samm`: other tools' maturity models as a pack folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from mcpscale.inputs.imports import Conversion

app = typer.Typer(
    help="Convert another tool's maturity model into a pack folder (DIR/questionnaire.yaml).",
    no_args_is_help=True,
)

OutputFolder = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="The pack folder to write questionnaire.yaml into; an existing questionnaire.yaml "
        "is never replaced.",
    ),
]


@app.command("aws-wa-lens")
def import_aws_wa_lens(
    lens: Annotated[Path, typer.Argument(metavar="LENS.json", help="A custom lens JSON file.")],
    output: OutputFolder,
) -> None:
    """Convert an AWS Well-Architected custom lens: a dimension per pillar, risks as levels."""
    from mcpscale.inputs.imports.aws_wa_lens import convert_lens

    _write(convert_lens(lens), lens, output)


@app.command("samm")
def import_samm(
    model: Annotated[
        Path,
        typer.Argument(
            metavar="MODEL_DIR",
            help="The model/ folder of the OWASP SAMM core repository (or the repository).",
        ),
    ],
    output: OutputFolder,
) -> None:
    """Convert the OWASP SAMM core model: a dimension per business function, coverage levels."""
    from mcpscale.inputs.imports.samm import convert_samm

    _write(convert_samm(model), model, output)


def _write(conversion: Conversion, source: Path, output: Path) -> None:
    from mcpscale.inputs.imports import write_pack

    target = write_pack(output, conversion, source)
    questionnaire = conversion.questionnaire
    questions, dimensions = len(questionnaire["questions"]), len(questionnaire["dimensions"])
    typer.echo(
        f"wrote {target} ({questions} questions in {dimensions} dimensions, from {source})",
        err=True,
    )
    for note in conversion.not_carried:
        typer.echo(f"not carried: {note}", err=True)
    typer.echo(f"next: mcpscale validate {target}", err=True)
