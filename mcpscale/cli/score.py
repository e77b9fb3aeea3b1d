"""`mcpscale score`: answers in, maturity out, with the CI gates (--fail-under, --baseline)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mcpscale.cli.options import (
    AggregateChoice,
    AggregateOption,
    AnswersArgument,
    EvidenceOption,
    JunitOption,
    MaxDropOption,
    OutputOption,
    ProfileOption,
    QuestionnaireOption,
    TableFormat,
    TrustChoice,
    TrustOption,
    finite,
)
from mcpscale.cli.output import emit, finish_gates, print_renderables
from mcpscale.errors import UserError


def score(
    answers: AnswersArgument,
    profile: ProfileOption = None,
    questionnaire: QuestionnaireOption = None,
    output_format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    output: OutputOption = None,
    aggregate: AggregateOption = AggregateChoice.mean,
    fail_under: Annotated[
        float | None,
        typer.Option(
            callback=finite, metavar="X", help="Exit 1 when the overall score is below X."
        ),
    ] = None,
    fail_under_dimension: Annotated[
        list[str] | None,
        typer.Option(metavar="DIM=X", help="Exit 1 when a dimension scores below X (repeatable)."),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            metavar="BASE.json",
            help="An earlier result (score --format json): exit 1 when the overall score or a "
            "dimension drops from it by more than --max-drop.",
        ),
    ] = None,
    max_drop: MaxDropOption = None,
    junit: JunitOption = None,
    evidence: EvidenceOption = None,
    trust: TrustOption = TrustChoice.answers,
) -> None:
    """Score answers: maturity per dimension, targets, gaps, coverage, disagreements."""
    from mcpscale.assess.thresholds import check_thresholds, parse_dimension_thresholds
    from mcpscale.inputs.bulk import cycle_collection_paused
    from mcpscale.pipeline import Options, score_files
    from mcpscale.render.results import (
        disagreements_table,
        evidence_conflicts_table,
        result_csv,
        result_json,
        result_table,
    )

    per_dimension = parse_dimension_thresholds(fail_under_dimension or [])
    if max_drop is not None and baseline is None:
        raise UserError("--max-drop needs --baseline BASE.json, the result to compare with")
    saved_baseline = None
    if baseline is not None:
        from mcpscale.inputs.results import load_result

        saved_baseline = load_result(baseline)
    result = score_files(
        answers,
        Options(questionnaire, profile, aggregate.value, tuple(evidence or ()), trust.value),
    )
    checks = check_thresholds(result, fail_under, per_dimension)
    if saved_baseline is not None:
        from mcpscale.history.compare import check_against_baseline
        from mcpscale.inputs.migrations import find_migrations

        label = output or Path("this score")
        migrations = None
        if saved_baseline.questionnaire_version != result.questionnaire_version:
            migrations = find_migrations(result.questionnaire_id, questionnaire)
        checks += check_against_baseline(saved_baseline, result, max_drop or 0.0, label, migrations)
    if output_format is TableFormat.json:
        with cycle_collection_paused():
            text = result_json(result)
        emit(text, output)
    elif output_format is TableFormat.csv:
        emit(result_csv(result), output)
    else:
        renderables = [result_table(result)]
        if result.disagreements:
            renderables.append(disagreements_table(result))
        if result.evidence_conflicts:
            renderables.append(evidence_conflicts_table(result))
        print_renderables(renderables, output)
    finish_gates(checks, junit, "mcpscale.score")
