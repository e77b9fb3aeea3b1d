"""The `mcpscale` command line: parse arguments, call the core, print. No logic lives here."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from mcpscale import __version__
from mcpscale.errors import EXIT_GATE_FAILED, GateFailed, UserError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="mcpscale",
    help="Readiness assessment and phase-gate roadmap planning for scaling MCP across the "
    "enterprise.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)
questionnaires_app = typer.Typer(
    help="List and show the bundled questionnaires.", invoke_without_command=True
)
app.add_typer(questionnaires_app, name="questionnaires")
form_app = typer.Typer(
    help="Offline forms: export the questionnaire as xlsx/csv, import filled ones."
)
app.add_typer(form_app, name="form")
evidence_app = typer.Typer(
    help="Evidence from real MCP deployments: what clients are configured to use, what servers do."
)
app.add_typer(evidence_app, name="evidence")


def handle_errors(command: F) -> F:
    """User errors become one line on stderr and exit 2; failed gates exit 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UserError as exc:
            for line in str(exc).splitlines():
                typer.echo(f"error: {line}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except GateFailed as exc:
            typer.echo(f"gate failed: {exc}", err=True)
            raise typer.Exit(EXIT_GATE_FAILED) from None

    return wrapper  # type: ignore[return-value]


def _stdout() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False)


def _emit(text: str, output: Path | None) -> None:
    """Write to --output atomically, or to standard output."""
    if output is None:
        sys.stdout.write(text)
        return
    from mcpscale.inputs.write import write_atomic

    write_atomic(output, text)
    typer.echo(f"wrote {output}", err=True)


