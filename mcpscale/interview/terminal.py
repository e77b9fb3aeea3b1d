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

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from mcpscale.assess.scoring import score_answers
from mcpscale.errors import EXIT_INTERRUPTED, EXIT_USER_ERROR
from mcpscale.formats.answers import Answer, Respondent, choice_ids, choice_text
from mcpscale.formats.profile import Profile
from mcpscale.formats.results import Result
from mcpscale.inputs.clock import today
from mcpscale.interview.answers_file import AnswersFile, NotSaved, open_answers_file
from mcpscale.interview.prompt import Prompter, Stopped, ask_note, read_key
from mcpscale.interview.session import (
    INFORMATIONAL,
    Interview,
    answer_set,
    builds_on,
    choice_label,
    key_help,
)
from mcpscale.interview.workshop import Workshop, answers_files
from mcpscale.render.text import rich_markup as escape
from mcpscale.render.text import rich_text

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
    interview: Interview,
    respondent: str | None = None,
    caps: Mapping[str, Cap] | None = None,
    room: Workshop | None = None,
) -> Group:
    """Dimension and area, 'Question 12 of 48' with a progress bar, the text and choices,
    and what the evidence says about this question before anyone answers.

    For a `room` the count is the questions everyone has answered, and no choice is marked:
    each person's own count and saved choice are shown at their turn."""
    questionnaire = interview.questionnaire
    question = interview.current
    dimension = next(d for d in questionnaire.dimensions if d.id == question.dimension)
    area = next((a.name for a in dimension.areas if a.id == question.area), None)
    where = rich_text(dimension.name, style="bold cyan")
    if area:
        where.append(rich_text(f" › {area}", style="cyan"))
    progress = Table.grid(padding=(0, 1))
    answered = interview.answered if room is None else room.answered_by_everyone
    progress.add_row(
        Text(f"Question {interview.number} of {interview.total}", style="bold"),
        ProgressBar(total=interview.total, completed=answered, width=30),
        Text(f"{answered} answered{' by everyone' * (room is not None)}", style="dim"),
        rich_text(question.id, style="dim"),
    )
    choices = Table.grid(padding=(0, 1))
    choices.add_column(justify="right", style="bold")
    choices.add_column(style="green", no_wrap=True)
    choices.add_column(style="dim", no_wrap=True)
    choices.add_column()
    default = interview.default() if room is None else None
    selected = choice_ids(default) if default is not None else []
    for number, choice in enumerate(question.choices, 1):
        marker = "→" if choice.id in selected else ""
        choices.add_row(
            f"{marker}{number}",
            rich_text(choice.id),
            Text("" if choice.level is None else questionnaire.level_name(choice.level)),
            Text.assemble(rich_text(choice.label), (" (on its own)" * choice.exclusive, "dim")),
        )
    title = f"[bold]{escape(respondent)}[/bold]" if respondent else None
    parts: list[Any] = [
        Text(),
        where,
        progress,
        Panel(rich_text(question.text, style="bold"), title=title, title_align="left"),
    ]
    for line in builds_on(questionnaire, question, None if room else interview.answers):
        parts.append(rich_text(line, style="cyan"))
    if not question.scored:
        parts.append(Text(INFORMATIONAL, style="dim"))
    cap = (caps or {}).get(question.id)
    if cap is not None:
        parts.append(
            Panel(
                rich_text(
                    f"{cap.says}\nSource: {cap.source}. The evidence supports level "
                    f"{cap.level} at most."
                ),
                title=rich_text(f"Evidence: {cap.finding}"),
                title_align="left",
                border_style="yellow",
            )
        )
    return Group(*parts, choices, rich_text(key_help(question), style="dim"))


def resume_command(
    command: str, options: Sequence[tuple[str, str | Path | None]], flags: Sequence[str] = ()
) -> str:
    words = ["mcpscale", command]
    for option, value in options:
        if value is not None:
            words += [option, str(value)]
    return shlex.join([*words, *flags])


class SaveFailed(Stopped):
    """A save failed and the respondent chose to quit (or there is no terminal to ask)."""

    def __init__(self) -> None:
        super().__init__("not saved", EXIT_USER_ERROR)


def save_or_recover(
    prompter: Prompter, files: Sequence[AnswersFile], answers: Sequence[dict[str, Answer]]
) -> None:
    """Save every file; when one cannot be written, offer retry, save elsewhere or quit.

    Without a terminal a failed save stops the session (SaveFailed): nothing to ask."""
    console = prompter.console
    while True:
        try:
            for file, file_answers in zip(files, answers, strict=True):
                file.save(file_answers)
            return
        except NotSaved as error:
            line = f"{error}; the answers are kept in memory"
            console.print(f"[bold red]{escape(line)}[/bold red]", soft_wrap=True)
            if not prompter.interactive:
                raise SaveFailed() from None
            key = prompter.ask("r retry, s save elsewhere, q quit: ").strip().casefold()
            if key == "q":
                raise SaveFailed() from None
            if key == "s":
                _save_elsewhere(prompter, files)


