"""The root `mcpscale` app: the commands of registry.py, each built on first use, all run under
the one error policy (mcpscale.cli.errors)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from mcpscale import __version__
from mcpscale.cli.registry import LazyCommands

_ARGV = "mcpscale.argv"


class _PolicyGroup(TyperGroup):
    """The root group: commands imported only when used; whatever one raises meets the error
    policy, under every runner."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(app)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Any = None,
        **extra: Any,
    ) -> Any:
        argv = list(args)  # parsing consumes the list
        ctx = super().make_context(info_name, args, parent, **extra)
        ctx.meta[_ARGV] = argv
        return ctx

    def invoke(self, ctx: Any) -> Any:  # Any: click's Context, vendored by newer typers
        from mcpscale.cli.errors import error_policy  # not needed by --help and --version

        argv: Sequence[str] = ctx.meta.get(_ARGV, ())
        with error_policy(argv):
            return super().invoke(ctx)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names alone; typer's own builds every command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with self._lazy_commands().summaries():  # the listing reads registry.py, imports nothing
            super().format_commands(ctx, formatter)

    def shell_complete(self, ctx: Any, incomplete: str) -> Any:
        with self._lazy_commands().summaries():
            return super().shell_complete(ctx, incomplete)

    def _lazy_commands(self) -> LazyCommands:
        assert isinstance(self.commands, LazyCommands)
        return self.commands


app = typer.Typer(
    name="mcpscale",
    cls=_PolicyGroup,
    help="Readiness assessment and phase-gate roadmap planning for scaling MCP across the "
    "enterprise.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mcpscale {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Assess MCP readiness, score maturity and plan the roadmap."""


def main() -> None:
    app()