def _print(renderables: list[Any], output: Path | None) -> None:
    """Print rich renderables to the terminal, or as plain text to --output."""
    if output is None:
        console = _stdout()
        for renderable in renderables:
            console.print(renderable)
        return
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=110, no_color=True)
    for renderable in renderables:
        console.print(renderable)
    _emit(buffer.getvalue(), output)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mcpscale {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Assess MCP readiness, score maturity and plan the roadmap."""


QuestionnaireOption = Annotated[
    str | None,
    typer.Option(
        "--questionnaire",
        "-q",
        metavar="ID|PATH",
        help="Bundled questionnaire id or path to a questionnaire file or "
        "pack folder. Default: the one the answers name.",
    ),
]
NewQuestionnaireOption = Annotated[
    str | None,
    typer.Option(
        "--questionnaire",
        "-q",
        metavar="ID|PATH",
        help="Bundled questionnaire id or path to a questionnaire file or pack folder. "
        "Default: the one existing answers name, else mcp-enterprise-readiness.",
    ),
]
ProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        "-p",
        help="Organisation profile YAML (kind: "
        "profile): applies_if conditions and target overrides.",
    ),
]


class TrustChoice(StrEnum):
    answers = "answers"
    evidence = "evidence"


EvidenceOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--evidence",
        help="Evidence files or folders (from `mcpscale evidence scan|probe`) to hold the "
        "answers against (repeatable).",
    ),
]
TrustOption = Annotated[
    TrustChoice,
    typer.Option(
        help="answers: report evidence conflicts, score the answers as given; evidence: "
        "score conflicting answers at the level the evidence supports."
    ),
]


OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
]
MaxDropOption = Annotated[
    float | None,
    typer.Option(
        metavar="X",
        help="How far a score may drop from the baseline before the gate fails (default 0: "
        "any drop fails).",
    ),
]
JunitOption = Annotated[
    Path | None,
    typer.Option(metavar="FILE", help="Also write the gates as a JUnit XML report, for CI."),
]


@questionnaires_app.callback()
@handle_errors
def questionnaires_list(ctx: typer.Context) -> None:
    """List the bundled questionnaires (id, version, questions, dimensions)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from mcpscale.inputs.packs import bundled_pack_paths, load_pack

    table = Table(title="Bundled questionnaires")
    table.add_column("ID", no_wrap=True)
    table.add_column("Version", no_wrap=True)
    table.add_column("Questions", justify="right")
    table.add_column("Dimensions")
    table.add_column("Title")
    for path in bundled_pack_paths().values():
        q = load_pack(path).questionnaire
        table.add_row(
            q.id, q.version, str(len(q.questions)), ", ".join(d.id for d in q.dimensions), q.title
        )
    _stdout().print(table)


@questionnaires_app.command("show")
@handle_errors
def questionnaires_show(
    questionnaire: Annotated[str, typer.Argument(metavar="ID|PATH")],
) -> None:
    """Print one questionnaire readably: scale, dimensions, every question and its choices."""
    from mcpscale.inputs.packs import resolve_pack
    from mcpscale.render.questionnaire import questionnaire_renderables

    console = _stdout()
    for renderable in questionnaire_renderables(resolve_pack(questionnaire).questionnaire):
        console.print(renderable)


@app.command()
@handle_errors
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
    for problem in problems:
        typer.echo(str(problem))
    bad = sum(1 for c in checked if c.problems)
    typer.echo(
        f"{len(checked) - bad} valid, {bad} invalid ({len(problems)} problem"
        f"{'s' * (len(problems) != 1)})",
        err=True,
    )
    if bad:
        raise typer.Exit(EXIT_GATE_FAILED)


class ScoreFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class AggregateChoice(StrEnum):
    mean = "mean"
    median = "median"


AggregateOption = Annotated[
    AggregateChoice, typer.Option(help="How respondents' levels combine per question.")
]


@app.command()
@handle_errors
def score(
    answers: Annotated[
        list[Path],
        typer.Argument(metavar="ANSWERS_OR_DIRS...", help="Answers files or folders of them."),
    ],
    profile: ProfileOption = None,
    questionnaire: QuestionnaireOption = None,
    output_format: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.table,
    output: OutputOption = None,
    aggregate: AggregateOption = AggregateChoice.mean,
    fail_under: Annotated[
        float | None, typer.Option(metavar="X", help="Exit 1 when the overall score is below X.")
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
        from mcpscale.formats.results import parse_result, result_to_dict
        from mcpscale.history.compare import check_regressions, compare_results

        current = parse_result(result_to_dict(result), output or Path("this score"))
        comparison = compare_results(saved_baseline, current)
        checks += check_regressions(comparison, max_drop or 0.0)
    if output_format is ScoreFormat.json:
        _emit(result_json(result), output)
    elif output_format is ScoreFormat.csv:
        _emit(result_csv(result), output)
    else:
        renderables = [result_table(result)]
        if result.disagreements:
            renderables.append(disagreements_table(result))
        if result.evidence_conflicts:
            renderables.append(evidence_conflicts_table(result))
        _print(renderables, output)
    _finish_gates(checks, junit, "mcpscale.score")


def _finish_gates(checks: list[Any], junit: Path | None, suite: str) -> None:
    """Report every gate (stderr, and --junit), then exit 1 if any failed."""
    if junit is not None:
        from mcpscale.history.junit import junit_xml

        _emit(junit_xml(suite, checks), junit)
    for check in checks:
        typer.echo(f"{'PASS' if check.passed else 'FAIL'} {check.message}", err=True)
    failed = [c.message for c in checks if not c.passed]
    if failed:
        raise GateFailed("; ".join(failed))


class ReportFormat(StrEnum):
    pdf = "pdf"
    html = "html"
    md = "md"


SimulationsOption = Annotated[
    int | None,
    typer.Option(min=0, metavar="N", help="Monte Carlo draws (0: none). Default: 10,000."),
]
SeedOption = Annotated[
    int | None, typer.Option(metavar="S", help="Seed of the Monte Carlo. Default: 20261.")
]


QuietOption = Annotated[
    bool,
    typer.Option("--quiet", help="No progress display (automatic when stderr is not a terminal)."),
]


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str], None]]:
    """A step callback that draws the report's steps on stderr, or does nothing in CI."""
    from mcpscale.pipeline import STEPS

    if quiet or not sys.stderr.isatty():
        yield lambda step: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<8}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(STEPS[0], total=len(STEPS))

        def step(name: str) -> None:
            progress.update(task, description=name, completed=STEPS.index(name))

        yield step


class CompareFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command()
@handle_errors
def report(
    answers: Annotated[
        list[Path],
        typer.Argument(metavar="ANSWERS_OR_DIRS...", help="Answers files or folders of them."),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="report.pdf, report.html or report.md")
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
        ReportFormat | None, typer.Option("--format", "-f", help="Default: from the suffix.")
    ] = None,
    template_dir: Annotated[
        Path | None,
        typer.Option(help="Templates here override the bundled ones by file name."),
    ] = None,
    title: Annotated[str, typer.Option(help="The report's title.")] = "MCP readiness assessment",
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
) -> None:
    """Write the assessment and its plan as PDF, self-contained HTML, or Markdown + SVGs."""
    from mcpscale.pipeline import Options, run
    from mcpscale.render.report.options import report_options
    from mcpscale.render.report.write import report_format, write_reports

    fmt = report_format(output, output_format.value if output_format else None)
    options = report_options(title, classification, assessor, template_dir, brand)
    with _progress(quiet) as step:
        options_ = Options(
            questionnaire,
            profile,
            aggregate.value,
            tuple(evidence or ()),
            trust.value,
            simulations=simulations,
            seed=seed,
        )
        assessment = run(answers, options_, step=step)
        written = write_reports(assessment, {fmt: output}, options, step)
    charts = written[1:]  # Markdown: the SVGs written beside it
    typer.echo(
        f"wrote {output}" + (f" and {len(charts)} charts in {charts[0].parent}" if charts else "")
    )


@app.command()
@handle_errors
def compare(
    base: Annotated[Path, typer.Argument(metavar="BASE.json", help="The earlier result.")],
    new: Annotated[Path, typer.Argument(metavar="NEW.json", help="The later result.")],
    max_drop: MaxDropOption = None,
    output_format: Annotated[
        CompareFormat, typer.Option("--format", "-f", help="markdown suits a pull-request comment.")
    ] = CompareFormat.table,
    output: OutputOption = None,
    junit: JunitOption = None,
) -> None:
    """Compare two results per dimension and question; exit 1 when a score drops too far."""
    from mcpscale.formats.serialize import to_json
    from mcpscale.history.compare import check_regressions, compare_results, comparison_to_dict
    from mcpscale.inputs.results import load_result
    from mcpscale.render.history import comparison_markdown, comparison_renderables

    comparison = compare_results(load_result(base), load_result(new))
    checks = check_regressions(comparison, max_drop or 0.0)
    if output_format is CompareFormat.json:
        _emit(to_json(comparison_to_dict(comparison, checks)), output)
    elif output_format is CompareFormat.markdown:
        _emit(comparison_markdown(comparison, checks), output)
    else:
        _print(comparison_renderables(comparison), output)
    _finish_gates(checks, junit, "mcpscale.compare")


class TrendFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
@handle_errors
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
    output_format: Annotated[TrendFormat, typer.Option("--format", "-f")] = TrendFormat.table,
) -> None:
    """Scores over time: results ordered by assessment date, with deltas and a chart."""
    from mcpscale.formats.serialize import to_json
    from mcpscale.history.trend import build_trend, trend_to_dict
    from mcpscale.inputs.results import collect_results
    from mcpscale.render.history import trend_csv, trend_table
    from mcpscale.render.history_charts import image_format_of, trend_chart

    image_format = image_format_of(output) if output is not None else None
    series = build_trend(collect_results(results))
    if output_format is TrendFormat.json:
        _emit(to_json(trend_to_dict(series)), None)
    elif output_format is TrendFormat.csv:
        _emit(trend_csv(series), None)
    else:
        _print([trend_table(series)], None)
    if output is not None and image_format is not None:
        from mcpscale.inputs.write import write_atomic

        write_atomic(output, trend_chart(series, image_format))
        typer.echo(f"wrote {output}", err=True)


