"""The two ways mcpscale stops on purpose, and the only place that knows exit codes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_USER_ERROR = 2
EXIT_INTERNAL = 3  # a bug: one line on stderr, the traceback in the log (mcpscale.cli.errors)
EXIT_INTERRUPTED = 130  # the shell's code for a program stopped by Ctrl-C


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, located as precisely as we can."""

    path: str
    line: int | None
    column: int | None
    message: str

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return self.path, self.line or 0, self.column or 0, self.message

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


# A file with 60,000 mistakes is the wrong file or a generated one: the first problems in
# each file are shown, then one line counts the rest.
MAX_PROBLEMS_SHOWN = 50


def shown_problems(problems: Iterable[Problem]) -> list[str]:
    """One line per problem, at most MAX_PROBLEMS_SHOWN per file, then one line counting the rest.

    Order is kept; each file's count line comes after its last problem shown.
    """
    lines: list[str] = []
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for problem in problems:
        if shown.get(problem.path, 0) < MAX_PROBLEMS_SHOWN:
            shown[problem.path] = shown.get(problem.path, 0) + 1
            lines.append(str(problem))
        else:
            hidden[problem.path] = hidden.get(problem.path, 0) + 1
    for path, count in hidden.items():
        lines.append(f"...and {count:,} more problem{'s' * (count != 1)} in {path}")
    return lines


class UserError(Exception):
    """Bad input or usage: the user can fix it. Exit code 2, never a traceback."""

    exit_code = EXIT_USER_ERROR

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> UserError:
        return cls("\n".join(shown_problems(problems)), problems)

    @classmethod
    def at(
        cls, path: str | Path, message: str, line: int | None = None, column: int | None = None
    ) -> UserError:
        return cls.from_problems([Problem(str(path), line, column, message)])


class GateFailed(Exception):
    """A quality gate (--fail-under, --max-drop) did not hold. Exit code 1."""

    exit_code = EXIT_GATE_FAILED


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or '' when none is close."""
    matches = difflib.get_close_matches(str(word), sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