def _save_elsewhere(prompter: Prompter, files: Sequence[AnswersFile]) -> None:
    """Move the files to a path (one file) or a folder (a workshop) the respondent names."""
    what = "file" if len(files) == 1 else "folder"
    typed = prompter.ask(f"Save to which {what} (Enter to go back): ").strip()
    if not typed:
        return
    target = Path(typed).expanduser()
    paths = [target] if len(files) == 1 else [target / f.path.name for f in files]
    taken = [p for p in paths if p.exists()]
    if taken:
        prompter.console.print(
            f"[yellow]{escape(str(taken[0]))} exists; name a new {what}[/yellow]", soft_wrap=True
        )
        return
    for file, path in zip(files, paths, strict=True):
        file.path, file.answers, file.assessed_at = path, {}, None


def _stop(
    prompter: Prompter,
    stop: Stopped | KeyboardInterrupt,
    files: Sequence[AnswersFile],
    answers: Sequence[dict[str, Answer]],
    resume: Callable[[], str],
) -> Outcome:
    """Save once more (Ctrl-C may come between two saves), say how to resume, and return.

    Answers that could not be saved are listed, so they can be typed again on resume."""
    console = prompter.console
    if not isinstance(stop, Stopped):
        stop = Stopped("interrupted", EXIT_INTERRUPTED)
    if not isinstance(stop, SaveFailed):
        try:
            for file, file_answers in zip(files, answers, strict=True):
                file.save(file_answers)
        except NotSaved as error:
            with contextlib.suppress(OSError):
                console.print(escape(f"{error}; the answers are kept in memory"), soft_wrap=True)
            stop = Stopped(f"{stop.how}, not saved", stop.exit_code or EXIT_USER_ERROR)
    lost = [
        (file.respondent.name, qid, file_answers[qid])
        for file, file_answers in zip(files, answers, strict=True)
        for qid in file.unsaved(file_answers)
    ]
    saved = ", ".join(str(f.path) for f in files)
    with contextlib.suppress(OSError):  # the terminal may be gone after a hang-up
        if lost:
            console.print(
                f"\n[bold]{escape(stop.how.capitalize())}:[/bold] these answers are not in "
                f"{escape(saved)}; type them again when you resume:",
                soft_wrap=True,
            )
            for name, qid, answer in lost:
                who = f"{name} " if len(files) > 1 else ""
                note = f" (note: {answer.note})" if answer.note else ""
                console.print(f"  {escape(who + qid)}: {escape(choice_text(answer.choice) + note)}")
        else:
            console.print(
                f"\n[bold]{escape(stop.how.capitalize())}:[/bold] answers saved in {escape(saved)}",
                soft_wrap=True,
            )
        console.print(f"Resume with: [bold]{escape(resume())}[/bold]", soft_wrap=True)
    return Outcome(None, [f.path for f in files], stop.how, stop.exit_code)


def confirm_role(prompter: Prompter, file: AnswersFile, update_role: bool, command: str) -> None:
    """A role or group other than the saved one: changed with --update-role or a 'y' at a
    terminal; kept as saved on anything else at a terminal; refused without one."""
    change = file.role_change()
    if change is None or update_role:
        return
    if not prompter.interactive:
        raise file.refuse_role_change(command)
    name = file.respondent.name
    question = f"{name} was saved with {change}. Change it? [y/N]: "
    typed = prompter.ask(escape(question))
    if typed.strip().casefold() not in ("y", "yes"):
        assert file.saved_respondent is not None
        file.respondent = file.saved_respondent
        prompter.console.print(f"Keeping {escape(name)}'s saved role and group.")


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
    update_role: bool = False,
) -> Outcome:
    """Interview one respondent, saving after every answer; returns how it ended."""
    from mcpscale.pipeline import caps_for

    file = open_answers_file(output, questionnaire_ref, respondent)
    questionnaire, answers = file.questionnaire, dict(file.answers)
    caps = caps_for(evidence_paths, questionnaire, questionnaire_ref)
    if profile_path is not None and profile is None:
        from mcpscale.inputs.load import load_profile

        profile = load_profile(profile_path, questionnaire)
    interview = Interview(questionnaire, profile, answers, review=review)

    def resume() -> str:
        person = file.respondent
        return resume_command(
            "assess",
            [
                ("--questionnaire", questionnaire_ref),
                ("--profile", profile_path),
                ("--respondent", respondent.name),
                ("--role", person.role),
                ("--group", person.group),
                ("--output", file.path),
            ],
            ["--no-notes"] if not notes else [],
        )

    prompter = Prompter(console)

    def save() -> None:
        save_or_recover(prompter, [file], [interview.answers])

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
    try:
        with hangup_as_interrupt():
            confirm_role(prompter, file, update_role, "assess")
            save()  # a new file exists and is valid from the start; an old one is untouched
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
        return _stop(prompter, stop, [file], [interview.answers], resume)
    console.print(
        f"\n[bold]Done:[/bold] {interview.answered} of {interview.total} questions answered. "
        f"{escape(respondent.name)}'s scores:",
        highlight=False,
    )
    answers_now = answer_set(questionnaire, file.respondent, interview.answers, today())
    return Outcome(score_answers(questionnaire, [answers_now], profile), [file.path])


