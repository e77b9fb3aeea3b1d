"""`mcpscale --help` lists every command without importing one (mcpscale/cli/registry.py); a
command's module loads when that command runs or shows its own help, and says the same."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

import mcpscale.cli
from mcpscale.cli import app
from mcpscale.cli.registry import COMMANDS, Entry, LazyCommands, build

from .conftest import Cli

ROOT = Path(__file__).parent.parent
HEAVY = {
    "pandas", "matplotlib", "weasyprint", "pydantic", "yaml", "jinja2", "mcp", "numpy",
    "openpyxl", "docx",
}  # fmt: skip
COMMAND_MODULES = {entry.module for entry in COMMANDS}
# The modules of mcpscale/cli that hold no command: the root, the registry, shared plumbing.
PLUMBING = {"app", "errors", "options", "output", "registry"}


# What the `mcpscale` console script runs, telling at exit which modules were imported.
MCPSCALE = """
import atexit, sys
atexit.register(lambda: print(*(f"module: {m}" for m in sorted(sys.modules)), sep="\\n"))
from mcpscale.cli import main
sys.argv[0] = "mcpscale"
sys.exit(main())
"""


def modules_loaded(*args: str, env: dict[str, str] | None = None) -> tuple[str, set[str]]:
    """Run `mcpscale ARGS` in a fresh process: its output and the modules it imported."""
    result = subprocess.run(
        [sys.executable, "-c", MCPSCALE, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    lines = result.stdout.splitlines()
    modules = {line.removeprefix("module: ") for line in lines if line.startswith("module: ")}
    assert modules, result.stderr
    output = [line for line in lines if not line.startswith("module: ")] + [result.stderr]
    return "\n".join(output), modules


@pytest.mark.parametrize(
    "args", [["--help"], [], ["--version"]], ids=["help", "no-arguments", "version"]
)
def test_the_root_imports_no_command_and_nothing_heavy(args: list[str]) -> None:
    output, modules = modules_loaded(*args)
    assert "schema" in output or "mcpscale 0" in output  # it listed the commands / the version
    assert not modules & COMMAND_MODULES
    assert not {module.partition(".")[0] for module in modules} & HEAVY


def test_completing_a_command_name_imports_no_command() -> None:
    output, modules = modules_loaded(
        env={"_MCPSCALE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "mcpscale sc"}
    )
    assert '"schema":"Print the JSON Schema of a file format,..."' in output
    assert '"score":"Score answers\\\\: maturity per dimension,..."' in output
    assert not modules & COMMAND_MODULES
    typers_own = {"pydantic", "rich"}  # typer checks its options with pydantic, escapes with rich
    assert not {module.partition(".")[0] for module in modules} & (HEAVY - typers_own)


@pytest.mark.parametrize("command", ["score", "plan", "compare", "trend", "portfolio", "init"])
def test_a_commands_help_imports_its_own_module_and_no_heavy_library(command: str) -> None:
    entry = next(entry for entry in COMMANDS if entry.name == command)
    output, modules = modules_loaded(command, "--help")
    assert f"Usage: mcpscale {command} [OPTIONS]" in output
    assert modules & COMMAND_MODULES == {entry.module}
    heavy = {"pandas", "matplotlib", "weasyprint", "numpy", "openpyxl"}
    assert not {module.partition(".")[0] for module in modules} & heavy


def _group() -> Any:
    """A fresh root group, as `mcpscale` builds it: no command built yet."""
    group = typer.main.get_command(app)
    assert isinstance(group.commands, LazyCommands)
    return group


def _help(group: Any, width: int) -> str:
    return str(group.get_help(typer.Context(group, info_name="mcpscale", terminal_width=width)))


def _completions(group: Any) -> list[tuple[str, str]]:
    context = typer.Context(group, info_name="mcpscale", resilient_parsing=True)
    return [(item.value, item.help) for item in group.shell_complete(context, "")]


def test_the_listing_is_what_the_commands_themselves_say_at_any_width() -> None:
    lazy, built = _group(), _group()
    for name in built.commands:
        built.commands[name]  # noqa: B018 - build every command, as before registry.py
    for width in (40, 60, 80, 100, 200):
        assert _help(lazy, width) == _help(built, width)
    assert _completions(lazy) == _completions(built)
    assert [name for name, _ in _completions(lazy)] == [entry.name for entry in COMMANDS]
    assert not lazy.commands._built, "listing built no command"


@pytest.mark.parametrize("entry", COMMANDS, ids=[entry.name for entry in COMMANDS])
def test_each_summary_is_the_first_paragraph_of_the_commands_own_help(entry: Entry) -> None:
    command = build(entry, app)
    assert command.name == entry.name
    first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
    assert entry.summary == first_paragraph, f"registry.py: {entry.name}'s summary"
    assert not command.short_help and not command.hidden and not command.deprecated


def _sub_app_callbacks(sub_app: typer.Typer) -> Iterator[Any]:
    if sub_app.registered_callback:
        yield sub_app.registered_callback.callback
    for command in sub_app.registered_commands:
        yield command.callback
    for group in sub_app.registered_groups:
        assert group.typer_instance
        yield from _sub_app_callbacks(group.typer_instance)


def test_every_command_of_the_cli_modules_is_registered_once() -> None:
    """In a command module, the public functions and the sub-apps (typer.Typer) are commands."""
    found: set[tuple[str, str]] = set()
    for module_info in pkgutil.iter_modules(mcpscale.cli.__path__):
        if module_info.name in PLUMBING:
            continue
        module = importlib.import_module(f"mcpscale.cli.{module_info.name}")
        public = {name: obj for name, obj in vars(module).items() if not name.startswith("_")}
        sub_apps = {name: obj for name, obj in public.items() if isinstance(obj, typer.Typer)}
        in_sub_apps = {f for sub_app in sub_apps.values() for f in _sub_app_callbacks(sub_app)}
        found |= {(module.__name__, name) for name in sub_apps}
        found |= {
            (module.__name__, name)
            for name, obj in public.items()
            if inspect.isfunction(obj)
            and obj.__module__ == module.__name__
            and not hasattr(obj, "__wrapped__")  # a context manager, not a command
            and obj not in in_sub_apps
        }
    registered = [(entry.module, entry.attribute) for entry in COMMANDS]
    assert sorted(registered) == sorted(found)
    assert len({entry.name for entry in COMMANDS}) == len(COMMANDS)


def test_an_unknown_command_is_a_usage_error_with_suggestions() -> None:
    unknown = CliRunner().invoke(app, ["nosuchcmd"])
    assert unknown.exit_code == 2
    assert "Error: No such command 'nosuchcmd'." in unknown.stderr
    typo = CliRunner().invoke(app, ["scroe"])
    assert typo.exit_code == 2
    assert "Error: No such command 'scroe'. Did you mean 'score'?" in typo.stderr


def test_version_and_a_commands_own_help(cli: Cli) -> None:
    assert cli("--version").stdout.startswith("mcpscale ")
    shown = cli("evidence", "scan", "--help")
    assert shown.exit_code == 0 and "Usage: mcpscale evidence scan [OPTIONS]" in shown.stdout


def test_a_bug_in_a_sub_app_meets_the_error_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("packs unreadable")

    monkeypatch.setattr("mcpscale.inputs.packs.bundled_pack_paths", broken)
    monkeypatch.setenv("MCPSCALE_LOG_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["questionnaires"])
    assert result.exit_code == 3
    assert result.stderr == (
        f"internal error: RuntimeError: packs unreadable; details in {tmp_path / 'mcpscale.log'}\n"
    )


def test_completing_a_commands_options_builds_that_command() -> None:
    output, modules = modules_loaded(
        env={"_MCPSCALE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "mcpscale score --f"}
    )
    assert '"--fail-under":"Exit 1 when the overall score is below X."' in output
    assert modules & COMMAND_MODULES == {"mcpscale.cli.score"}