class ImageFormat(StrEnum):
    svg = "svg"
    png = "png"


@app.command()
@handle_errors
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
        int | None, typer.Option(metavar="N", help="Processes to score with (default: CPUs).")
    ] = None,
    keep_going: Annotated[
        bool, typer.Option(help="Exit 0 even when some units could not be scored.")
    ] = False,
    report: Annotated[
        list[ReportFormat] | None,
        typer.Option(help="Also write portfolio.html / portfolio.pdf (repeatable)."),
    ] = None,
) -> None:
    """Score every business unit under ROOT: a units x dimensions table and a heat map."""
    from mcpscale.history.portfolio import failures_message
    from mcpscale.pipeline import Options, score_portfolio
    from mcpscale.render.portfolio import portfolio_table, write_outputs

    scored = score_portfolio(
        root, Options(questionnaire, profile, aggregate.value), profile_per_unit, jobs
    )
    if 0 < len(scored.units) <= 50:
        _print([portfolio_table(scored)], None)
    for path in write_outputs(scored, output_dir, image_format.value):
        typer.echo(f"wrote {path}", err=True)
    if report:
        from mcpscale.render.report.options import ReportOptions
        from mcpscale.render.report.portfolio import write_portfolio_report

        formats = sorted({fmt.value for fmt in report})
        for path in write_portfolio_report(scored, output_dir, formats, ReportOptions()):
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


class CiChoice(StrEnum):
    github = "github"
    gitlab = "gitlab"


@app.command()
@handle_errors
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


@app.command()
@handle_errors
def demo(
    output_dir: Annotated[Path, typer.Option(help="Where to write the results.")] = Path(
        "mcpscale-demo"
    ),
    quiet: QuietOption = False,
) -> None:
    """Run the main job on the bundled example workshop and print what it wrote."""
    from mcpscale.demo import run_demo
    from mcpscale.render.results import result_table

    with _progress(quiet) as step:
        outcome = run_demo(output_dir, step)
    _print([result_table(outcome.result)], None)
    for path in outcome.written:
        typer.echo(f"wrote {path}")