# ---------------------------------------------------------------- mcpscale workshop


def run_workshop(
    console: Console,
    output_dir: Path,
    respondents: list[Respondent],
    questionnaire_ref: str | None = None,
    profile_path: Path | None = None,
    respondents_text: str = "",
    evidence_paths: Sequence[Path] = (),
    update_role: bool = False,
) -> Outcome:
    """The room answers together: each respondent in turn, a discussion where they differ."""
    paths = answers_files(output_dir, respondents)
    pairs = list(zip(paths, respondents, strict=True))
    # A resumed workshop answers the questionnaire its saved files name; new files follow.
    saved = [open_answers_file(f, questionnaire_ref, r) for f, r in pairs if f.exists()]
    ref = questionnaire_ref or (saved[0].questionnaire.ref if saved else None)
    files = [open_answers_file(f, ref, r) for f, r in pairs]
    questionnaire = files[0].questionnaire
    from mcpscale.pipeline import caps_for

    caps = caps_for(evidence_paths, questionnaire, ref)
    profile = None
    if profile_path is not None:
        from mcpscale.inputs.load import load_profile

        profile = load_profile(profile_path, questionnaire)
    room = Workshop(questionnaire, respondents, [dict(file.answers) for file in files], profile)

    def resume() -> str:
        people = respondents_text
        if any(f.respondent != r for f, r in zip(files, respondents, strict=True)):
            people = ",".join(
                ":".join(
                    [f.respondent.name, f.respondent.role, *filter(None, [f.respondent.group])]
                )
                for f in files
            )
        return resume_command(
            "workshop",
            [
                ("--questionnaire", questionnaire_ref),
                ("--profile", profile_path),
                ("--respondents", people),
                ("--output-dir", files[0].path.parent),
            ],
        )

    prompter = Prompter(console)

    def save() -> None:
        save_or_recover(prompter, files, [answers for _, answers in room.saves()])

    console.print(
        f"[bold]{escape(f'{questionnaire.title} {questionnaire.version}')}[/bold] · workshop with "
        f"{', '.join(escape(r.name) for r in respondents)} · saving to {escape(str(output_dir))}/",
        soft_wrap=True,
    )
    _say_skipped(console, room.room, profile)
    try:
        with hangup_as_interrupt():
            for file in files:
                confirm_role(prompter, file, update_role, "workshop")
            room.respondents = [file.respondent for file in files]
            save()
            while not room.done:
                console.print(question_screen(room.room, caps=caps, room=room))
                _ask_room(prompter, room, save)
                if room.everyone_answered:
                    _discuss(prompter, room)
                    save()
                    room.move_on()
    except (Stopped, KeyboardInterrupt) as stop:
        answers = [answers for _, answers in room.saves()]
        return _stop(prompter, stop, files, answers, resume)
    console.print("\n[bold]Done:[/bold] the room's scores:")
    return Outcome(room.result(today()), [file.path for file in files])


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
        who = f"{name} ({room.answered_by(room.turn)} of {room.room.total} answered)"
        action, choice = read_key(prompter, room.current, turn.default, who)
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
    """Where the levels disagree, show the question again above the spread (so a long table
    never scrolls it away) and ask for the room's note, showing any earlier one first."""
    disagreement = room.disagreement()
    if disagreement is None:
        return
    console = prompter.console
    question = disagreement.question
    console.print(
        Panel(
            rich_text(question.text, style="bold"),
            title=f"[bold yellow]The room disagrees: levels span {disagreement.spread}[/]",
            title_align="left",
            subtitle=escape(question.id),
            subtitle_align="right",
            border_style="yellow",
        )
    )
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    table.add_column("Respondent")
    table.add_column("Answer")
    table.add_column("Level", justify="right")
    for person, choice, level in disagreement.answers:
        table.add_row(
            rich_text(person.name),
            rich_text(choice_label(question, choice)),
            "-" if level is None else str(level),
        )
    console.print(table)
    earlier = room.earlier_note()
    if earlier is None:
        prompt = "[bold]Discussion note[/bold] (Enter to skip): "
    else:
        console.print(Text.assemble(("Earlier note: ", "bold"), rich_text(earlier)))
        prompt = "[bold]Discussion note[/bold] (replaces the earlier one; Enter keeps it): "
    room.note_discussion(prompter.ask(prompt).strip())
