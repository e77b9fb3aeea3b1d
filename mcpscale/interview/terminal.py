"""Draws interviews and workshops with rich and reads the keys typed, one line per answer.

On a terminal the prompts are interactive; when standard input is not a terminal the same
keys are read line by line (and echoed, so a transcript reads like the screen). Every answer
is saved at once, atomically, so Ctrl-C, a closed terminal or the end of input loses nothing.
"""

from __future__ import annotations

import contextlib
import shlex
import signal
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
from mcpscale.errors import EXIT_INTERRUPTED
from mcpscale.formats.answers import Respondent
from mcpscale.formats.profile import Profile
from mcpscale.formats.results import Result
from mcpscale.inputs.clock import today
from mcpscale.interview.answers_file import open_answers, save_answers
from mcpscale.interview.prompt import Prompter, Stopped, ask_note, read_key
from mcpscale.interview.session import Interview, answer_set, choice_label, key_help
from mcpscale.interview.workshop import Workshop, answers_files

if TYPE_CHECKING:
    from mcpscale.assess.evidence import Cap


@dataclass(frozen=True)
class Outcome:
    """How a session ended: finished (with scores) or stopped early (with the reason)."""

    result: Result | None
    files: list[Path]
    stopped: str | None = None
    exit_code: int = 0


# ---------------------------------------------------------------- terminal


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
            Text(choice.id),
            Text(questionnaire.level_name(choice.level)),
            Text(choice.label),
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
                title=Text(f"Evidence: {cap.finding}"),
                title_align="left",
                border_style="yellow",
            )
        )
    return Group(*parts, choices, Text(key_help(question), style="dim"))


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
            f"  [dim]skipped[/dim] {escape(question.id)} (applies if {escape(condition)})",
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
        f"[bold]{escape(f'{questionnaire.title} {questionnaire.version}')}[/bold] · "
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
                    ask_note(prompter, interview)
                    save()
                interview.advance()
    except (Stopped, KeyboardInterrupt) as stop:
        return _stop(console, stop, save, [output], resume)
    console.print(
        f"\n[bold]Done:[/bold] {interview.answered} of {interview.total} questions answered. "
        f"{escape(respondent.name)}'s scores:",
        highlight=False,
    )
    answers_now = answer_set(questionnaire, respondent, interview.answers, today())
    return Outcome(score_answers(questionnaire, [answers_now], profile), [output])


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
    files = answers_files(output_dir, respondents)
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
    room = Workshop(questionnaire, respondents, [answers for _, answers in opened], profile)
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
        for file, (person, answers) in zip(files, room.saves(), strict=True):
            save_answers(file, questionnaire, person, answers)

    console.print(
        f"[bold]{escape(f'{questionnaire.title} {questionnaire.version}')}[/bold] · workshop with "
        f"{', '.join(escape(r.name) for r in respondents)} · saving to {escape(str(output_dir))}/",
        soft_wrap=True,
    )
    _say_skipped(console, room.room, profile)
    prompter = Prompter(console)
    try:
        with hangup_as_interrupt():
            save()
            while not room.done:
                console.print(question_screen(room.room, caps=caps))
                _ask_room(prompter, room, save)
                if room.everyone_answered:
                    _discuss(prompter, room)
                    save()
                    room.move_on()
    except (Stopped, KeyboardInterrupt) as stop:
        return _stop(console, stop, save, files, resume)
    console.print("\n[bold]Done:[/bold] the room's scores:")
    return Outcome(room.result(today()), files)


def _ask_room(prompter: Prompter, room: Workshop, save: Callable[[], None]) -> None:
    """Ask each respondent in turn until everyone has answered or someone goes back."""
    console = prompter.console
    while (turn := room.next_turn) is not None:
        name = turn.respondent.name
        if not turn.asked:
            assert turn.default is not None
            saved = f"{name}: {choice_label(room.current, turn.default)}"
            console.print(f"{escape(saved)} [dim](saved)[/dim]")
            room.keep()
            continue
        action, choice = read_key(prompter, room.current, turn.default, name)
        if action == "quit":
            raise Stopped("saved and quit", 0)
        if action == "back":
            if not room.back():
                console.print("[yellow]This is the first question.[/yellow]")
            return
        assert choice is not None
        room.answer(choice)
        save()


def _discuss(prompter: Prompter, room: Workshop) -> None:
    """Where levels span 2 or more, show the spread and ask for the room's note."""
    disagreement = room.disagreement()
    if disagreement is None:
        return
    console = prompter.console
    console.print(
        f"[bold yellow]The room disagrees: levels span {disagreement.spread}[/bold yellow]"
    )
    table = Table()
    table.add_column("Respondent")
    table.add_column("Answer")
    table.add_column("Level", justify="right")
    for person, choice, level in disagreement.answers:
        table.add_row(
            Text(person.name),
            Text(choice_label(disagreement.question, choice)),
            "-" if level is None else str(level),
        )
    console.print(table)
    room.note_discussion(prompter.ask("[bold]Discussion note[/bold] (Enter to skip): ").strip())
