"""Draws interviews and workshops with rich and reads the keys typed, one line per answer.

On a terminal the prompts are interactive; when standard input is not a terminal the same
keys are read line by line (and echoed, so a transcript reads like the screen). Every answer
is saved at once, atomically, so Ctrl-C, a closed terminal or the end of input loses nothing.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from mcpscale.assess.scoring import score_answers
from mcpscale.errors import UserError
from mcpscale.formats.answers import Answer, AnswerSet, Respondent
from mcpscale.formats.profile import Profile
from mcpscale.formats.questionnaire import Question, Questionnaire
from mcpscale.formats.results import Result
from mcpscale.inputs.clock import today
from mcpscale.inputs.write import write_atomic
from mcpscale.inputs.yaml import dump_yaml
from mcpscale.interview.session import (
    Interview,
    answers_document,
    choice_label,
    key_help,
    level_spread,
    parse_key,
    with_workshop_note,
)

if TYPE_CHECKING:
    from mcpscale.assess.evidence import Cap

DEFAULT_QUESTIONNAIRE = "mcp-enterprise-readiness"
EXIT_INTERRUPTED = 130  # the shell's code for a program stopped by Ctrl-C


class Stopped(Exception):
    """The session ended early; everything typed so far is saved."""

    def __init__(self, how: str, exit_code: int) -> None:
        super().__init__(how)
        self.how = how
        self.exit_code = exit_code


@dataclass(frozen=True)
class Outcome:
    """How a session ended: finished (with scores) or stopped early (with the reason)."""

    result: Result | None
    files: list[Path]
    stopped: str | None = None
    exit_code: int = 0


# ---------------------------------------------------------------- files


def open_answers(
    output: Path, questionnaire_ref: str | None, respondent: Respondent
) -> tuple[Questionnaire, dict[str, Answer]]:
    """The questionnaire and the answers saved so far in `output` (none for a new file)."""
    from mcpscale.inputs.answers import load_answer_sets
    from mcpscale.inputs.packs import resolve_pack

    if not output.exists():
        return resolve_pack(questionnaire_ref or DEFAULT_QUESTIONNAIRE).questionnaire, {}
    questionnaire, (answer_set,) = load_answer_sets([output], questionnaire_ref)
    saved = answer_set.respondent.name
    if saved.strip().casefold() != respondent.name.strip().casefold():
        raise UserError.at(
            output,
            f"holds the answers of '{saved}', not '{respondent.name}'; "
            "give each respondent their own --output file",
        )
    return questionnaire, dict(answer_set.answers)


def save_answers(
    output: Path, questionnaire: Questionnaire, respondent: Respondent, answers: dict[str, Answer]
) -> None:
    document = answers_document(questionnaire, respondent, answers, today())
    write_atomic(output, dump_yaml(document))


def slugify(name: str) -> str:
    """'Liam O'Connor' -> 'liam-o-connor', for one answers file per respondent."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "respondent"


def parse_respondents(text: str) -> list[Respondent]:
    """'Ana Silva:CTO:business,Ben Ode:Security lead' -> respondents (group optional)."""
    respondents: list[Respondent] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        fields = [f.strip() for f in item.split(":")]
        if len(fields) not in (2, 3) or not all(fields[:2]):
            raise UserError(
                f"--respondents: '{item}' should be Name:Role or Name:Role:group, "
                "e.g. 'Ana Silva:CTO:business,Ben Ode:Security lead:security'"
            )
        group = fields[2] if len(fields) == 3 and fields[2] else None
        respondents.append(Respondent(name=fields[0], role=fields[1], group=group))
    if not respondents:
        raise UserError(
            "--respondents is empty; e.g. 'Ana Silva:CTO:business,Ben Ode:Security lead'"
        )
    slugs = [slugify(r.name) for r in respondents]
    for index, slug in enumerate(slugs):
        if slug in slugs[:index]:
            raise UserError(
                f"--respondents: two respondents would share the file {slug}.yaml; "
                "give them distinct names"
            )
    return respondents


# ---------------------------------------------------------------- terminal


