"""`mcpscale compare`, `trend` and `portfolio`: results over time and across business units."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mcpscale.cli.options import (
    AggregateChoice,
    AggregateOption,
    CompareFormat,
    ImageFormat,
    JunitOption,
    MaxDropOption,
    MigrationsOption,
    OutputOption,
    ProfileOption,
    QuestionnaireOption,
    ReportFormat,
    TableFormat,
)
from mcpscale.cli.output import emit, finish_gates, print_renderables
from mcpscale.errors import UserError


def compare(
    base: Annotated[Path, typer.Argument(metavar="BASE.json", help="The earlier result.")],
    new: Annotated[Path, typer.Argument(metavar="NEW.json", help="The later result.")],
    max_drop: MaxDropOption = None,
    output_format: Annotated[
        CompareFormat, typer.Option("--format", "-f", help="markdown suits a pull-request comment.")
    ] = CompareFormat.table,
    output: OutputOption = None,
    junit: JunitOption = None,
    questionnaire: MigrationsOption = None,
) -> None:
    """Compare two results per dimension and question; exit 1 when a score drops too far.

    Across questionnaire versions, only the questions that map (the pack's migrations.yaml
    says which) are compared, and the output says the instrument changed."""
    from mcpscale.formats.serialize import to_json
    from mcpscale.history.compare import check_regressions, compare_results, comparison_to_dict
    from mcpscale.inputs.migrations import find_migrations
    from mcpscale.inputs.results import load_result
    from mcpscale.render.history import comparison_markdown, comparison_renderables

    base_result, new_result = load_result(base), load_result(new)
    steps = None
    start, end = base_result.questionnaire_version, new_result.questionnaire_version
    if start is not None and end is not None and start != end:
        migrations = find_migrations(new_result.questionnaire_id, questionnaire)
        steps = migrations.path(start, end) if migrations is not None else None
    comparison = compare_results(base_result, new_result, steps)
    checks = check_regressions(comparison, max_drop or 0.0)
    if output_format is CompareFormat.json:
        emit(to_json(comparison_to_dict(comparison, checks)), output)
    elif output_format is CompareFormat.markdown:
        emit(comparison_markdown(comparison, checks), output)
    else:
        print_renderables(comparison_renderables(comparison), output)
    finish_gates(checks, junit, "mcpscale.compare")


def trend(
    results: Annotated[
        list[Path],
        typer.Argument(
            metavar="RESULTS_OR_DIRS...", help="Result JSON files, or folders holding them."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Draw the line chart with targets to this .svg or .png."
        ),
    ] = None,
    output_format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    questionnaire: MigrationsOption = None,
) -> None:
    """Scores over time: results ordered by assessment date, with deltas and a chart.

    Where the questionnaire version changes, the change is over the questions that map."""
    from mcpscale.formats.serialize import to_json
    from mcpscale.history.trend import build_trend, trend_to_dict
    from mcpscale.inputs.migrations import find_migrations
    from mcpscale.inputs.results import collect_results
    from mcpscale.render.history import trend_csv, trend_table
    from mcpscale.render.history_charts import image_format_of, trend_chart

    image_format = image_format_of(output) if output is not None else None
    saved = collect_results(results)
    versions = {r.questionnaire_version for r in saved}
    migrations = None
    if len(versions) > 1:
        migrations = find_migrations(saved[-1].questionnaire_id, questionnaire)
    series = build_trend(saved, migrations)
    if output_format is TableFormat.json:
        emit(to_json(trend_to_dict(series)), None)
    elif output_format is TableFormat.csv:
        emit(trend_csv(series), None)
    else:
        print_renderables([trend_table(series)], None)
    if output is not None and image_format is not None:
        emit(trend_chart(series, image_format), output)


def _import_output_libraries() -> None:
    """pandas and the parts of matplotlib the portfolio's CSV and heat map need (its font
    metrics, tick placing and colour maps): imported while the pool's processes score the
    units, not after them."""
    import matplotlib.colors  # noqa: F401
    import matplotlib.font_manager  # noqa: F401
    import matplotlib.ticker  # noqa: F401
    import pandas  # noqa: F401


def portfolio(
    root: Annotated[Path, typer.Argument(help="A folder holding one folder per business unit.")],
    profile_per_unit: Annotated[
        bool, typer.Option(help="Each unit folder holds its own profile.yaml.")
    ] = False,
    profile: ProfileOption = None,
    questionnaire: QuestionnaireOption = None,
    output_dir: Annotated[
        Path,
        typer.Option(
            "--output-dir", "-o", help="Where portfolio.csv, portfolio.json and the heat map go."
        ),
    ] = Path("portfolio"),
    image_format: Annotated[ImageFormat, typer.Option(help="Heat map format.")] = ImageFormat.svg,
    aggregate: AggregateOption = AggregateChoice.mean,
    jobs: Annotated[
        int | None,
        typer.Option(min=1, max=256, metavar="N", help="Processes to score with (default: CPUs)."),
    ] = None,
    keep_going: Annotated[
        bool, typer.Option(help="Exit 0 even when some units could not be scored.")
    ] = False,
    report: Annotated[
        list[ReportFormat] | None,
        typer.Option(help="Also write portfolio.html / portfolio.pdf (repeatable)."),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            help="The portfolio report's title. Default: the questionnaire's subject and "
            "'portfolio', e.g. 'MCP readiness portfolio'."
        ),
    ] = None,
) -> None:
    """Score every business unit under ROOT: a units x dimensions table and a heat map."""
    from mcpscale.history.portfolio import failures_message
    from mcpscale.pipeline import Options, score_portfolio
    from mcpscale.render.portfolio import portfolio_table, write_outputs

    if report and ReportFormat.pdf in report:
        from mcpscale.render.report.html import require_pdf_support

        require_pdf_support()  # before any unit is scored or any file written
    scored = score_portfolio(
        root,
        Options(questionnaire, profile, aggregate.value),
        profile_per_unit,
        jobs,
        while_scoring=_import_output_libraries,
    )
    if 0 < len(scored.units) <= 50:
        print_renderables([portfolio_table(scored)], None)
    for path in write_outputs(scored, output_dir, image_format.value):
        typer.echo(f"wrote {path}", err=True)
    if report:
        from mcpscale.render.report.options import ReportOptions
        from mcpscale.render.report.portfolio import write_portfolio_report

        formats = sorted({fmt.value for fmt in report})
        for path in write_portfolio_report(
            scored, output_dir, formats, ReportOptions(title=title or "")
        ):
            typer.echo(f"wrote {path}", err=True)
    typer.echo(
        f"{len(scored.units)} units scored, {len(scored.failures)} could not be scored", err=True
    )
    if scored.failures:
        message = failures_message(scored)
        if not keep_going:
            raise UserError(message)
        for line in message.splitlines():
            typer.echo(f"warning: {line}", err=True)