@app.command()
@handle_errors
def assess(
    respondent: Annotated[str, typer.Option(help="The respondent's name.")],
    role: Annotated[str, typer.Option(help="The respondent's role, e.g. 'CTO'.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Answers file; an existing one is resumed.")
    ],
    group: Annotated[
        str | None, typer.Option(help="Stakeholder group, e.g. security, business.")
    ] = None,
    questionnaire: NewQuestionnaireOption = None,
    profile: ProfileOption = None,
    review: Annotated[
        bool, typer.Option(help="Walk the answered questions again, current answer as default.")
    ] = False,
    notes: Annotated[
        bool, typer.Option(help="Ask for a note and an evidence link after each answer.")
    ] = True,
    evidence: EvidenceOption = None,
) -> None:
    """Interview one respondent question by question, saving after every answer."""
    from mcpscale.formats.answers import Respondent
    from mcpscale.interview.terminal import run_assess
    from mcpscale.render.results import result_table

    console = _stdout()
    person = Respondent(name=respondent, role=role, group=group)
    outcome = run_assess(
        console,
        output,
        person,
        questionnaire,
        profile_path=profile,
        review=review,
        notes=notes,
        evidence_paths=evidence or [],
    )
    if outcome.result is not None:
        console.print(result_table(outcome.result))
        console.print(f"Answers saved in {output}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(outcome.exit_code)


@app.command()
@handle_errors
def workshop(
    respondents: Annotated[
        str,
        typer.Option(
            metavar="'NAME:ROLE[:GROUP],...'",
            help="The people in the room, e.g. 'Ana Silva:CTO:business,Ben Ode:CISO:security'.",
        ),
    ],
    output_dir: Annotated[
        Path, typer.Option(help="One answers file per respondent; existing ones are resumed.")
    ],
    questionnaire: NewQuestionnaireOption = None,
    profile: ProfileOption = None,
    evidence: EvidenceOption = None,
) -> None:
    """The room answers together; where levels span 2 or more, note the discussion."""
    from mcpscale.interview.terminal import run_workshop
    from mcpscale.interview.workshop import parse_respondents
    from mcpscale.render.results import disagreements_table, result_table

    console = _stdout()
    people = parse_respondents(respondents)
    outcome = run_workshop(
        console,
        output_dir,
        people,
        questionnaire,
        profile,
        respondents_text=respondents,
        evidence_paths=evidence or [],
    )
    if outcome.result is not None:
        console.print(result_table(outcome.result))
        if outcome.result.disagreements:
            console.print(disagreements_table(outcome.result))
        else:
            console.print("The room agreed on every question (no levels span 2 or more).")
        for file in outcome.files:
            console.print(f"Answers saved in {file}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(outcome.exit_code)


class FormFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


@form_app.command("export")
@handle_errors
def form_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The form file to write.")],
    form_format: Annotated[
        FormFormat | None,
        typer.Option("--format", "-f", help="Default: from the --output suffix, else xlsx."),
    ] = None,
    questionnaire: NewQuestionnaireOption = None,
    profile: ProfileOption = None,
) -> None:
    """Write the questionnaire as a spreadsheet: one row per question, a dropdown of choices."""
    from mcpscale.inputs.load import load_profile
    from mcpscale.inputs.packs import DEFAULT_QUESTIONNAIRE, resolve_pack
    from mcpscale.interview.forms import export_form

    q = resolve_pack(questionnaire or DEFAULT_QUESTIONNAIRE).questionnaire
    organisation = load_profile(profile, q) if profile else None
    if form_format is None:
        form_format = FormFormat.csv if output.suffix.lower() == ".csv" else FormFormat.xlsx
    count = export_form(q, organisation, output, form_format.value)
    typer.echo(f"wrote {output} ({count} questions of {q.ref})", err=True)


@form_app.command("import")
@handle_errors
def form_import(
    form: Annotated[Path, typer.Argument(help="A filled form (.xlsx or .csv).")],
    respondent: Annotated[str, typer.Option(help="The respondent's name.")],
    role: Annotated[str, typer.Option(help="The respondent's role.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The answers file to write.")],
    group: Annotated[str | None, typer.Option(help="Stakeholder group.")] = None,
    questionnaire: QuestionnaireOption = None,
) -> None:
    """Read a filled form into an answers file; every bad cell is reported as sheet!cell."""
    from mcpscale.formats.answers import Respondent
    from mcpscale.inputs.yaml import dump_yaml
    from mcpscale.interview.forms import import_form

    person = Respondent(name=respondent, role=role, group=group)
    _, document = import_form(form, person, questionnaire)
    _emit(dump_yaml(document), output)
    typer.echo(f"{len(document['answers'])} answers from {form}", err=True)


@app.command()
@handle_errors
def plan(
    answers: Annotated[
        list[Path],
        typer.Argument(metavar="ANSWERS_OR_DIRS...", help="Answers files or folders of them."),
    ],
    profile: Annotated[
        Path,
        typer.Option(
            "--profile",
            "-p",
            help="Organisation profile YAML with the financial inputs (every one optional).",
        ),
    ],
    questionnaire: QuestionnaireOption = None,
    output_format: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.table,
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
    if output_format is ScoreFormat.json:
        _emit(plan_json(built), output)
    elif output_format is ScoreFormat.csv:
        _emit(plan_csv(built), output)
    else:
        _print(plan_renderables(built), output)


class EvidenceFormat(StrEnum):
    table = "table"
    json = "json"


class SeverityChoice(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


@evidence_app.command("scan")
@handle_errors
def evidence_scan(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", help="Folders (or config files) to scan."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Also write the evidence file here (kind: evidence; JSON if it ends in "
            ".json, else YAML).",
        ),
    ] = None,
    output_format: Annotated[
        EvidenceFormat, typer.Option("--format", "-f", help="What standard output shows.")
    ] = EvidenceFormat.table,
    fail_on: Annotated[
        SeverityChoice | None,
        typer.Option(help="Exit 1 when a finding at this severity or above exists."),
    ] = None,
) -> None:
    """Inventory the MCP servers client configs name; report risky ones. Reads files only."""
    from mcpscale.evidence.scan import evidence_document, findings_at_or_above, scan_paths
    from mcpscale.render.evidence import scan_renderables

    scanned = scan_paths(paths)
    for problem in scanned.problems:
        typer.echo(f"skipped: {problem}", err=True)
    document = evidence_document(scanned)
    if output is not None:
        from mcpscale.formats.serialize import to_json
        from mcpscale.inputs.write import write_atomic
        from mcpscale.inputs.yaml import dump_yaml

        text = to_json(document) if output.suffix.lower() == ".json" else dump_yaml(document)
        write_atomic(output, text)
        typer.echo(f"wrote {output}", err=True)
    if output_format is EvidenceFormat.json:
        from mcpscale.formats.serialize import to_json

        sys.stdout.write(to_json(document))
    else:
        _print(scan_renderables(scanned), None)
    if fail_on is not None:
        failing = findings_at_or_above(scanned.findings, fail_on.value)
        if failing:
            raise GateFailed(
                f"{len(failing)} finding{'s' * (len(failing) != 1)} at {fail_on.value} "
                "severity or above"
            )


class SchemaKind(StrEnum):
    questionnaire = "questionnaire"
    answers = "answers"
    profile = "profile"
    initiatives = "initiatives"
    gates = "gates"
    risks = "risks"
    economics = "economics"
    brand = "brand"
    evidence = "evidence"
    evidence_rules = "evidence-rules"


@app.command()
@handle_errors
def schema(kind: Annotated[SchemaKind, typer.Argument(help="Which file format.")]) -> None:
    """Print the JSON Schema of a file format, for editors that validate YAML as you type."""
    from mcpscale.formats.schemas import json_schema

    _emit(json_schema(kind.value), None)


class ProbeFormat(StrEnum):
    table = "table"
    json = "json"


@evidence_app.command("probe")
@handle_errors
def evidence_probe(
    command: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[-- COMMAND [ARGS...]]", help="A stdio server to launch, after --."
        ),
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="A streamable-HTTP server's endpoint.")
    ] = None,
    header: Annotated[
        list[str] | None,
        typer.Option(
            "--header",
            "-H",
            metavar="'NAME: VALUE'",
            help="Sent with every request to --url; repeatable. Values never appear in output.",
        ),
    ] = None,
    requests: Annotated[
        int, typer.Option("--requests", "-n", min=1, max=10000, help="Timed requests.")
    ] = 50,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, max=64, help="Requests in flight.")
    ] = 4,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds for the whole probe.")
    ] = 10.0,
    resource: Annotated[
        str | None,
        typer.Option(
            "--resource", metavar="URI", help="Time resources/read of URI, not tools/list."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the evidence file here.")
    ] = None,
    output_format: Annotated[ProbeFormat, typer.Option("--format", "-f")] = ProbeFormat.table,
) -> None:
    """Connect to one live MCP server and measure its handshake, latency and security.

    mcpscale evidence probe --url https://mcp.example.com/mcp --header "Authorization: Bearer $T"

    mcpscale evidence probe -- npx -y @modelcontextprotocol/server-everything@2025.9.12
    """
    from mcpscale.evidence.probe import ProbeOptions, make_target, probe
    from mcpscale.render.evidence import evidence_json, probe_renderables

    target = make_target(url, header or [], command or [])
    options = ProbeOptions(
        requests=requests, concurrency=concurrency, timeout=timeout, resource=resource
    )
    evidence = probe(target, options)
    if output is not None:
        from mcpscale.inputs.write import write_atomic

        write_atomic(output, evidence_json(evidence))
        typer.echo(f"wrote {output}", err=True)
    if output_format is ProbeFormat.json:
        _emit(evidence_json(evidence), None)
    else:
        _print(probe_renderables(evidence), None)


def main() -> None:
    app()
