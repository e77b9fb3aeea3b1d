"""What `mcpscale migrate` did to each answers file, as lines a respondent can act on."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from mcpscale.assess.migrate import Migrated, NotCarried
from mcpscale.formats.answers import Respondent, choice_text
from mcpscale.render.text import visible


def migration_lines(
    path: str,
    migrated: Migrated | None,
    respondent: Respondent,
    comments_kept: bool,
    comments_lost: Sequence[int] = (),
) -> list[str]:
    """One file: what moved, every answer that did not carry over (with its note, so it can be
    entered again), the questions new in this version, and the command that asks them."""
    if migrated is None:
        return [f"{visible(path)}: already at this version, unchanged"]
    carried = len(migrated.answers)
    lines = [
        f"{visible(path)}: {migrated.start} -> {migrated.end}, {carried} answer"
        f"{'s' * (carried != 1)} carried over"
    ]
    lines += [f"  {visible(change)}" for change in migrated.changes]
    for lost in migrated.not_carried:
        lines += _not_carried_lines(lost)
    if migrated.to_answer:
        count = len(migrated.to_answer)
        lines.append(
            f"  new in {migrated.end}, to answer ({count}): {', '.join(migrated.to_answer)}"
        )
    if migrated.not_carried or migrated.to_answer:
        lines.append(f"  answer them: {resume_command(path, respondent)}")
    if not comments_kept:
        lines.append("  note: the file is rewritten from its data; its comments are not kept")
    elif comments_lost:
        plural = "s" * (len(comments_lost) != 1)
        where = ", ".join(map(str, comments_lost))
        lines.append(
            f"  note: the comment{plural} on line{plural} {where} went with the answers "
            "rewritten or removed there"
        )
    return lines


def _not_carried_lines(lost: NotCarried) -> list[str]:
    answer = lost.answer
    said = choice_text(answer.choice) + (
        f", confidence {answer.confidence}" if answer.confidence else ""
    )
    lines = [
        f"  not carried over: {lost.question} (was {visible(said)})",
        f"    why: {visible(lost.why)}",
    ]
    if answer.note:
        lines.append(f"    note: {visible(answer.note)}")
    if answer.reason:
        lines.append(f"    reason: {visible(answer.reason)}")
    if answer.evidence:
        lines.append(f"    evidence: {visible(', '.join(answer.evidence))}")
    if lost.instead:
        lines.append(f"    answer it again as {', '.join(lost.instead)}")
    return lines


def resume_command(path: str, respondent: Respondent) -> str:
    """The interview that resumes this file and asks what it does not answer yet."""
    words = ["mcpscale", "assess", "--output", path, "--respondent", respondent.name]
    words += ["--role", respondent.role]
    if respondent.group:
        words += ["--group", respondent.group]
    return visible(shlex.join(words))


def migration_summary(files: Sequence[Migrated | None], version: str, written: bool) -> str:
    """The last line: files moved, already there, answers to give again."""
    moved = [m for m in files if m is not None]
    already = len(files) - len(moved)
    lost = sum(len(m.not_carried) for m in moved)
    verb = "migrated" if written else "would migrate (dry run, nothing written)"
    text = f"{verb} {len(moved)} file{'s' * (len(moved) != 1)} to {version}"
    if already:
        text += f", {already} already at {version}"
    if lost:
        them = "them" if lost != 1 else "it"
        text += (
            f"; {lost} answer{'s' * (lost != 1)} did not carry over: "
            f"answer {them} again (listed above)"
        )
    return text
