"""`mcpscale assess`, `workshop` and `form export|import`: collecting answers from people."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mcpscale.cli.options import (
    EvidenceOption,
    FormFormat,
    NewQuestionnaireOption,
    ProfileOption,
    QuestionnaireOption,
)
from mcpscale.cli.output import emit, stdout_console

form_app = typer.Typer(
    help="Offline forms: export the questionnaire as xlsx/csv, import filled ones."
)


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

    console = stdout_console()
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

    console = stdout_console()
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


@form_app.command("export")
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
    emit(dump_yaml(document), output)
    typer.echo(f"{len(document['answers'])} answers from {form}", err=True)
