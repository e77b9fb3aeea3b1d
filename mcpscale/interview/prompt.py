"""Reads what is typed at the interview prompts: one field per prompt, a paste kept whole,
and an evidence link checked before it is stored.

On a terminal the whole prompt goes to `input()`, so readline knows where the line starts:
Backspace stops at the prompt, wrapped lines redraw in place, and an empty Enter ends the line.
A paste is one input wherever it lands: readline keeps a bracketed paste (ESC[200~ … ESC[201~)
in the line, and lines already waiting when one is read (a paste without bracketed paste) are
read as the rest of the same field. Its lines are folded into one, joined by spaces.
When standard input is not a terminal, each line answers one prompt, as before.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import sys

from rich.console import Console
from rich.panel import Panel

from mcpscale.errors import EXIT_INTERRUPTED
from mcpscale.formats.questionnaire import Question
from mcpscale.interview.session import Interview, choice_label, parse_key
from mcpscale.render.text import rich_markup as escape
from mcpscale.render.text import rich_text

# Input that is already waiting this soon after a line was read came from a paste, not a
# person: nobody sees the next prompt and starts typing within 10 ms.
PASTE_GAP = 0.01
ANSI_STYLE = re.compile(r"(\x1b\[[0-9;]*m)")
URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")
FILE_NAME = re.compile(r"[^/\\.][^/\\]*\.[A-Za-z][A-Za-z0-9]{0,9}")
PATH_STARTS = ("/", "./", "../", "~/")
EVIDENCE_LINK_HINT = (
    "An evidence link is a URL (https://…) or a file path (/…, ./…, ~/…, or ending in a file "
    "name such as runbook.md), without spaces; Enter skips."
)


class Stopped(Exception):
    """The session ended early; everything typed so far is saved."""

    def __init__(self, how: str, exit_code: int) -> None:
        super().__init__(how)
        self.how = how
        self.exit_code = exit_code


class Prompter:
    """Reads one field per prompt; Ctrl-D / end of input and a hang-up stop the session."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.interactive = sys.stdin.isatty()
        self.line_editing = False
        if self.interactive:
            with contextlib.suppress(ImportError):  # arrow keys and line editing at prompts
                import readline  # noqa: F401

                self.line_editing = True

    def ask(self, prompt: str) -> str:
        """The field typed or pasted at `prompt` (rich markup), its lines joined by spaces."""
        try:
            if not self.interactive:
                line = self.console.input(prompt)
                self.console.print(escape(line), highlight=False)  # a script reads like the screen
                return line
            lines = [input(self._rendered(prompt))]
            while self._pasted_more():
                lines.append(input())
        except EOFError:
            self.console.print()
            raise Stopped("end of input", 0) from None
        except KeyboardInterrupt:
            self.console.print()
            raise Stopped("interrupted", EXIT_INTERRUPTED) from None
        return fold_lines("\n".join(lines))

    def _rendered(self, prompt: str) -> str:
        """The prompt as the terminal shows it; readline is told which bytes take no width."""
        with self.console.capture() as capture:
            self.console.print(prompt, end="", soft_wrap=True)
        text = capture.get()
        return ANSI_STYLE.sub("\001\\1\002", text) if self.line_editing else text

    def _pasted_more(self) -> bool:
        if os.name == "nt":  # pragma: no cover - select() takes only sockets on Windows
            return False
        ready, _, _ = select.select([sys.stdin], [], [], PASTE_GAP)
        return bool(ready)


def fold_lines(text: str) -> str:
    """A pasted field's lines as one line: 'a\\n\\n b ' -> 'a b'; one line stays as typed."""
    if "\n" not in text and "\r" not in text:
        return text
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def is_evidence_link(text: str) -> bool:
    """A URL (scheme://…) or a path (starting /, ./, ../, ~/, or ending in a file name with an
    extension, like docs/runbook.md), without spaces: so a stray line is never stored as one."""
    if not text or any(c.isspace() for c in text):
        return False
    if URL.fullmatch(text) or text.startswith(PATH_STARTS):
        return True
    return FILE_NAME.fullmatch(re.split(r"[/\\]", text)[-1]) is not None


def _answer_prompt(question: Question, default: str | list[str] | None, who: str = "Answer") -> str:
    shown = " " + escape(f"[{choice_label(question, default)}]") if default else ""
    return f"[bold]{escape(who)}[/bold]{shown}: "


def read_key(
    prompter: Prompter, question: Question, default: str | list[str] | None, who: str = "Answer"
) -> tuple[str, str | list[str] | None]:
    """Ask until the line means something; shows help on `?`. Returns (action, choice)."""
    console = prompter.console
    while True:
        key = parse_key(question, prompter.ask(_answer_prompt(question, default, who)), default)
        if key.action == "help":
            help_text = question.help or "This question has no help text."
            console.print(Panel(rich_text(help_text), title="Help", border_style="blue"))
        elif key.action == "invalid":
            console.print(f"[yellow]{escape(key.hint)}[/yellow]")
        else:
            return key.action, key.choice


def ask_note(prompter: Prompter, interview: Interview) -> None:
    """The current answer's note, then an evidence link, asked again until it looks like one."""
    answer = interview.answers[interview.current.id]
    shown = " " + escape(f"[{answer.note}]") if answer.note else ""
    note = prompter.ask(f"[dim]Note{shown} (Enter to skip):[/dim] ").strip()
    interview.annotate(note or None)  # kept even if the session stops at the next prompt
    while True:
        evidence = prompter.ask("[dim]Evidence link (Enter to skip):[/dim] ").strip()
        if not evidence or is_evidence_link(evidence):
            break
        prompter.console.print(f"[yellow]{escape(EVIDENCE_LINK_HINT)}[/yellow]", highlight=False)
    interview.annotate(None, evidence or None)
