"""`mcpscale plan`: the phase-gate roadmap, budget, ROI and risks for scored answers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mcpscale.cli.options import (
    AggregateChoice,
    AggregateOption,
    AnswersArgument,
    EvidenceOption,
    OutputOption,
    QuestionnaireOption,
    SeedOption,
    SimulationsOption,
    TableFormat,
    TrustChoice,
    TrustOption,
)
from mcpscale.cli.output import emit, print_renderables


def plan(
    answers: AnswersArgument,
    profile: Annotated[
        Path,
        typer.Option(
            "--profile",
            "-p",
            help="Organisation profile YAML with the financial inputs (every one optional).",
        ),
    ],
    questionnaire: QuestionnaireOption = None,
    output_format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    output: OutputOption = None,
    horizon_years: Annotated[
        int | None,
        typer.Option(min=1, max=10, metavar="N", help="Years after year 0. Default: profile, 3."),
    ] = None,
    simulations: SimulationsOption = None,
    seed: SeedOption = None,
    aggregate: AggregateOption = AggregateChoice.mean,
    evidence: EvidenceOption = None,
    trust: TrustOption = TrustChoice.answers,
) -> None:
    """Plan: phase-gate roadmap, gate readiness, budget, ROI with uncertainty, risk register."""
    from mcpscale.pipeline import Options, plan_files
    from mcpscale.render.plan_view import plan_csv, plan_json, plan_renderables

    built = plan_files(
        answers,
        Options(
            questionnaire,
            profile,
            aggregate.value,
            tuple(evidence or ()),
            trust.value,
            horizon_years,
            simulations,
            seed,
        ),
    )
    if output_format is TableFormat.json:
        emit(plan_json(built), output)
    elif output_format is TableFormat.csv:
        emit(plan_csv(built), output)
    else:
        print_renderables(plan_renderables(built), output)
