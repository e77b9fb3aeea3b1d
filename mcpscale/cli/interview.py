"""`mcpscale assess`, `workshop` and `form export|import`: collecting answers from people."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mcpscale.cli.options import (
    EvidenceOption,
    FormFormat,
    NewQuestionnaireOption,
    ProfileOption,
    QuestionnaireOption,
)
from mcpscale.cli.output import emit, stdout_console

if TYPE_CHECKING:
    from mcpscale.formats.answers import Respondent

UpdateRoleOption = Annotated[
    bool,
    typer.Option(
        "--update-role",
        help="Resuming a file saved with another role or group: change it without asking.",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing file.")]


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """A write that fails (read-only folder, full disk) is one error line, not a traceback."""
    try:
        yield
    except OSError as error:
        from mcpscale.errors import UserError

        raise UserError.at(path, f"cannot be written: {error.strerror or error}") from None


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
    update_role: UpdateRoleOption = False,
) -> None:
    """Interview one respondent question by question, saving after every answer."""
    from mcpscale.formats.answers import Respondent
    from mcpscale.inputs.lock import hold_lock
    from mcpscale.interview.terminal import run_assess
    from mcpscale.render.results import result_table
    from mcpscale.render.tables import fitted

    console = stdout_console()
    person = Respondent(name=respondent, role=role, group=group)
    with hold_lock(output, "assess"):
        outcome = run_assess(
            console,
            output,
            person,
            questionnaire,
            profile_path=profile,
            review=review,
            notes=notes,
            evidence_paths=evidence or [],
            update_role=update_role,
        )
    if outcome.result is not None:
        console.print(fitted(result_table(outcome.result)))
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
    update_role: UpdateRoleOption = False,
    web: Annotated[
        bool,
        typer.Option(
            "--web",
            help="A live workshop in the browser: everyone votes on their own device, the "
            "projector shows the room. Prints the facilitator's and the join URL.",
        ),
    ] = False,
    host: Annotated[
        str | None,
        typer.Option(
            help="--web: the address to listen on (default: this machine's LAN address; "
            "127.0.0.1 for a rehearsal on this machine only)."
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option(
            min=0,
            max=65535,
            help="--web: the port (0: any free one); fixed by default so a "
            "restarted workshop keeps its address.",
        ),
    ] = 8765,
    anonymous: Annotated[
        bool,
        typer.Option(
            "--anonymous", help="--web: show counts, never names, with the answers revealed."
        ),
    ] = False,
) -> None:
    """The room answers together; where the levels disagree, note the discussion."""
    from mcpscale.inputs.lock import hold_lock
    from mcpscale.interview.terminal import run_workshop
    from mcpscale.interview.workshop import answers_files, parse_respondents
    from mcpscale.render.results import disagreements_table, result_table
    from mcpscale.render.tables import fitted

    console = stdout_console()
    people = parse_respondents(respondents)
    if web:
        _web_workshop(people, output_dir, questionnaire, profile, evidence, host, port, anonymous)
        return
    with contextlib.ExitStack() as locks:
        for file in answers_files(output_dir, people):
            locks.enter_context(hold_lock(file, "workshop"))
        outcome = run_workshop(
            console,
            output_dir,
            people,
            questionnaire,
            profile,
            respondents_text=respondents,
            evidence_paths=evidence or [],
            update_role=update_role,
        )
    if outcome.result is not None:
        console.print(fitted(result_table(outcome.result)))
        if outcome.result.disagreements:
            console.print(fitted(disagreements_table(outcome.result)))
        else:
            console.print(
                "The room agreed on every question (no levels span "
                f"{outcome.result.disagreement_spread:g} or more)."
            )
        for file in outcome.files:
            console.print(f"Answers saved in {file}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(outcome.exit_code)


def _web_workshop(
    people: list[Respondent],
    output_dir: Path,
    questionnaire: str | None,
    profile: Path | None,
    evidence: list[Path] | None,
    host: str | None,
    port: int,
    anonymous: bool,
) -> None:
    """Serve the live workshop until Ctrl-C, holding every answers file; then where they are."""
    from mcpscale.inputs.lock import hold_lock
    from mcpscale.inputs.write import make_folder
    from mcpscale.interview.workshop import answers_files
    from mcpscale.web.serve import serve_workshop

    make_folder(output_dir)
    with contextlib.ExitStack() as locks:
        files = answers_files(output_dir, people)
        for file in files:
            locks.enter_context(hold_lock(file, "workshop --web"))
        serve_workshop(
            output_dir, people, questionnaire, profile, evidence or [], host, port, anonymous
        )
    for file in files:
        typer.echo(f"Answers saved in {file}", err=True)


@form_app.command("export")
def form_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The form file to write.")],
    form_format: Annotated[
        FormFormat | None,
        typer.Option("--format", "-f", help="Default: from the --output suffix, else xlsx."),
    ] = None,
    questionnaire: NewQuestionnaireOption = None,
    profile: ProfileOption = None,
    force: ForceOption = False,
) -> None:
    """Write the questionnaire as a spreadsheet: one row per question, a dropdown of choices."""
    from mcpscale.errors import UserError
    from mcpscale.inputs.load import load_profile
    from mcpscale.inputs.packs import DEFAULT_QUESTIONNAIRE, resolve_pack
    from mcpscale.interview.forms import export_form

    if (output.exists() or output.is_symlink()) and not force:
        raise UserError.at(
            output,
            "already exists (it may be a filled form); choose another --output, "
            "or pass --force to replace it",
        )
    q = resolve_pack(questionnaire or DEFAULT_QUESTIONNAIRE).questionnaire
    organisation = load_profile(profile, q) if profile else None
    if form_format is None:
        form_format = FormFormat.csv if output.suffix.lower() == ".csv" else FormFormat.xlsx
    with writing(output):
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
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing answers file with the form's.")
    ] = False,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="Fill only the unanswered questions of an existing answers file "
            "(same respondent); its answers stay.",
        ),
    ] = False,
    update_role: UpdateRoleOption = False,
) -> None:
    """Read a filled form into an answers file; every bad cell is reported as sheet!cell."""
    from mcpscale.errors import UserError
    from mcpscale.formats.answers import AnswerSet, Respondent
    from mcpscale.inputs.lock import hold_lock
    from mcpscale.interview.answers_file import open_answers_file
    from mcpscale.interview.forms import import_form

    if force and merge:
        raise UserError("--force and --merge exclude each other: replace the file, or fill it")
    person = Respondent(name=respondent, role=role, group=group)
    questionnaire_of_form, document = import_form(form, person, questionnaire)
    from_form = AnswerSet.model_validate(document).answers
    with hold_lock(output, "form import"):
        exists = output.exists() or output.is_symlink()
        if exists and not (force or merge):
            raise UserError.at(
                output,
                "already exists; pass --merge to fill only its unanswered questions from the "
                "form, or --force to replace it with the form's answers",
            )
        if merge and exists:
            file = open_answers_file(output, questionnaire or questionnaire_of_form.ref, person)
            if file.role_change() is not None and not update_role:
                raise file.refuse_role_change("form import")
            blanks = {q: a for q, a in from_form.items() if q not in file.answers}
            with writing(output):
                file.save({**file.answers, **blanks})
            kept = len(from_form) - len(blanks)
            typer.echo(
                f"filled {len(blanks)} unanswered question{'s' * (len(blanks) != 1)} of "
                f"{output} from {form}; {kept} already answered there kept their answer",
                err=True,
            )
            return
        from mcpscale.inputs.yaml import dump_yaml

        with writing(output):
            emit(dump_yaml(document), output)
    typer.echo(f"{len(document['answers'])} answers from {form}", err=True)
