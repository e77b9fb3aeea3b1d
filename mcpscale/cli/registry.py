"""Every `mcpscale` command by name: the module that defines it and the summary `--help` lists.

A command's module is imported, and typer builds its options, only when the command runs, shows
its own help or completes its options; `mcpscale --help` and completing a command's name read
this table alone (issue 19). One home per text: tests/test_cli_lazy.py loads every command and
checks that its summary here is the first paragraph of its own help, so change both together."""

from __future__ import annotations

import contextlib
import functools
import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any, NamedTuple

import typer
import typer.main
from typer.core import TyperCommand


class Entry(NamedTuple):
    name: str
    module: str
    attribute: str  # a command function, or a sub-app (typer.Typer) with commands of its own
    summary: str  # the first paragraph of the command's help; `mcpscale --help` shortens it


# In the order `mcpscale --help` lists them.
COMMANDS: tuple[Entry, ...] = (
    Entry(
        "validate",
        "mcpscale.cli.files",
        "validate",
        "Check any mix of questionnaire, answers and profile files; report every problem.",
    ),
    Entry(
        "score",
        "mcpscale.cli.score",
        "score",
        "Score answers: maturity per dimension, targets, gaps, coverage, disagreements.",
    ),
    Entry(
        "report",
        "mcpscale.cli.report",
        "report",
        "Write the assessment and its plan as PDF, HTML, Markdown + SVGs, DOCX or xlsx.",
    ),
    Entry(
        "compare",
        "mcpscale.cli.history",
        "compare",
        "Compare two results per dimension and question; exit 1 when a score drops too far.",
    ),
    Entry(
        "trend",
        "mcpscale.cli.history",
        "trend",
        "Scores over time: results ordered by assessment date, with deltas and a chart.",
    ),
    Entry(
        "portfolio",
        "mcpscale.cli.history",
        "portfolio",
        "Score every business unit under ROOT: a units x dimensions table and a heat map.",
    ),
    Entry(
        "migrate",
        "mcpscale.cli.migrate",
        "migrate",
        "Move answers to a newer questionnaire version along the pack's migrations.yaml.",
    ),
    Entry(
        "init",
        "mcpscale.cli.init",
        "init",
        "Scaffold a workspace to commit: profile.yaml, answers/, results/ and a CI pipeline.",
    ),
    Entry(
        "demo",
        "mcpscale.cli.report",
        "demo",
        "Run the main job on the bundled example workshop and print what it wrote.",
    ),
    Entry(
        "assess",
        "mcpscale.cli.interview",
        "assess",
        "Interview one respondent question by question, saving after every answer.",
    ),
    Entry(
        "workshop",
        "mcpscale.cli.interview",
        "workshop",
        "The room answers together; where the levels disagree, note the discussion.",
    ),
    Entry(
        "plan",
        "mcpscale.cli.plan",
        "plan",
        "Plan: phase-gate roadmap, gate readiness, budget, ROI with uncertainty, risk register.",
    ),
    Entry(
        "coverage",
        "mcpscale.cli.coverage",
        "coverage",
        "Framework coverage: the items each framework lists, the questions that meet them, why "
        "the others are not covered, and with answers the result per item.",
    ),
    Entry(
        "schema",
        "mcpscale.cli.files",
        "schema",
        "Print the JSON Schema of a file format, for editors that validate YAML as you type.",
    ),
    Entry(
        "questionnaires",
        "mcpscale.cli.questionnaires",
        "app",
        "List and show the bundled questionnaires.",
    ),
    Entry(
        "form",
        "mcpscale.cli.interview",
        "form_app",
        "Offline forms: export the questionnaire as xlsx/csv, import filled ones.",
    ),
    Entry(
        "evidence",
        "mcpscale.cli.evidence",
        "app",
        "Evidence from real MCP deployments: what clients are configured to use, what servers do.",
    ),
    Entry(
        "import",
        "mcpscale.cli.imports",
        "app",
        "Convert another tool's maturity model into a pack folder (DIR/questionnaire.yaml).",
    ),
)


@functools.cache
def build(entry: Entry, root: typer.Typer) -> Any:  # Any: click's Command, vendored by typer
    """The click command of `entry`, built as typer builds a command registered on `root`.

    Built once per process: a click command holds no state between invocations, and a process
    that runs many commands (the API, the tests) would otherwise rebuild its options each time."""
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    holder = typer.Typer(
        add_completion=False,
        rich_markup_mode=root.rich_markup_mode,
        pretty_exceptions_short=root.pretty_exceptions_short,
        suggest_commands=root.suggest_commands,
    )
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=entry.name)
    else:
        holder.command(entry.name)(target)
    return typer.main.get_group(holder).commands[entry.name]


class LazyCommands(MutableMapping[str, Any]):
    """A root group's commands: all names known at once, each command built on first use."""

    def __init__(self, root: typer.Typer, entries: tuple[Entry, ...] = COMMANDS) -> None:
        self._root = root
        self._entries = {entry.name: entry for entry in entries}
        self._built: dict[str, Any] = {}
        self._summaries_only = False

    @contextlib.contextmanager
    def summaries(self) -> Iterator[None]:
        """Inside, a command not built yet is a stand-in holding its summary: for listings."""
        self._summaries_only = True
        try:
            yield
        finally:
            self._summaries_only = False

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            entry = self._entries[name]
            if self._summaries_only:
                return TyperCommand(name, help=entry.summary)
            self._built[name] = build(entry, self._root)
        return self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def get(self, name: str, default: Any = None) -> Any:
        # Not Mapping.get: a KeyError raised while building a command is a bug, not a name
        # the user mistyped.
        if name not in self._entries:
            return default
        return self[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command
        self._entries.setdefault(name, Entry(name, "", "", command.help or ""))

    def __delitem__(self, name: str) -> None:
        del self._entries[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