class Prompter:
    """Reads one line per prompt; Ctrl-D / end of input and a hang-up stop the session."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.interactive = sys.stdin.isatty()
        if self.interactive:
            with contextlib.suppress(ImportError):  # arrow keys and line editing at prompts
                import readline  # noqa: F401

    def ask(self, prompt: str) -> str:
        try:
            line = self.console.input(prompt)
        except EOFError:
            self.console.print()
            raise Stopped("end of input", 0) from None
        except KeyboardInterrupt:
            self.console.print()
            raise Stopped("interrupted", EXIT_INTERRUPTED) from None
        if not self.interactive:  # echo, so a scripted session reads like the screen
            self.console.print(escape(line), highlight=False)
        return line


@contextlib.contextmanager
def hangup_as_interrupt() -> Iterator[None]:
    """A closed terminal (SIGHUP) stops the session like Ctrl-C: saved and resumable."""
    if not hasattr(signal, "SIGHUP"):  # pragma: no cover - Windows
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGHUP, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, previous)


def question_screen(
    interview: Interview, respondent: str | None = None, caps: Mapping[str, Cap] | None = None
) -> Group:
    """Dimension and area, 'Question 12 of 48' with a progress bar, the text and choices,
    and what the evidence says about this question before anyone answers."""
    questionnaire = interview.questionnaire
    question = interview.current
    dimension = next(d for d in questionnaire.dimensions if d.id == question.dimension)
    area = next((a.name for a in dimension.areas if a.id == question.area), None)
    where = Text(dimension.name, style="bold cyan")
    if area:
        where.append(f" › {area}", style="cyan")
    progress = Table.grid(padding=(0, 1))
    progress.add_row(
        Text(f"Question {interview.number} of {interview.total}", style="bold"),
        ProgressBar(total=interview.total, completed=interview.answered, width=30),
        Text(f"{interview.answered} answered", style="dim"),
        Text(question.id, style="dim"),
    )
    choices = Table.grid(padding=(0, 1))
    choices.add_column(justify="right", style="bold")
    choices.add_column(style="green", no_wrap=True)
    choices.add_column(style="dim", no_wrap=True)
    choices.add_column()
    default = interview.default()
    for number, choice in enumerate(question.choices, 1):
        marker = "→" if choice.id == default else ""
        choices.add_row(
            f"{marker}{number}",
            choice.id,
            questionnaire.level_name(choice.level),
            choice.label,
        )
    title = f"[bold]{escape(respondent)}[/bold]" if respondent else None
    parts: list[Any] = [
        Text(),
        where,
        progress,
        Panel(Text(question.text, style="bold"), title=title, title_align="left"),
    ]
    cap = (caps or {}).get(question.id)
    if cap is not None:
        parts.append(
            Panel(
                Text(
                    f"{cap.says}\nSource: {cap.source}. The evidence supports level "
                    f"{cap.level} at most."
                ),
                title=f"Evidence: {cap.finding}",
                title_align="left",
                border_style="yellow",
            )
        )
    return Group(*parts, choices, Text(key_help(question), style="dim"))


def _answer_prompt(question: Question, default: str | None, who: str = "Answer") -> str:
    shown = " " + escape(f"[{choice_label(question, default)}]") if default else ""
    return f"[bold]{escape(who)}[/bold]{shown}: "


def read_key(
    prompter: Prompter, question: Question, default: str | None, who: str = "Answer"
) -> tuple[str, str | None]:
    """Ask until the line means something; shows help on `?`. Returns (action, choice)."""
    console = prompter.console
    while True:
        key = parse_key(question, prompter.ask(_answer_prompt(question, default, who)), default)
        if key.action == "help":
            help_text = question.help or "This question has no help text."
            console.print(Panel(help_text, title="Help", border_style="blue"))
        elif key.action == "invalid":
            console.print(f"[yellow]{escape(key.hint)}[/yellow]")
        else:
            return key.action, key.choice


def resume_command(
    command: str, options: Sequence[tuple[str, str | Path | None]], flags: Sequence[str] = ()
) -> str:
    words = ["mcpscale", command]
    for option, value in options:
        if value is not None:
            words += [option, str(value)]
    return shlex.join([*words, *flags])


def _stop(
    console: Console,
    stop: Stopped | KeyboardInterrupt,
    save: Callable[[], None],
    files: Sequence[Path],
    resume: str,
) -> Outcome:
    """Save once more (Ctrl-C may come between two saves), say how to resume, and return."""
    if not isinstance(stop, Stopped):
        stop = Stopped("interrupted", EXIT_INTERRUPTED)
    save()
    saved = ", ".join(str(f) for f in files)
    with contextlib.suppress(OSError):  # the terminal may be gone after a hang-up
        console.print(
            f"\n[bold]{stop.how.capitalize()}:[/bold] answers saved in {escape(saved)}",
            soft_wrap=True,
        )
        console.print(f"Resume with: [bold]{escape(resume)}[/bold]", soft_wrap=True)
    return Outcome(None, list(files), stop.how, stop.exit_code)


def _say_skipped(console: Console, interview: Interview, profile: Profile | None) -> None:
    if not interview.skipped or profile is None:
        return
    count = len(interview.skipped)
    console.print(
        f"Skipping {count} question{'s' * (count != 1)} that "
        f"{'do' if count != 1 else 'does'} not apply to {escape(profile.name)}:"
    )
    for question in interview.skipped:
        condition = ", ".join(f"{k} {v}" for k, v in (question.applies_if or {}).items())
        console.print(
            f"  [dim]skipped[/dim] {question.id} (applies if {escape(condition)})",
            highlight=False,
        )


# ---------------------------------------------------------------- mcpscale assess


def run_assess(
    console: Console,
    output: Path,
    respondent: Respondent,
    questionnaire_ref: str | None = None,
    profile: Profile | None = None,
    profile_path: Path | None = None,
    review: bool = False,
    notes: bool = True,
    evidence_paths: Sequence[Path] = (),
) -> Outcome:
    """Interview one respondent, saving after every answer; returns how it ended."""
    from mcpscale.pipeline import caps_for

    questionnaire, answers = open_answers(output, questionnaire_ref, respondent)
    caps = caps_for(evidence_paths, questionnaire, questionnaire_ref)
    if profile_path is not None and profile is None:
        from mcpscale.inputs.load import load_profile

        profile = load_profile(profile_path, questionnaire)
    interview = Interview(questionnaire, profile, answers, review=review)
    resume = resume_command(
        "assess",
        [
            ("--questionnaire", questionnaire_ref),
            ("--profile", profile_path),
            ("--respondent", respondent.name),
            ("--role", respondent.role),
            ("--group", respondent.group),
            ("--output", output),
        ],
        ["--no-notes"] if not notes else [],
    )

    def save() -> None:
        save_answers(output, questionnaire, respondent, interview.answers)

    console.print(
        f"[bold]{escape(questionnaire.title)} {questionnaire.version}[/bold] · "
        f"{escape(respondent.name)} ({escape(respondent.role)}) · saving to {escape(str(output))}",
        soft_wrap=True,
    )
    if answers:
        console.print(
            f"{interview.answered} of {interview.total} answered so far; "
            + (
                "reviewing from the first question"
                if review
                else "all done; pass --review to walk them again"
                if interview.done
                else "resuming"
            ),
            highlight=False,
        )
    _say_skipped(console, interview, profile)
    prompter = Prompter(console)
    try:
        with hangup_as_interrupt():
            save()  # the file exists and is valid from the start
            while not interview.done:
                console.print(question_screen(interview, caps=caps))
                action, choice = read_key(prompter, interview.current, interview.default())
                if action == "quit":
                    save()
                    raise Stopped("saved and quit", 0)
                if action == "back":
                    if not interview.back():
                        console.print("[yellow]This is the first question.[/yellow]")
                    continue
                assert choice is not None
                interview.record(choice)
                save()
                if notes:
                    _ask_note(prompter, interview)
                    save()
                interview.advance()
    except (Stopped, KeyboardInterrupt) as stop:
        return _stop(console, stop, save, [output], resume)
    console.print(
        f"\n[bold]Done:[/bold] {interview.answered} of {interview.total} questions answered. "
        f"{escape(respondent.name)}'s scores:",
        highlight=False,
    )
    answer_set = _answer_set(questionnaire, respondent, interview.answers)
    return Outcome(score_answers(questionnaire, [answer_set], profile), [output])


def _ask_note(prompter: Prompter, interview: Interview) -> None:
    answer = interview.answers[interview.current.id]
    shown = " " + escape(f"[{answer.note}]") if answer.note else ""
    note = prompter.ask(f"[dim]Note{shown} (Enter to skip):[/dim] ").strip()
    evidence = prompter.ask("[dim]Evidence link (Enter to skip):[/dim] ").strip()
    interview.annotate(note or None, evidence or None)


def _answer_set(
    questionnaire: Questionnaire, respondent: Respondent, answers: dict[str, Answer]
) -> AnswerSet:
    return AnswerSet.model_validate(answers_document(questionnaire, respondent, answers, today()))


# ---------------------------------------------------------------- mcpscale workshop


def run_workshop(
    console: Console,
    output_dir: Path,
    respondents: list[Respondent],
    questionnaire_ref: str | None = None,
    profile_path: Path | None = None,
    respondents_text: str = "",
    evidence_paths: Sequence[Path] = (),
) -> Outcome:
    """The room answers together: each respondent in turn, a discussion where they differ."""
    files = [output_dir / f"{slugify(r.name)}.yaml" for r in respondents]
    pairs = list(zip(files, respondents, strict=True))
    # A resumed workshop answers the questionnaire its saved files name; new files follow.
    saved = [open_answers(f, questionnaire_ref, r) for f, r in pairs if f.exists()]
    ref = questionnaire_ref or (saved[0][0].ref if saved else None)
    opened = [open_answers(f, ref, r) for f, r in pairs]
    questionnaire = opened[0][0]
    from mcpscale.pipeline import caps_for

    caps = caps_for(evidence_paths, questionnaire, ref)
    profile = None
    if profile_path is not None:
        from mcpscale.inputs.load import load_profile

        profile = load_profile(profile_path, questionnaire)
    interviews = [Interview(questionnaire, profile, answers) for _, answers in opened]
    room = interviews[0]
    room.position = min(i.position for i in interviews)
    resume = resume_command(
        "workshop",
        [
            ("--questionnaire", questionnaire_ref),
            ("--profile", profile_path),
            ("--respondents", respondents_text),
            ("--output-dir", output_dir),
        ],
    )

    def save() -> None:
        for file, person, interview in zip(files, respondents, interviews, strict=True):
            save_answers(file, questionnaire, person, interview.answers)

    console.print(
        f"[bold]{escape(questionnaire.title)} {questionnaire.version}[/bold] · workshop with "
        f"{', '.join(escape(r.name) for r in respondents)} · saving to {escape(str(output_dir))}/",
        soft_wrap=True,
    )
    _say_skipped(console, room, profile)
    prompter = Prompter(console)
    revisit = False  # after `b`, everyone answers again, their saved answer as default
    try:
        with hangup_as_interrupt():
            save()
            while room.position < room.total:
                for interview in interviews:
                    interview.position = room.position
                console.print(question_screen(room, caps=caps))
                went_back = False
                for person, interview in zip(respondents, interviews, strict=True):
                    default = interview.default()
                    if default is not None and not revisit:
                        console.print(
                            f"{escape(person.name)}: {choice_label(interview.current, default)} "
                            "[dim](saved)[/dim]"
                        )
                        continue
                    action, choice = read_key(prompter, interview.current, default, person.name)
                    if action == "quit":
                        raise Stopped("saved and quit", 0)
                    if action == "back":
                        went_back = True
                        break
                    assert choice is not None
                    interview.record(choice)
                    save()
                if went_back:
                    if room.position == 0:
                        console.print("[yellow]This is the first question.[/yellow]")
                    room.position = max(0, room.position - 1)
                    revisit = True
                    continue
                _discuss(prompter, room.current, respondents, interviews)
                save()
                revisit = False
                room.position = _next_open(interviews, room.position + 1)
    except (Stopped, KeyboardInterrupt) as stop:
        return _stop(console, stop, save, files, resume)
    console.print("\n[bold]Done:[/bold] the room's scores:")
    answer_sets = [
        _answer_set(questionnaire, person, interview.answers)
        for person, interview in zip(respondents, interviews, strict=True)
    ]
    return Outcome(score_answers(questionnaire, answer_sets, profile), files)


def _next_open(interviews: Sequence[Interview], start: int) -> int:
    """The first question at or after `start` that someone has not answered (wrapping)."""
    questions = interviews[0].questions
    order = list(range(start, len(questions))) + list(range(start))
    return next(
        (i for i in order if any(questions[i].id not in iv.answers for iv in interviews)),
        len(questions),
    )


def _discuss(
    prompter: Prompter,
    question: Question,
    respondents: Sequence[Respondent],
    interviews: Sequence[Interview],
) -> None:
    """Where levels span 2 or more, show the spread and store the room's note with everyone."""
    choices = [iv.answers[question.id].choice for iv in interviews]
    spread = level_spread(question, choices)
    if spread is None or spread < 2:
        return
    console = prompter.console
    console.print(f"[bold yellow]The room disagrees: levels span {spread}[/bold yellow]")
    table = Table()
    table.add_column("Respondent")
    table.add_column("Answer")
    table.add_column("Level", justify="right")
    for person, choice in zip(respondents, choices, strict=True):
        found = question.choice(choice)
        table.add_row(
            person.name, choice_label(question, choice), str(found.level) if found else "-"
        )
    console.print(table)
    note = prompter.ask("[bold]Discussion note[/bold] (Enter to skip): ").strip()
    if note:
        for interview in interviews:
            interview.answers[question.id] = with_workshop_note(
                interview.answers[question.id], note
            )
